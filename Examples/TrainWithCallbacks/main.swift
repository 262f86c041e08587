// TrainWithCallbacks: trains the digits MLP with ForgeTraining's Trainer and its built-in callbacks.
//
//     swift run TrainWithCallbacks [run directory]
//
// Validation each epoch with every classification metric, checkpoints every 20 steps and at each epoch
// (resumed automatically when the run directory already holds some: interrupt it with Ctrl-C and run it
// again), early stopping, reduce-on-plateau, the NaN guard, a progress bar, and a tracked run (an
// in-memory store, artifacts in the run directory) whose metadata is printed at the end.

import ForgeData
import ForgeLayers
import ForgeOptimizers
import ForgeTensor
import ForgeTracking
import ForgeTraining
import Foundation

let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Tests/DigitsLearningTests/Fixtures")
let runDirectory = URL(
    fileURLWithPath: CommandLine.arguments.dropFirst().first ?? NSTemporaryDirectory() + "forge-train-with-callbacks")

/// Writes a line straight to standard output, in order with the progress bar's output.
func say(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }

do {
    let train = try CSVReader.readMatrix(at: fixtures.appendingPathComponent("digits_train.csv"))
    let test = try CSVReader.readMatrix(at: fixtures.appendingPathComponent("digits_test.csv"))
    let standardize = Standardize.fit(train[.all, 1...])
    let trainSet = TensorDataset(features: standardize(train[.all, 1...]), labels: train[.all, 0].converted(to: .int64))
    let testSet = TensorDataset(features: standardize(test[.all, 1...]), labels: test[.all, 0].converted(to: .int64))

    var generator = RandomGenerator(seed: 0)
    let model = Sequential([
        Linear(inputFeatures: 64, outputFeatures: 128, generator: &generator), ReLU(),
        Dropout(probability: 0.1, seed: 1),
        Linear(inputFeatures: 128, outputFeatures: 64, generator: &generator), ReLU(),
        Linear(inputFeatures: 64, outputFeatures: 10, generator: &generator),
    ])
    let optimizer = try Adam(parameters: model.parameters(), learningRate: 1e-3)
    let plateau = LearningRateScheduler(optimizer: optimizer, schedule: try ReduceOnPlateau(factor: 0.5, patience: 2))
    let checkpoints = try ModelCheckpoint(
        directory: runDirectory.appendingPathComponent("checkpoints"),
        monitor: MetricMonitor(metric: MetricName.validationAccuracy, mode: .maximize), everySteps: 20)
    let trainer = Trainer(
        model: model, loss: CrossEntropyLoss(), optimizer: optimizer,
        trainingData: DataLoader(trainSet, batchSize: 32, shuffle: true, seed: 0),
        validationData: DataLoader(testSet, batchSize: 360), epochs: 30,
        monitor: MetricMonitor(metric: MetricName.validationAccuracy, mode: .maximize),
        callbacks: [
            LearningRateStepper(scheduler: plateau, metric: MetricName.validationLoss),
            EarlyStopping(patience: 5, restoresBestWeights: true), checkpoints, NaNGuard(), ProgressBar(),
        ])
    trainer.validationEvaluator = ClassificationEvaluator(scoreKind: .logits, topK: [3])
    if FileManager.default.fileExists(
        atPath: checkpoints.directory.appendingPathComponent(ModelCheckpoint.indexFile).path)
    {
        try trainer.restore(from: checkpoints.directory)
        let state = trainer.state
        let batches = state.completedEpochs == state.epoch ? state.completedBatches : 0
        say("resuming after \(state.completedEpochs) epochs and \(batches) batches")
    }

    let store = InMemoryTrackingStore()
    let artifacts = try ArtifactRepository(directory: runDirectory.appendingPathComponent("artifacts"))
    let tracker = Tracker(store: store, artifactRepository: artifacts, mode: .synchronous)
    let run = try await tracker.startRun(experiment: "digits", name: "mlp")
    let tracking = TrackingCallback(
        run: run,
        configuration: [
            "model": ["hidden": [128, 64], "dropout": 0.1], "optimizer": ["name": "adam", "lr": 1e-3],
            "batch_size": 32,
        ] as ConfigurationValue)
    let state = try await trainer.fit(tracking: tracking)

    let last = state.history.last?.metrics ?? [:]
    say("epochs: \(state.completedEpochs), best validation accuracy: \(state.bestMetric ?? .nan)")
    for key in ["validation_accuracy", "validation_macro_f1", "validation_roc_auc", "validation_log_loss"] {
        say("  \(key): \(String(format: "%.4f", last[key] ?? .nan))")
    }
    if let metadata = try await store.trainingMetadata(runID: run.id) {
        say(
            "tracked run \(run.id): \(metadata.charts.count) charts, parameters in \(metadata.parametersLocation ?? "-")"
        )
    }
    say("checkpoints: \(checkpoints.directory.path)")
} catch {
    say("TrainWithCallbacks: \(error)")
    exit(1)
}
