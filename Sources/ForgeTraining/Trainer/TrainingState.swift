/// Where a training run is and what it has seen so far: the position in the data, the best monitored
/// metric and the per-epoch history.
///
/// The ``Trainer`` owns it and updates it between callback stages; callbacks read it through
/// ``Trainer/state``. It is `Codable` because a checkpoint stores it (the trainer state JSON), and
/// resuming restores it exactly, including the running sums of the epoch in flight.
public struct TrainingState: Codable, Sendable, Equatable {
    /// The current epoch, counted from 0 (the last one after the run ends).
    public var epoch = 0
    /// The index in its epoch of the batch in flight (during batch stages) or of the last one trained.
    public var batchIndex = 0
    /// The number of batches of ``epoch`` already trained; resuming skips that many.
    public var completedBatches = 0
    /// The number of epochs finished (training, validation and epoch-end callbacks).
    public var completedEpochs = 0
    /// The number of optimizer steps taken since the run began.
    public var globalStep = 0
    /// The number of training examples seen since the run began.
    public var samplesSeen = 0
    /// The number of batches in the current epoch.
    public var batchesInEpoch = 0
    /// Σ loss × batch size over the trained batches of the current epoch.
    public var epochLossSum = 0.0
    /// The number of examples over which ``epochLossSum`` was summed.
    public var epochSampleCount = 0
    /// The best value of the trainer's monitored metric so far, nil before the first epoch that reported it.
    public var bestMetric: Double?
    /// The epoch where ``bestMetric`` was reached.
    public var bestEpoch: Int?
    /// One record per finished epoch.
    public var history: [EpochRecord] = []
    /// Why the run stopped early, once a callback asked it to (nil while it runs to the end).
    public var stopReason: String?

    /// Creates the state of a run that has not started.
    public init() {}

    /// The mean training loss over the batches of the current epoch trained so far (NaN before the first).
    public var epochMeanLoss: Double {
        epochSampleCount == 0 ? .nan : epochLossSum / Double(epochSampleCount)
    }

    /// Whether a callback asked the run to stop.
    public var isStopRequested: Bool { stopReason != nil }
}

/// The metrics of one finished epoch.
public struct EpochRecord: Codable, Sendable, Equatable {
    /// The epoch, counted from 0.
    public var epoch: Int
    /// The metrics by name: ``MetricName/trainingLoss``, ``MetricName/learningRate`` and the validation
    /// metrics prefixed with `validation_` (`validation_loss`, `validation_accuracy`, …).
    public var metrics: [String: Double]
    /// The wall-clock seconds the epoch's training and validation took.
    public var seconds: Double

    /// Creates a record.
    public init(epoch: Int, metrics: [String: Double], seconds: Double) {
        self.epoch = epoch
        self.metrics = metrics
        self.seconds = seconds
    }
}

/// The names under which the trainer reports its own metrics.
public enum MetricName {
    /// The mean training loss of an epoch (weighted by batch size).
    public static let trainingLoss = "training_loss"
    /// The learning rate of the first parameter group during an epoch.
    public static let learningRate = "learning_rate"
    /// The mean validation loss of an epoch.
    public static let validationLoss = "validation_loss"
    /// The validation accuracy of an epoch (classification).
    public static let validationAccuracy = "validation_accuracy"
    /// The prefix of every validation metric in an ``EpochRecord``.
    public static let validationPrefix = "validation_"
}

/// Which value of a metric is better, and by how much a value must beat the best to count.
///
/// Shared by the trainer's best-metric bookkeeping, ``ModelCheckpoint`` and ``EarlyStopping``.
///
/// ```swift
/// let monitor = MetricMonitor(metric: "validation_accuracy", mode: .maximize, minimumDelta: 1e-3)
/// monitor.isImprovement(0.95, over: 0.94)   // true
/// ```
public struct MetricMonitor: Codable, Sendable, Equatable {
    /// Whether smaller or larger values are better.
    public enum Mode: String, Codable, Sendable {
        /// Lower is better (losses).
        case minimize
        /// Higher is better (accuracies).
        case maximize
    }

    /// The metric's name in an ``EpochRecord`` (`validation_loss`).
    public var metric: String
    /// Whether lower or higher is better.
    public var mode: Mode
    /// The least change over the best value that counts as an improvement (≥ 0).
    public var minimumDelta: Double

    /// Creates a monitor.
    ///
    /// - Precondition: `minimumDelta` is finite and ≥ 0.
    public init(metric: String, mode: Mode = .minimize, minimumDelta: Double = 0) {
        precondition(
            minimumDelta >= 0 && minimumDelta.isFinite,
            "MetricMonitor: minimumDelta \(minimumDelta) for \(metric) must be finite and ≥ 0")
        self.metric = metric
        self.mode = mode
        self.minimumDelta = minimumDelta
    }

    /// Watches ``MetricName/validationLoss``, lower is better.
    public static let validationLoss = MetricMonitor(metric: MetricName.validationLoss, mode: .minimize)

    /// Whether `value` beats `best` by more than ``minimumDelta`` (any finite value beats nil; NaN never counts).
    public func isImprovement(_ value: Double, over best: Double?) -> Bool {
        guard !value.isNaN else { return false }
        guard let best else { return true }
        switch mode {
        case .minimize: return value < best - minimumDelta
        case .maximize: return value > best + minimumDelta
        }
    }

    /// The monitored value in `record`, nil when the epoch did not report it.
    public func value(in record: EpochRecord) -> Double? { record.metrics[metric] }
}
