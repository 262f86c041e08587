import ArgumentParser
import ForgeTracking
import ForgeTraining
import Foundation

struct EvaluateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Evaluate a tracked run's final checkpoint (or a checkpoint folder) on its test data.")

    @OptionGroup var options: ProjectOptions

    @Option(help: "A run id: its logged configuration and checkpoint artifact are used.")
    var run: String?

    @Option(help: "A checkpoint folder or .safetensors file (with --config).")
    var checkpoint: String?

    @Option(help: "The YAML configuration the checkpoint was trained with (with --checkpoint).")
    var config: String?

    @Option(help: "Where relative data paths resolve (default: the project's data folder with --run, else the current folder).")
    var dataDirectory: String?

    func validate() throws {
        guard (run != nil) != (checkpoint != nil) else { throw ValidationError("give either --run or --checkpoint") }
        if checkpoint != nil, config == nil { throw ValidationError("--checkpoint needs --config") }
    }

    func run() async throws {
        let project = try options.open()
        let recipe: TrainingRecipe
        let weights: URL
        var temporary: URL?
        defer { if let temporary { try? FileManager.default.removeItem(at: temporary) } }
        if let prefix = run {
            let tracker = try project.tracker()
            let run = try await tracker.store.resolveRunID(prefix)
            guard let metadata = try await tracker.store.trainingMetadata(runID: run) else {
                throw ValidationError("run \(run) has no training metadata (was it trained with forge train?)")
            }
            recipe = try JSONDecoder().decode(TrainingRecipe.self, from: Data(metadata.configuration.jsonString.utf8))
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("forge-evaluate-\(UUID().uuidString)")
            temporary = folder
            let records = try await tracker.store.artifacts(runID: run).filter { $0.path.hasPrefix("checkpoint/") }
            guard let repository = tracker.artifactRepository, !records.isEmpty else {
                throw ValidationError("run \(run) has no checkpoint artifact")
            }
            try await repository.export(records, to: folder)
            weights = folder.appendingPathComponent("checkpoint")
        } else {
            (recipe, _) = try TrainingRecipe.load(configFile: URL(fileURLWithPath: config ?? ""))
            weights = URL(fileURLWithPath: checkpoint ?? "")
        }
        let dataRoot = dataDirectory.map { URL(fileURLWithPath: $0) }
            ?? (run != nil ? project.directory.appendingPathComponent("data") : URL(fileURLWithPath: "."))
        let evaluation = try TrainingWorkflow.evaluate(recipe, checkpoint: weights, dataDirectory: dataRoot)
        print("examples \(evaluation.exampleCount)")
        for (key, value) in Trainer.classificationMetrics(evaluation).sorted(by: { $0.key < $1.key }) {
            print("\(key) \(String(format: "%.4f", value))")
        }
    }
}
