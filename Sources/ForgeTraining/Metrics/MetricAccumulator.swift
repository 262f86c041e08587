public import ForgeTensor

/// A metric computed from batches as they arrive, for evaluation loops that never hold the whole set.
///
/// The trainer calls ``update(_:)`` once per batch, ``compute()`` at the end of an epoch and ``reset()``
/// before the next one. Every conformer must guarantee:
/// - ``compute()`` after any sequence of updates equals the one-shot metric on the concatenated batches
///   (up to floating-point summation order);
/// - ``compute()`` does not change the state, so it may be called for a running value mid-epoch;
/// - ``reset()`` returns to the freshly initialized state (configuration such as `k` is kept).
///
/// ```swift
/// var accuracy = AccuracyAccumulator()
/// for batch in loader {
///     try accuracy.update(ClassificationBatch(scores: model(batch.inputs), labels: batch.labels))
/// }
/// print(try accuracy.compute())
/// ```
public protocol MetricAccumulator: Sendable {
    /// What one update consumes (for example ``ClassificationBatch``).
    associatedtype Batch
    /// What ``compute()`` returns.
    associatedtype Result

    /// Adds one batch.
    /// - Throws: ``MetricError`` when the batch is malformed (its examples are then not counted).
    mutating func update(_ batch: Batch) throws

    /// The metric over every batch since the last reset.
    /// - Throws: ``MetricError`` when no batch was added or the metric is undefined for the data.
    func compute() throws -> Result

    /// Forgets every batch.
    mutating func reset()
}

/// A batch of classifier outputs: `[B, C]` scores (logits or probabilities) and `[B]` class labels.
public struct ClassificationBatch: Sendable {
    /// `[B, C]` scores.
    public var scores: Tensor
    /// `[B]` class indices (integer or integral floating-point tensor).
    public var labels: Tensor

    /// Creates a batch.
    public init(scores: Tensor, labels: Tensor) {
        self.scores = scores
        self.labels = labels
    }
}

/// A batch of regressor outputs and targets with the same number of elements.
public struct RegressionBatch: Sendable {
    /// Predicted values.
    public var predictions: Tensor
    /// Target values.
    public var targets: Tensor

    /// Creates a batch.
    public init(predictions: Tensor, targets: Tensor) {
        self.predictions = predictions
        self.targets = targets
    }
}

/// Streaming top-k accuracy (k = 1 is plain accuracy) over ``ClassificationBatch``es.
public struct AccuracyAccumulator: MetricAccumulator {
    /// How many top classes count as correct.
    public let k: Int
    /// Examples whose label was within the top k so far.
    public private(set) var correctCount = 0
    /// Examples seen so far.
    public private(set) var exampleCount = 0

    /// Creates an accumulator for top-`k` accuracy.
    public init(k: Int = 1) {
        precondition(k >= 1, "AccuracyAccumulator: k must be at least 1, got \(k)")
        self.k = k
    }

    /// Adds a batch's arg-max (or top-k) hits.
    public mutating func update(_ batch: ClassificationBatch) throws {
        let metric = k == 1 ? "accuracy" : "top-k accuracy"
        let table = try ScoreTable(tensor: batch.scores, metric: metric)
        let labels = try MetricInput.labels(batch.labels, metric: metric)
        try MetricInput.checkCounts(metric: metric, predictions: table.exampleCount, labels: labels.count)
        try MetricInput.checkRange(labels, classCount: table.classCount, metric: metric)
        correctCount += Metrics.topKCorrectCount(table: table, labels: labels, k: k)
        exampleCount += labels.count
    }

    /// The fraction correct so far.
    public func compute() throws -> Double {
        guard exampleCount > 0 else { throw MetricError.emptyInput(metric: k == 1 ? "accuracy" : "top-k accuracy") }
        return Double(correctCount) / Double(exampleCount)
    }

    /// Forgets every batch.
    public mutating func reset() {
        correctCount = 0
        exampleCount = 0
    }
}

/// Streaming confusion matrix over ``ClassificationBatch``es (predictions are the arg-max of the scores).
public struct ConfusionMatrixAccumulator: MetricAccumulator {
    /// The counts so far.
    public private(set) var matrix: ConfusionMatrix

    /// Creates an accumulator over `classCount` classes.
    public init(classCount: Int, classNames: [String]? = nil) {
        matrix = ConfusionMatrix(classCount: classCount, classNames: classNames)
    }

    /// Adds a batch; its score tensor must have `classCount` columns.
    public mutating func update(_ batch: ClassificationBatch) throws {
        let table = try ScoreTable(tensor: batch.scores, metric: "confusion matrix")
        guard table.classCount == matrix.classCount else {
            throw MetricError.invalidShape(
                metric: "confusion matrix", shape: batch.scores.shape, expected: "[B, \(matrix.classCount)]")
        }
        let labels = try MetricInput.labels(batch.labels, metric: "confusion matrix")
        try MetricInput.checkCounts(metric: "confusion matrix", predictions: table.exampleCount, labels: labels.count)
        try MetricInput.checkRange(labels, classCount: matrix.classCount, metric: "confusion matrix")
        matrix.add(predictions: table.argmax(), labels: labels)
    }

    /// The matrix so far.
    public func compute() throws -> ConfusionMatrix {
        guard matrix.total > 0 else { throw MetricError.emptyInput(metric: "confusion matrix") }
        return matrix
    }

    /// Zeroes the counts (class names are kept).
    public mutating func reset() {
        matrix = ConfusionMatrix(classCount: matrix.classCount, classNames: matrix.classNames)
    }
}

/// Streaming MSE, RMSE, MAE and R² over ``RegressionBatch``es, in constant memory.
public struct RegressionAccumulator: MetricAccumulator {
    private var sums = RegressionSums()

    /// Creates an empty accumulator.
    public init() {}

    /// Adds a batch.
    public mutating func update(_ batch: RegressionBatch) throws {
        let predictions = batch.predictions.doubleScalars
        let targets = batch.targets.doubleScalars
        guard predictions.count == targets.count else {
            throw MetricError.countMismatch(
                metric: "regression metrics", predictions: predictions.count, labels: targets.count)
        }
        for (prediction, target) in zip(predictions, targets) { sums.add(prediction: prediction, target: target) }
    }

    /// The metrics so far.
    public func compute() throws -> RegressionMetrics {
        guard sums.count > 0 else { throw MetricError.emptyInput(metric: "regression metrics") }
        return RegressionMetrics(sums: sums)
    }

    /// Forgets every batch.
    public mutating func reset() { sums = RegressionSums() }
}
