public import ForgeTensor

/// A receiver operating characteristic curve: true-positive rate against false-positive rate.
///
/// Points run from `(0, 0)` (threshold `nil`: nothing predicted positive) to `(1, 1)`, one per distinct
/// score, like `sklearn.metrics.roc_curve(labels, scores, drop_intermediate=False)`.
public struct ROCCurve: Codable, Equatable, Sendable {
    /// `x` = false-positive rate, `y` = true-positive rate, with the threshold of each point.
    public var points: [CurvePoint]
    /// The area under the curve (trapezoidal rule), equal to `sklearn.metrics.roc_auc_score`.
    public var area: Double

    /// Creates a curve from its points and area.
    public init(points: [CurvePoint], area: Double) {
        self.points = points
        self.area = area
    }

    init(counts: BinaryCurveCounts, metric: String) throws {
        guard counts.positives > 0, counts.negatives > 0 else {
            let present = counts.positives > 0 ? "positive" : "negative"
            throw MetricError.undefined(
                metric: metric, reason: "only one class (\(present)) is present in the labels")
        }
        var points = [CurvePoint(x: 0, y: 0, threshold: nil)]
        for index in counts.thresholds.indices {
            points.append(
                CurvePoint(
                    x: Double(counts.falsePositives[index]) / Double(counts.negatives),
                    y: Double(counts.truePositives[index]) / Double(counts.positives),
                    threshold: counts.thresholds[index]))
        }
        var area = 0.0
        for index in 1..<points.count {
            area += (points[index].x - points[index - 1].x) * (points[index].y + points[index - 1].y) / 2
        }
        self.init(points: points, area: area)
    }
}

extension Metrics {
    /// The ROC curve of binary scores: examples whose label is `positiveLabel` are positives, all others negatives.
    ///
    /// ```swift
    /// let curve = try Metrics.rocCurve(scores: [0.1, 0.4, 0.35, 0.8], labels: [0, 0, 1, 1])
    /// curve.area  // 0.75
    /// ```
    /// - Throws: ``MetricError/undefined(metric:reason:)`` when only one class is present, and the
    ///   usual empty/mismatch errors.
    public static func rocCurve(scores: [Double], labels: [Int], positiveLabel: Int = 1) throws -> ROCCurve {
        let counts = try BinaryCurveCounts.make(
            scores: scores, labels: labels, positiveLabel: positiveLabel, metric: "ROC AUC")
        return try ROCCurve(counts: counts, metric: "ROC AUC")
    }

    /// The area under the ROC curve of binary scores (`sklearn.metrics.roc_auc_score`).
    public static func rocAUC(scores: [Double], labels: [Int], positiveLabel: Int = 1) throws -> Double {
        try rocCurve(scores: scores, labels: labels, positiveLabel: positiveLabel).area
    }

    /// ROC AUC of `[N][C]` scores: binary for one or two columns, one-vs-rest averaged for more
    /// (`roc_auc_score(labels, scores, multi_class="ovr", average=…)`).
    /// - Throws: ``MetricError/undefined(metric:reason:)`` when a class has no examples.
    public static func rocAUC(scores: [[Double]], labels: [Int], average: MulticlassAverage = .macro) throws -> Double {
        try rocAUC(table: ScoreTable(rows: scores, metric: "ROC AUC"), labels: labels, average: average)
    }

    /// ROC AUC of a `[N, C]` (or `[N]`) score tensor against `[N]` labels; see the array form.
    public static func rocAUC(scores: Tensor, labels: Tensor, average: MulticlassAverage = .macro) throws -> Double {
        try rocAUC(
            table: ScoreTable(tensor: scores, metric: "ROC AUC"), labels: MetricInput.labels(labels, metric: "ROC AUC"),
            average: average)
    }

    static func rocAUC(table: ScoreTable, labels: [Int], average: MulticlassAverage) throws -> Double {
        try averagedOneVersusRest(table: table, labels: labels, average: average, metric: "ROC AUC") {
            try rocAUC(scores: $0, labels: $1, positiveLabel: $2)
        }
    }

    /// One-vs-rest ROC curves, one per class of `[N][C]` scores (for charts of multiclass models).
    public static func rocCurves(scores: [[Double]], labels: [Int]) throws -> [ROCCurve] {
        let table = try ScoreTable(rows: scores, metric: "ROC AUC")
        try MetricInput.checkCounts(metric: "ROC AUC", predictions: table.exampleCount, labels: labels.count)
        return try (0..<table.classCount).map {
            try rocCurve(scores: table.column($0), labels: labels, positiveLabel: $0)
        }
    }
}
