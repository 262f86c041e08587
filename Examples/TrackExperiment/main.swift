// TrackExperiment: a fake training sweep logged to a local SQLite tracking project, then searched.
// Trains nothing: the "loss" and "accuracy" curves are made up so the program runs in a second.
//
//   swift run TrackExperiment [PROJECT_DIR]      (default: a fresh temporary folder)
//
// The project directory holds `tracking.sqlite` (open it with any SQLite tool) and `artifacts/`.
import ForgeTracking
import Foundation

/// A made-up training curve: loss falls and accuracy rises faster with a better learning rate.
func fakeEpoch(_ epoch: Int, learningRate: Double, optimizer: String) -> (loss: Double, accuracy: Double) {
    let speed = (optimizer == "adam" ? 1.6 : 1.0) * (learningRate == 0.01 ? 1.3 : 1.0)
    let loss = 2.3 * exp(-speed * Double(epoch + 1) / 6) + 0.05
    return (loss, min(0.99, 1 - loss / 2.5))
}

let project =
    CommandLine.arguments.count > 1
    ? URL(fileURLWithPath: CommandLine.arguments[1])
    : FileManager.default.temporaryDirectory.appendingPathComponent("track-experiment-\(UUID().uuidString.prefix(8))")
print("tracking into \(project.path)")

do {
    // 1. A local project: SQLite for runs, a content-addressed folder for artifacts.
    let tracker = try Tracker.local(at: project)

    // 2. A small sweep: one parent run, one nested run per configuration.
    let sweep = try await tracker.startRun(experiment: "digits-mlp", name: "sweep", tags: ["kind": "grid"])
    for optimizer in ["sgd", "adam"] {
        for learningRate in [0.001, 0.01] {
            let name = "\(optimizer)-lr\(learningRate)"
            try await tracker.withRun(experiment: "digits-mlp", name: name, parent: sweep) { run in
                try await run.logParams(["optimizer": optimizer, "lr": String(learningRate), "epochs": "10"])
                for epoch in 0..<10 {
                    let (loss, accuracy) = fakeEpoch(epoch, learningRate: learningRate, optimizer: optimizer)
                    try await run.logMetrics(["loss": loss, "accuracy": accuracy], step: epoch)
                }
                // The model file, stored by content (identical files are kept once).
                let weights = project.appendingPathComponent("scratch-\(name).bin")
                try Data("weights of \(name)".utf8).write(to: weights)
                try await run.logArtifact(weights, as: "model/weights.bin")
                try FileManager.default.removeItem(at: weights)
                try await run.setTrainingMetadata(
                    TrainingMetadata(
                        trainedBy: run.info.user, startTime: run.info.startTime, endTime: Date(),
                        configuration: ["optimizer": .string(optimizer), "lr": .number(learningRate), "epochs": 10],
                        modelMetrics: [
                            "accuracy": fakeEpoch(9, learningRate: learningRate, optimizer: optimizer).accuracy
                        ],
                        parametersLocation: "model/weights.bin"))
            }
        }
    }
    try await sweep.finish()

    // 3. Search: the good Adam runs, best first.
    let store = tracker.store
    guard let experiment = try await store.experiment(named: "digits-mlp") else {
        throw TrackingError.experimentNotFound("digits-mlp")
    }
    let page = try await store.searchRuns(
        experimentIDs: [experiment.id], filter: "metrics.accuracy > 0.9 and params.optimizer = 'adam'",
        orderBy: [try RunOrdering(parsing: "metrics.accuracy DESC")])
    print("\nadam runs with accuracy > 0.9, best first:")
    for run in page.runs {
        let accuracy = run.latestMetrics["accuracy"]?.value ?? .nan
        print(
            "  \(run.info.name.padding(toLength: 16, withPad: " ", startingAt: 0)) accuracy \(String(format: "%.4f", accuracy))  lr \(run.params["lr"] ?? "?")"
        )
    }

    // 4. The best run's curve and summary, and everything nested under the sweep.
    if let best = page.runs.first {
        let history = try await store.metricHistory(runID: best.id, key: "loss")
        print("\nloss of \(best.info.name): " + history.map { String(format: "%.3f", $0.value) }.joined(separator: " "))
        if let summary = try await store.metricSummaries(runID: best.id)["loss"] {
            print("best loss \(String(format: "%.4f", summary.best(.minimize))) over \(summary.count) epochs")
        }
        print(
            "artifacts: "
                + (try await store.artifacts(runID: best.id)).map { "\($0.path) (\($0.digest.prefix(12)))" }.joined(
                    separator: ", "))
    }
    let trials = try await store.allRuns(
        experimentIDs: [experiment.id], filter: try RunFilter(parsing: "attributes.parent_run_id = '\(sweep.id)'"))
    print("\n\(trials.count) trials nested under the sweep \(sweep.id)")
} catch {
    FileHandle.standardError.write(Data("TrackExperiment: \(error)\n".utf8))
    exit(1)
}
