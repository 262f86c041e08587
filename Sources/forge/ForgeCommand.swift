// forge: the thin example driver. Every command is a few calls into the library modules.
import ArgumentParser
import ForgeTraining
import Foundation

@main
struct ForgeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forge",
        abstract: "Train, track, version and report deep-learning models with Forge.",
        subcommands: [DemoCommand.self, TrainCommand.self, EvaluateCommand.self, RunsCommand.self, DataCommand.self]
    )
}

/// The project directory every command works in.
struct ProjectOptions: ParsableArguments {
    @Option(name: .long, help: "The project directory (tracking store, versions, checkpoints, reports).")
    var project: String = "forge-project"

    /// Opens (creating when needed) the project directory.
    func open() throws -> ForgeProject {
        try ForgeProject(at: URL(fileURLWithPath: project))
    }
}
