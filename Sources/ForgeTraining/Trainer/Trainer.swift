public import ForgeAutograd
public import ForgeData
public import ForgeLayers
public import ForgeOptimizers
import ForgeTensor

/// Runs epochs of training over a `DataLoader`: forward, loss, backward, optimizer step, validation
/// after each epoch, and ``TrainingCallback``s at every stage.
///
/// ```swift
/// let optimizer = try Adam(parameters: model.parameters(), learningRate: 1e-3)
/// let trainer = Trainer(
///     model: model, loss: CrossEntropyLoss(), optimizer: optimizer,
///     trainingData: DataLoader(train, batchSize: 32, shuffle: true, seed: 0),
///     validationData: DataLoader(validation, batchSize: 256),
///     epochs: 30,
///     callbacks: [EarlyStopping(patience: 5), try ModelCheckpoint(directory: checkpoints)])
/// let state = try trainer.fit()
/// print(state.history.last!.metrics["validation_accuracy"]!)
/// ```
///
/// **Determinism.** The trainer draws no randomness of its own: epoch `e` visits the batches the
/// loader gives for epoch `e` (a pure function of the loader's seed and `e`), and dropout draws from
/// its layers' generators. With the same model initialization and seeds, two runs end with
/// bit-identical weights, and a run resumed from a checkpoint (``restore(from:strict:)``) ends exactly where
/// the uninterrupted run ends.
///
/// The trainer is not thread-safe; run it on one thread (or task) at a time.
public final class Trainer {
    /// The model being trained; it maps a batch's features to the loss function's predictions.
    public let model: any Layer<Variable, Variable>
    /// The loss of a batch's predictions against its labels.
    public let loss: any LossFunction
    /// The optimizer that updates the model's parameters.
    public let optimizer: any Optimizer
    /// The number of epochs the run lasts (unless stopped early).
    public let epochs: Int
    /// The metric that defines ``TrainingState/bestMetric`` (validation loss by default).
    public let monitor: MetricMonitor
    /// The callbacks, in the order they run (by ``TrainingCallback/order``, then as given).
    public private(set) var callbacks: [any TrainingCallback]
    /// Where the run is; callbacks read it.
    public internal(set) var state = TrainingState()
    /// Computes every classification metric (precision/recall/F1, log-loss, calibration, ROC and PR
    /// AUC) on the validation data each epoch, in addition to loss and accuracy; nil computes only those.
    public var validationEvaluator: ClassificationEvaluator?
    /// The full classification evaluation of the latest validation, when ``validationEvaluator`` is set
    /// (confusion matrix and curves, for reports).
    public internal(set) var lastValidationEvaluation: ClassificationEvaluation?

    let trainingSource: BatchSource
    let validationSource: BatchSource?
    /// The dropout layers by dotted name, found once: their generators are part of a checkpoint.
    lazy var randomModules: [(name: String, module: Dropout)] = model.namedModules().compactMap { entry in
        (entry.module as? Dropout).map { (entry.name, $0) }
    }
    /// Each dropout layer's generator when the batch in flight began (to replay it exactly).
    var randomStateAtBatchBegin: [RandomGenerator] = []

