public import ForgeData
import ForgeLayers
public import ForgeTracking
public import ForgeVersioning
public import Foundation

/// Logs a training run to ForgeTracking: the resolved configuration as parameters, per-step and
/// per-epoch metrics while training, then — in ``finish(trainer:status:)`` — the data versions as
/// inputs, the final checkpoint as an artifact, the training metadata (who, when, configuration, data
/// and feature distributions, final metrics, evaluation charts, where the parameters are) and the
/// lineage from data versions to the model version in ForgeVersioning.
///
/// Metrics and parameters are buffered without waiting (`ActiveRun.record(metrics:)`), so the
/// training loop never blocks on the store. The rest is asynchronous; ``Trainer/fit(tracking:)`` runs
/// the loop and then ``finish(trainer:status:)``:
///
/// ```swift
/// let run = try await tracker.startRun(experiment: "digits", name: "mlp")
/// let tracking = TrackingCallback(
///     run: run, configuration: configuration,
///     datasets: [try DatasetInput(describing: train, versionedAs: "digits@v1", in: store, context: "training")],
///     lineage: TrackingCallback.Lineage(store: store, modelName: "digits-mlp", dataReferences: ["digits@v1"]))
/// try await trainer.fit(tracking: tracking)
/// ```
public final class TrackingCallback: TrainingCallback {
    /// Where the model version and its lineage go.
    public struct Lineage: Sendable {
        /// The version store (the same one that holds the data versions).
        public var store: VersionStore
        /// The name the final checkpoint is snapshotted under (`digits-mlp` → `digits-mlp@v1`, …).
        public var modelName: String
        /// The data versions the model was trained and validated on (`digits@v3`).
        public var dataReferences: [String]
        /// A directory inside the git checkout of the training code, to record its commit (nil: none).
        public var codeDirectory: URL?

        /// Creates the lineage settings.
        public init(store: VersionStore, modelName: String, dataReferences: [String], codeDirectory: URL? = nil) {
            self.store = store
            self.modelName = modelName
            self.dataReferences = dataReferences
            self.codeDirectory = codeDirectory
        }
    }

    /// What ``finish(trainer:status:)`` recorded.
    public struct Summary: Sendable {
        /// The artifacts of the final checkpoint.
        public var artifacts: [ArtifactRecord]
        /// The training metadata stored with the run.
        public var metadata: TrainingMetadata
        /// The model version's reference (`digits-mlp@v1`), when lineage was recorded.
        public var modelVersion: String?
        /// The lineage record, when lineage was recorded.
        public var lineage: LineageRecord?
    }

    /// The run being logged to.
    public let run: ActiveRun
    /// The full resolved configuration; logged flattened as parameters and whole in the metadata.
    public let configuration: JSONValue
    /// The datasets (with versions and feature distributions) logged as the run's inputs.
    public let datasets: [DatasetInput]
    /// Where lineage goes, or nil.
    public let lineage: Lineage?
    /// Per-step metrics are logged every this many optimizer steps.
    public let stepInterval: Int
    /// Who trained the model (the run's user by default).
    public let trainedBy: String
    /// The configuration as run parameters (dotted keys).
    public let configurationParameters: [String: String]

    private(set) var startTime: Date?
    private(set) var parametersLogged = false

    /// Creates the callback.
    ///
    /// - Parameters:
    ///   - run: an active run (`Tracker.startRun(experiment:name:parent:tags:)`).
    ///   - configuration: the resolved configuration.
    ///   - datasets: the training/validation/test data versions, with feature distributions.
    ///   - lineage: where to version the final model and record its lineage.
    ///   - stepInterval: log `step/loss` and `step/learning_rate` every N steps (≥ 1).
    ///   - trainedBy: who trained the model; defaults to the run's user.
    public convenience init(
        run: ActiveRun, configuration: JSONValue = .object([:]), datasets: [DatasetInput] = [], lineage: Lineage? = nil,
        stepInterval: Int = 1, trainedBy: String? = nil
    ) {
        self.init(
            run: run, configuration: configuration, datasets: datasets, lineage: lineage, stepInterval: stepInterval,
            trainedBy: trainedBy, parameters: configuration.flattenedParameters())
    }

    /// Creates the callback for a configuration loaded with ``ConfigurationLoader``: its flattened form
    /// (``ConfigurationValue/flattened()``) becomes the run's parameters and its tree the metadata's
    /// configuration.
    public convenience init(
        run: ActiveRun, configuration: ConfigurationValue, datasets: [DatasetInput] = [], lineage: Lineage? = nil,
        stepInterval: Int = 1, trainedBy: String? = nil
    ) {
        self.init(
            run: run, configuration: JSONValue(configuration), datasets: datasets, lineage: lineage,
            stepInterval: stepInterval, trainedBy: trainedBy, parameters: configuration.flattened())
    }

    private init(
        run: ActiveRun, configuration: JSONValue, datasets: [DatasetInput], lineage: Lineage?, stepInterval: Int,
        trainedBy: String?, parameters: [String: String]
    ) {
        precondition(stepInterval >= 1, "TrackingCallback: stepInterval \(stepInterval); use at least 1")
        self.run = run
        self.configuration = configuration
        self.datasets = datasets
        self.lineage = lineage
        self.stepInterval = stepInterval
        self.trainedBy = trainedBy ?? run.info.user
        self.configurationParameters = parameters
    }

    /// 60: after checkpoints, so the final checkpoint exists when the run ends.
    public var order: Int { 60 }

    /// Logs the configuration and the trainer's setup as parameters.
    public func trainingDidBegin(_ trainer: Trainer) throws {
        if startTime == nil { startTime = Date() }
        guard !parametersLogged else { return }
        var parameters = configurationParameters
        parameters["trainer.epochs"] = String(trainer.epochs)
        parameters["trainer.optimizer"] = String(describing: type(of: trainer.optimizer))
        parameters["trainer.loss"] = String(describing: type(of: trainer.loss))
        parameters["trainer.monitor"] = "\(trainer.monitor.metric) (\(trainer.monitor.mode.rawValue))"
        parameters["trainer.data_order_seed"] = String(trainer.dataOrderSeed)
        parameters["trainer.training_examples"] = String(trainer.trainingSampleCount)
        parameters["model.parameter_count"] = String(trainer.model.parameterCount())
        try run.record(params: parameters)
        parametersLogged = true
    }

    /// Logs `step/loss` and `step/learning_rate` every ``stepInterval`` steps.
    public func batchDidEnd(_ trainer: Trainer, batch: Batch, loss: Double) throws {
        let step = trainer.state.globalStep
        guard step % stepInterval == 0 else { return }
        try run.record(metrics: [
            Metric(key: "step/loss", value: loss, step: step),
            Metric(key: "step/learning_rate", value: trainer.optimizer.learningRate, step: step),
        ])
    }

    /// Logs the epoch's metrics (`training_loss`, `validation_accuracy`, …) at step = epoch.
    public func epochDidEnd(_ trainer: Trainer) throws {
        guard let record = trainer.state.history.last else { return }
        try run.record(
            metrics: record.metrics.sorted { $0.key < $1.key }.filter { !$0.value.isInfinite }.map {
                Metric(key: $0.key, value: $0.value, step: record.epoch)
            } + [Metric(key: "epoch/seconds", value: record.seconds, step: record.epoch)])
    }

    /// Tags the run with the error.
    public func trainingDidFail(_ trainer: Trainer, error: any Error) {
        try? run.record(tag: "forge.training.error", value: String(String(describing: error).prefix(5000)))
    }
}
