public import ForgeTensor

/// A precision–recall curve with its average precision (reported as "PR AUC").
///
/// Points run from recall 0 (precision 1, threshold `nil`) through one point per distinct score in
/// descending order, like `sklearn.metrics.precision_recall_curve` read backwards.
public struct PrecisionRecallCurve: Codable, Equatable, Sendable {
    /// `x` = recall, `y` = precision, with the threshold of each point.
    public var points: [CurvePoint]
    /// Average precision: `Σ (Rₙ − Rₙ₋₁) Pₙ` over the thresholds, scikit-learn's
    /// `average_precision_score` — a step-wise area, not the optimistic trapezoidal one.
    public var averagePrecision: Double

    /// Creates a curve from its points and average precision.
    public init(points: [CurvePoint], averagePrecision: Double) {
        self.points = points
        self.averagePrecision = averagePrecision
    }

    init(counts: BinaryCurveCounts, metric: String) throws {
        guard counts.positives > 0 else {
            throw MetricError.undefined(metric: metric, reason: "no positive example in the labels")
        }
        var points = [CurvePoint(x: 0, y: 1, threshold: nil)]
        var averagePrecision = 0.0
        var previousRecall = 0.0
        for index in counts.thresholds.indices {
            let truePositives = Double(counts.truePositives[index])
            let precision = truePositives / (truePositives + Double(counts.falsePositives[index]))
            let recall = truePositives / Double(counts.positives)
            averagePrecision += (recall - previousRecall) * precision
            previousRecall = recall
            points.append(CurvePoint(x: recall, y: precision, threshold: counts.thresholds[index]))
        }
        self.init(points: points, averagePrecision: averagePrecision)
    }
}

extension Metrics {
    /// The precision–recall curve of binary scores; examples labelled `positiveLabel` are positives.
    ///
    /// ```swift
    /// let curve = try Metrics.precisionRecallCurve(scores: [0.1, 0.4, 0.35, 0.8], labels: [0, 0, 1, 1])
    /// curve.averagePrecision  // 0.8333…
    /// ```
    /// - Throws: ``MetricError/undefined(metric:reason:)`` when no example is positive.
    public static func precisionRecallCurve(
        scores: [Double], labels: [Int], positiveLabel: Int = 1
    ) throws -> PrecisionRecallCurve {
        let counts = try BinaryCurveCounts.make(
            scores: scores, labels: labels, positiveLabel: positiveLabel, metric: "average precision")
        return try PrecisionRecallCurve(counts: counts, metric: "average precision")
    }

    /// Average precision ("PR AUC") of binary scores (`sklearn.metrics.average_precision_score`).
    public static func averagePrecision(scores: [Double], labels: [Int], positiveLabel: Int = 1) throws -> Double {
        try precisionRecallCurve(scores: scores, labels: labels, positiveLabel: positiveLabel).averagePrecision
    }

    /// Average precision of `[N][C]` scores: binary for one or two columns, one-vs-rest averaged for more
    /// (`average_precision_score(label_binarize(labels), scores, average=…)`).
    public static func averagePrecision(
        scores: [[Double]], labels: [Int], average: MulticlassAverage = .macro
    ) throws -> Double {
        try averagePrecision(
            table: ScoreTable(rows: scores, metric: "average precision"), labels: labels, average: average)
    }

    /// Average precision of a `[N, C]` (or `[N]`) score tensor against `[N]` labels; see the array form.
    public static func averagePrecision(
        scores: Tensor, labels: Tensor, average: MulticlassAverage = .macro
    ) throws -> Double {
        try averagePrecision(
            table: ScoreTable(tensor: scores, metric: "average precision"),
            labels: MetricInput.labels(labels, metric: "average precision"), average: average)
    }

    static func averagePrecision(table: ScoreTable, labels: [Int], average: MulticlassAverage) throws -> Double {
        try averagedOneVersusRest(table: table, labels: labels, average: average, metric: "average precision") {
            try averagePrecision(scores: $0, labels: $1, positiveLabel: $2)
        }
    }

    /// One-vs-rest precision–recall curves, one per class of `[N][C]` scores.
    public static func precisionRecallCurves(scores: [[Double]], labels: [Int]) throws -> [PrecisionRecallCurve] {
        let table = try ScoreTable(rows: scores, metric: "average precision")
        try MetricInput.checkCounts(metric: "average precision", predictions: table.exampleCount, labels: labels.count)
        return try (0..<table.classCount).map {
            try precisionRecallCurve(scores: table.column($0), labels: labels, positiveLabel: $0)
        }
    }
}
