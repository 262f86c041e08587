/// What the scores in a ``ClassificationBatch`` are.
public enum ScoreKind: String, Codable, Sendable {
    /// Unnormalized logits; the evaluator applies a softmax before probability metrics.
    case logits
    /// Class probabilities (rows sum to 1).
    case probabilities
}

/// One top-k accuracy value.
public struct TopKAccuracy: Codable, Equatable, Sendable {
    /// The number of top classes that count as correct.
    public var k: Int
    /// The fraction of examples whose label is within the top k.
    public var accuracy: Double
}

/// The ROC and precision–recall curves of one class (one-vs-rest; for two classes, the positive class 1).
public struct ClassCurves: Codable, Equatable, Sendable {
    /// The class treated as positive.
    public var classIndex: Int
    /// Its ROC curve.
    public var roc: ROCCurve
    /// Its precision–recall curve.
    public var precisionRecall: PrecisionRecallCurve
}

/// Every classification metric of an evaluation, ready to log or chart.
public struct ClassificationEvaluation: Codable, Equatable, Sendable {
    /// Examples evaluated.
    public var exampleCount: Int
    /// Arg-max accuracy.
    public var accuracy: Double
    /// Top-k accuracies for the requested k values below the class count.
    public var topKAccuracies: [TopKAccuracy]
    /// Per-class and averaged precision, recall and F1.
    public var report: ClassificationReport
    /// Counts of (true, predicted) class pairs.
    public var confusionMatrix: ConfusionMatrix
    /// Mean clipped negative log-likelihood of the labels.
    public var logLoss: Double
    /// Top-label reliability diagram and ECE.
    public var calibration: CalibrationReport
    /// Macro one-vs-rest ROC AUC (binary AUC for two classes); `nil` when undefined (a class absent).
    public var rocAUC: Double?
    /// Macro one-vs-rest average precision ("PR AUC"); `nil` when undefined.
    public var averagePrecision: Double?
    /// Curves for every class where they are defined (only class 1 for binary problems).
    public var curves: [ClassCurves]
}

/// Collects scores and labels batch by batch and computes every classification metric at the end.
///
/// It keeps all scores (`N × C` doubles) because ROC and precision–recall curves need the full ranking;
/// use ``AccuracyAccumulator`` or ``ConfusionMatrixAccumulator`` for constant memory.
///
/// ```swift
/// var evaluator = ClassificationEvaluator(scoreKind: .logits, classNames: ["cat", "dog", "bird"])
/// try evaluator.update(ClassificationBatch(scores: logits, labels: labels))
/// let evaluation = try evaluator.compute()
/// print(evaluation.report.macro.f1, evaluation.rocAUC ?? .nan)
/// ```
public struct ClassificationEvaluator: MetricAccumulator {
    /// Whether scores are logits or probabilities.
    public let scoreKind: ScoreKind
    /// The k values for top-k accuracy (values not below the class count are skipped).
    public let topK: [Int]
    /// Reliability-diagram bins.
    public let binCount: Int
    /// Names for the confusion matrix, or `nil` for class indices.
    public let classNames: [String]?
    private var table = ScoreTable(exampleCount: 0, classCount: 0, values: [])
    private var labels: [Int] = []

    /// Creates an evaluator.
    /// - Parameters:
    ///   - scoreKind: `.logits` (softmax applied for log-loss, calibration and curves) or `.probabilities`.
    ///   - topK: k values for top-k accuracy besides plain accuracy.
    ///   - binCount: bins of the reliability diagram.
    ///   - classNames: names for charts; their count must match the score columns.
    public init(scoreKind: ScoreKind, topK: [Int] = [5], binCount: Int = 10, classNames: [String]? = nil) {
        precondition(binCount >= 1, "ClassificationEvaluator: binCount must be at least 1, got \(binCount)")
        precondition(topK.allSatisfy { $0 >= 1 }, "ClassificationEvaluator: every k must be at least 1, got \(topK)")
        self.scoreKind = scoreKind
        self.topK = topK
        self.binCount = binCount
        self.classNames = classNames
    }

