import ForgeTracking
public import Foundation

/// The README's main job as a library call: version the digits data, train the MLP and the CNN with
/// tracking and checkpoints, evaluate them on the test set, and write the run and comparison reports.
public enum DemoWorkflow {
    /// What the demo produced.
    public struct Outcome: Sendable {
        /// One outcome per trained model (MLP, then CNN).
        public var runs: [TrainingOutcome]
        /// The side-by-side HTML report of the runs.
        public var comparisonReport: URL
    }

    /// The two recipes the demo trains: the reference MLP 64-128-64-10 and a two-block CNN over 1×8×8.
    public static func recipes(epochs: Int, seed: UInt64 = 0) -> [TrainingRecipe] {
        let data = DataRecipe(train: "digits_train.csv", test: "digits_test.csv", labelColumn: "label", validationFraction: 0.1)
        var cnnData = data
        cnnData.imageShape = [1, 8, 8]
        let loop = LoopRecipe(epochs: epochs, batchSize: 32, earlyStoppingPatience: nil, progress: true)
        return [
            TrainingRecipe(
                experiment: "digits", runName: "mlp", seed: seed, data: data,
                model: ModelRecipe(kind: .mlp, hidden: [128, 64]), optimizer: OptimizerRecipe(name: "adam", lr: 1e-3),
                training: loop),
            TrainingRecipe(
                experiment: "digits", runName: "cnn", seed: seed, data: cnnData,
                model: ModelRecipe(kind: .cnn, channels: [16, 32]), optimizer: OptimizerRecipe(name: "adam", lr: 1e-3),
                training: loop),
        ]
    }

    /// Runs the demo in `project` with the digits CSV files found in `dataDirectory`.
    ///
    /// - Parameters:
    ///   - project: where versions, runs, checkpoints and reports go.
    ///   - dataDirectory: holds `digits_train.csv` and `digits_test.csv`.
    ///   - epochs: epochs per model.
    ///   - output: progress output; nil for none.
    ///   - announce: called with a line of text after each stage.
    public static func run(
        in project: ForgeProject, dataDirectory: URL, epochs: Int = 30, output: (any ProgressOutput)? = StandardOutput(),
        announce: (String) -> Void = { print($0) }
    ) async throws -> Outcome {
        var outcomes: [TrainingOutcome] = []
        for recipe in recipes(epochs: epochs) {
            announce("training \(recipe.runName ?? recipe.model.kind.rawValue) for \(epochs) epochs")
            let outcome = try await TrainingWorkflow.train(recipe, in: project, dataDirectory: dataDirectory, output: output)
            let accuracy = outcome.testMetrics["test_accuracy"].map { String(format: "%.4f", $0) } ?? "n/a"
            announce("  run \(outcome.runID): test accuracy \(accuracy), model \(outcome.modelVersion ?? "-"), data \(outcome.dataVersions.joined(separator: ", "))")
            outcomes.append(outcome)
        }
        let store = try project.tracker().store
        let comparison = project.reportsDirectory.appendingPathComponent("comparison.html")
        try await ComparisonReport.load(
            runIDs: outcomes.map(\.runID), from: store, objective: "test_accuracy", goals: ["test_accuracy": .maximize]
        ).write(to: comparison)
        return Outcome(runs: outcomes, comparisonReport: comparison)
    }
}
