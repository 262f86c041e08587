public import ForgeTensor

/// One point of a curve (ROC or precision–recall) with the score threshold that produces it.
public struct CurvePoint: Codable, Equatable, Sendable {
    /// Horizontal coordinate (false-positive rate for ROC, recall for precision–recall).
    public var x: Double
    /// Vertical coordinate (true-positive rate for ROC, precision for precision–recall).
    public var y: Double
    /// Examples scoring at or above this value are predicted positive; `nil` for the end point where
    /// nothing is predicted positive (scikit-learn writes `inf` there, which JSON cannot hold).
    public var threshold: Double?

    /// Creates a point.
    public init(x: Double, y: Double, threshold: Double?) {
        self.x = x
        self.y = y
        self.threshold = threshold
    }
}

/// How per-class (one-vs-rest) values are combined into one number for multiclass data.
public enum MulticlassAverage: String, Codable, Sendable, CaseIterable {
    /// The unweighted mean over classes.
    case macro
    /// The mean weighted by how many examples have each class as label (prevalence).
    case weighted
}

/// Cumulative true and false positives at each distinct score, from the highest score down —
/// scikit-learn's `_binary_clf_curve`.
struct BinaryCurveCounts {
    /// Distinct scores, descending.
    var thresholds: [Double] = []
    /// Positives scoring at or above each threshold.
    var truePositives: [Int] = []
    /// Negatives scoring at or above each threshold.
    var falsePositives: [Int] = []
    /// Total positives.
    var positives: Int { truePositives.last ?? 0 }
    /// Total negatives.
    var negatives: Int { falsePositives.last ?? 0 }

    /// Sorts by descending score; tied scores form one threshold (so a tie moves the curve diagonally).
    init(scores: [Double], isPositive: [Bool]) {
        let order = scores.indices.sorted { scores[$0] > scores[$1] }
        var truePositives = 0
        var falsePositives = 0
        for (position, index) in order.enumerated() {
            if isPositive[index] { truePositives += 1 } else { falsePositives += 1 }
            let isLastOfTie = position == order.count - 1 || scores[order[position + 1]] != scores[index]
            if isLastOfTie {
                thresholds.append(scores[index])
                self.truePositives.append(truePositives)
                self.falsePositives.append(falsePositives)
            }
        }
    }

    /// Validates a binary problem and builds its counts.
    static func make(scores: [Double], labels: [Int], positiveLabel: Int, metric: String) throws -> BinaryCurveCounts {
        try MetricInput.checkCounts(metric: metric, predictions: scores.count, labels: labels.count)
        try MetricInput.checkFinite(scores, metric: metric)
        return BinaryCurveCounts(scores: scores, isPositive: labels.map { $0 == positiveLabel })
    }
}

extension Metrics {
    /// Splits `[N, C]` scores into one-vs-rest binary problems and averages a per-class value.
    ///
    /// One column (`[N]` or `[N, 1]`) is a binary problem with positive label 1; two columns use the
    /// second column as the positive score (like scikit-learn); more columns average one-vs-rest values.
    static func averagedOneVersusRest(
        table: ScoreTable, labels: [Int], average: MulticlassAverage, metric: String,
        binary: (_ scores: [Double], _ labels: [Int], _ positiveLabel: Int) throws -> Double
    ) throws -> Double {
        try MetricInput.checkCounts(metric: metric, predictions: table.exampleCount, labels: labels.count)
        switch table.classCount {
        case 0:
            throw MetricError.invalidShape(
                metric: metric, shape: [table.exampleCount, 0], expected: "[N, C] with C ≥ 1")
        case 1:
            return try binary(table.values, labels, 1)
        case 2:
            try MetricInput.checkRange(labels, classCount: 2, metric: metric)
            return try binary(table.column(1), labels, 1)
        default:
            try MetricInput.checkRange(labels, classCount: table.classCount, metric: metric)
            var total = 0.0
            var weightSum = 0.0
            for classIndex in 0..<table.classCount {
                let prevalence = Double(labels.reduce(0) { $0 + ($1 == classIndex ? 1 : 0) })
                let value = try binary(table.column(classIndex), labels, classIndex)
                let weight = average == .macro ? 1 : prevalence
                total += weight * value
                weightSum += weight
            }
            return total / weightSum
        }
    }
}

extension Metrics {
    /// ROC and precision–recall curves of a score tensor: one curve pair for `[N]`, `[N, 1]` or `[N, 2]`
    /// scores (the positive class 1), one per class (one-vs-rest) for more columns.
    ///
    /// ```swift
    /// for curves in try Metrics.curves(scores: probabilities, labels: labels) {
    ///     print(curves.classIndex, curves.roc.area, curves.precisionRecall.averagePrecision)
    /// }
    /// ```
    /// - Throws: ``MetricError/undefined(metric:reason:)`` when a class has no positive or no negative
    ///   example, and the usual shape, count and label errors.
    public static func curves(scores: Tensor, labels: Tensor) throws -> [ClassCurves] {
        let metric = "ROC AUC"
        let table = try ScoreTable(tensor: scores, metric: metric)
        let truth = try MetricInput.labels(labels, metric: metric)
        try MetricInput.checkCounts(metric: metric, predictions: table.exampleCount, labels: truth.count)
        try MetricInput.checkFinite(table.values, metric: metric)
        let classes = table.classCount <= 2 ? [1] : Array(0..<table.classCount)
        if table.classCount > 2 { try MetricInput.checkRange(truth, classCount: table.classCount, metric: metric) }
        return try classes.map { classIndex in
            let column = table.classCount == 1 ? table.values : table.column(classIndex)
            let counts = BinaryCurveCounts(scores: column, isPositive: truth.map { $0 == classIndex })
            return ClassCurves(
                classIndex: classIndex, roc: try ROCCurve(counts: counts, metric: "ROC AUC"),
                precisionRecall: try PrecisionRecallCurve(counts: counts, metric: "average precision"))
        }
    }
}