    /// Adds a batch; every batch must have the same number of score columns.
    public mutating func update(_ batch: ClassificationBatch) throws {
        let metric = "classification evaluation"
        var batchTable = try ScoreTable(tensor: batch.scores, metric: metric)
        if batchTable.classCount == 1 {
            throw MetricError.invalidShape(metric: metric, shape: batch.scores.shape, expected: "[B, C] with C ≥ 2")
        }
        if table.exampleCount > 0, batchTable.classCount != table.classCount {
            throw MetricError.invalidShape(
                metric: metric, shape: batch.scores.shape, expected: "[B, \(table.classCount)]")
        }
        if let classNames, classNames.count != batchTable.classCount {
            throw MetricError.invalidShape(
                metric: metric, shape: batch.scores.shape,
                expected: "[B, \(classNames.count)] (one column per class name)")
        }
        try MetricInput.checkFinite(batchTable.values, metric: metric)
        let batchLabels = try MetricInput.labels(batch.labels, metric: metric)
        try MetricInput.checkCounts(metric: metric, predictions: batchTable.exampleCount, labels: batchLabels.count)
        try MetricInput.checkRange(batchLabels, classCount: batchTable.classCount, metric: metric)
        if scoreKind == .logits { batchTable = Metrics.softmax(batchTable) }
        table.classCount = batchTable.classCount
        table.exampleCount += batchTable.exampleCount
        table.values.append(contentsOf: batchTable.values)
        labels.append(contentsOf: batchLabels)
    }

    /// Every metric over the batches so far.
    /// - Throws: ``MetricError/emptyInput(metric:)`` before the first batch.
    public func compute() throws -> ClassificationEvaluation {
        guard table.exampleCount > 0 else { throw MetricError.emptyInput(metric: "classification evaluation") }
        let classCount = table.classCount
        var matrix = ConfusionMatrix(classCount: classCount, classNames: classNames)
        matrix.add(predictions: table.argmax(), labels: labels)
        let topKAccuracies = topK.filter { $0 < classCount }.map {
            TopKAccuracy(
                k: $0,
                accuracy: Double(Metrics.topKCorrectCount(table: table, labels: labels, k: $0)) / Double(labels.count))
        }
        let curveClasses = classCount == 2 ? [1] : Array(0..<classCount)
        let curves: [ClassCurves] = curveClasses.compactMap { classIndex in
            let counts = BinaryCurveCounts(
                scores: table.column(classIndex), isPositive: labels.map { $0 == classIndex })
            guard let roc = try? ROCCurve(counts: counts, metric: "ROC AUC"),
                let precisionRecall = try? PrecisionRecallCurve(counts: counts, metric: "average precision")
            else { return nil }
            return ClassCurves(classIndex: classIndex, roc: roc, precisionRecall: precisionRecall)
        }
        let allDefined = curves.count == curveClasses.count
        return ClassificationEvaluation(
            exampleCount: table.exampleCount,
            accuracy: matrix.accuracy ?? 0,
            topKAccuracies: topKAccuracies,
            report: ClassificationReport(matrix: matrix),
            confusionMatrix: matrix,
            logLoss: Metrics.logLossSum(table: table, labels: labels, epsilon: .ulpOfOne) / Double(labels.count),
            calibration: try Metrics.calibration(table: table, labels: labels, binCount: binCount),
            rocAUC: allDefined ? curves.reduce(0) { $0 + $1.roc.area } / Double(curves.count) : nil,
            averagePrecision: allDefined
                ? curves.reduce(0) { $0 + $1.precisionRecall.averagePrecision } / Double(curves.count) : nil,
            curves: curves)
    }

    /// Forgets every batch.
    public mutating func reset() {
        table = ScoreTable(exampleCount: 0, classCount: 0, values: [])
        labels = []
    }
}