    /// Creates a trainer with validation data.
    ///
    /// - Parameters:
    ///   - model: the model; its parameters should be the optimizer's.
    ///   - loss: the loss function, applied as `loss(model(features), labels)`.
    ///   - optimizer: updates the parameters once per batch.
    ///   - trainingData: the training batches; epoch `e` uses `trainingData.batches(epoch: e)`.
    ///   - validationData: evaluated after every epoch in evaluation mode without gradients (its epoch 0).
    ///   - epochs: how many epochs to run (≥ 1).
    ///   - monitor: the metric that defines the best epoch (validation loss, lower is better).
    ///   - scheduler: a learning-rate scheduler, stepped by a ``LearningRateStepper`` the trainer adds.
    ///   - schedulerInterval: step the scheduler per epoch (the default) or per batch.
    ///   - callbacks: run at every stage, see ``TrainingCallback``.
    public init<TrainingSource: Dataset, ValidationSource: Dataset>(
        model: any Layer<Variable, Variable>, loss: any LossFunction, optimizer: any Optimizer,
        trainingData: DataLoader<TrainingSource>, validationData: DataLoader<ValidationSource>?, epochs: Int,
        monitor: MetricMonitor = .validationLoss, scheduler: (any SchedulerStepping)? = nil,
        schedulerInterval: LearningRateStepper.Interval = .epoch, callbacks: [any TrainingCallback] = []
    ) {
        precondition(epochs >= 1, "Trainer: epochs is \(epochs); use at least 1")
        self.model = model
        self.loss = loss
        self.optimizer = optimizer
        self.epochs = epochs
        self.monitor = monitor
        self.trainingSource = BatchSource(trainingData)
        self.validationSource = validationData.map(BatchSource.init)
        var all = callbacks
        if let scheduler {
            // Per-epoch stepping shows the schedule the monitored metric, so reduce-on-plateau reacts to it.
            all.append(
                LearningRateStepper(
                    scheduler: scheduler, interval: schedulerInterval,
                    metric: schedulerInterval == .epoch ? monitor.metric : nil))
        }
        self.callbacks = Self.ordered(all)
    }

    /// Creates a trainer without validation data (metrics come from training alone).
    public convenience init<TrainingSource: Dataset>(
        model: any Layer<Variable, Variable>, loss: any LossFunction, optimizer: any Optimizer,
        trainingData: DataLoader<TrainingSource>, epochs: Int, monitor: MetricMonitor? = nil,
        scheduler: (any SchedulerStepping)? = nil, schedulerInterval: LearningRateStepper.Interval = .epoch,
        callbacks: [any TrainingCallback] = []
    ) {
        self.init(
            model: model, loss: loss, optimizer: optimizer, trainingData: trainingData,
            validationData: DataLoader<TrainingSource>?.none, epochs: epochs,
            monitor: monitor ?? MetricMonitor(metric: MetricName.trainingLoss), scheduler: scheduler,
            schedulerInterval: schedulerInterval, callbacks: callbacks)
    }

    /// Adds a callback (before the run starts).
    public func add(_ callback: any TrainingCallback) {
        callbacks = Self.ordered(callbacks + [callback])
    }

    /// Asks the run to stop: the current batch finishes, then ``TrainingCallback/trainingDidEnd(_:)``
    /// runs. The first reason given is kept in ``TrainingState/stopReason``.
    public func requestStop(reason: String) {
        if state.stopReason == nil { state.stopReason = reason }
    }

    /// The number of batches in an epoch of the training data.
    public var trainingBatchCount: Int { trainingSource.batchCount(state.epoch) }
    /// The number of training examples.
    public var trainingSampleCount: Int { trainingSource.sampleCount }
    /// The number of validation examples (0 without validation data).
    public var validationSampleCount: Int { validationSource?.sampleCount ?? 0 }
    /// The training loader's seed, which fixes the data order of every epoch.
    public var dataOrderSeed: UInt64 { trainingSource.seed }

    /// Runs `features` through the model and returns the loss against `labels` (recording the graph
    /// when gradient mode is on).
    public func computeLoss(for batch: Batch) -> Variable {
        loss.callAsFunction(model(Variable(batch.features)), batch.labels)
    }

    /// Replays the forward and backward pass of `batch` under anomaly detection, from the dropout
    /// state the batch in flight began with, and returns the first NaN or infinity found (nil when
    /// none). Gradients are left as the replay made them.
    public func findAnomaly(in batch: Batch) -> AnomalyError? {
        if randomStateAtBatchBegin.count == randomModules.count {
            for (entry, generator) in zip(randomModules, randomStateAtBatchBegin) { entry.module.generator = generator }
        }
        optimizer.zeroGradients()
        do {
            try withAnomalyDetection {
                try computeLoss(for: batch).backward()
            }
        } catch let anomaly as AnomalyError {
            return anomaly
        } catch {
            return nil
        }
        return nil
    }

    static func ordered(_ callbacks: [any TrainingCallback]) -> [any TrainingCallback] {
        callbacks.enumerated().sorted { ($0.element.order, $0.offset) < ($1.element.order, $1.offset) }.map(\.element)
    }
}
