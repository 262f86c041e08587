import ArgumentParser
import ForgeTraining
import Foundation

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Version the digits data, train an MLP and a CNN with tracking and checkpoints, evaluate, report.")

    @OptionGroup var options: ProjectOptions

    @Option(help: "Epochs per model.")
    var epochs: Int = 30

    func run() async throws {
        let project = try options.open()
        let dataDirectory = project.directory.appendingPathComponent("data")
        try DigitsData.install(into: dataDirectory)
        print("forge demo: project \(project.directory.path)")
        print("  data: scikit-learn digits copied to \(dataDirectory.path)")
        fflush(nil)  // keep printed lines in order with the progress output
        let outcome = try await DemoWorkflow.run(in: project, dataDirectory: dataDirectory, epochs: epochs) { line in
            print(line)
            fflush(nil)
        }
        print("")
        print("Where everything went:")
        print("  tracking store   \(project.trackingDirectory.appendingPathComponent("tracking.sqlite").path)")
        print("  artifacts        \(project.trackingDirectory.appendingPathComponent("artifacts").path)")
        print("  data and models  \(project.versionsDirectory.path) (versions: \(outcome.runs.flatMap(\.dataVersions).uniqued().joined(separator: ", ")); \(outcome.runs.compactMap(\.modelVersion).joined(separator: ", ")))")
        for run in outcome.runs {
            print("  run \(run.runName)  \(run.runID)")
            print("    checkpoint     \(run.checkpoint?.path ?? "-")")
            print("    report         \(run.report.path)")
        }
        print("  comparison       \(outcome.comparisonReport.path)")
        print("Next: swift run forge runs list --project \(options.project)")
    }
}

extension Array where Element: Hashable {
    /// The elements without repeats, first occurrence kept.
    func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}

/// The digits CSV files bundled with the driver.
enum DigitsData {
    /// Copies `digits_train.csv` and `digits_test.csv` into `directory` (unchanged files are left alone).
    static func install(into directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for name in ["digits_train", "digits_test"] {
            guard let source = Bundle.module.url(forResource: name, withExtension: "csv") else {
                throw ValidationError("the bundled \(name).csv is missing from the forge executable's resources")
            }
            let destination = directory.appendingPathComponent("\(name).csv")
            let data = try Data(contentsOf: source)
            if (try? Data(contentsOf: destination)) != data {
                try data.write(to: destination, options: .atomic)
            }
        }
    }
}
