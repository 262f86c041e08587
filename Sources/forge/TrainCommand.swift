import ArgumentParser
import ForgeTraining
import Foundation

struct TrainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train from a YAML configuration with Hydra-style overrides (key=value).",
        discussion: """
            Example: forge train --config configs/digits.yaml optimizer.lr=3e-4 model.hidden=[128,64]
            With --multirun, comma-separated values sweep: optimizer.lr=1e-3,1e-4 runs twice.
            """)

    @OptionGroup var options: ProjectOptions

    @Option(help: "The primary YAML configuration file.")
    var config: String

    @Option(help: "Where relative data paths resolve (default: the configuration file's folder).")
    var dataDirectory: String?

    @Flag(help: "Expand comma-separated override values into a sweep of runs.")
    var multirun = false

    @Argument(help: "Overrides such as optimizer.lr=3e-4, +new.key=1, ~key.")
    var overrides: [String] = []

    func run() async throws {
        let configURL = URL(fileURLWithPath: config)
        let project = try options.open()
        let data = dataDirectory.map { URL(fileURLWithPath: $0) } ?? configURL.deletingLastPathComponent()
        let sweeps = multirun ? try ConfigurationSweep.expand(overrides) : [overrides]
        for (index, sweep) in sweeps.enumerated() {
            if sweeps.count > 1 { print("multirun \(index + 1)/\(sweeps.count): \(sweep.joined(separator: " "))") }
            let (recipe, tree) = try TrainingRecipe.load(configFile: configURL, overrides: sweep)
            let outcome = try await TrainingWorkflow.train(
                recipe, configuration: tree.jsonValue, in: project, dataDirectory: data)
            print("run \(outcome.runID) (\(outcome.runName)): \(outcome.epochs) epochs")
            for (key, value) in outcome.testMetrics.sorted(by: { $0.key < $1.key }) {
                print("  \(key) \(String(format: "%.4f", value))")
            }
            print("  report \(outcome.report.path)")
        }
    }
}
