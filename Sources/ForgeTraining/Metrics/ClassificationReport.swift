public import ForgeTensor

/// Precision, recall and F1 of one class, or an average over classes.
public struct PrecisionRecallScores: Codable, Equatable, Sendable {
    /// `TP / (TP + FP)`.
    public var precision: Double
    /// `TP / (TP + FN)`.
    public var recall: Double
    /// `2 TP / (2 TP + FP + FN)`, the harmonic mean of precision and recall.
    public var f1: Double
    /// The number of examples whose label is the class (for an average: the total).
    public var support: Int

    /// Creates scores from their parts.
    public init(precision: Double, recall: Double, f1: Double, support: Int) {
        self.precision = precision
        self.recall = recall
        self.f1 = f1
        self.support = support
    }
}

/// Per-class precision/recall/F1 with macro, micro and support-weighted averages.
///
/// Zero division: a ratio whose denominator is zero (precision of a class never predicted, recall of a
/// class with no examples, F1 when `2 TP + FP + FN = 0`) takes the value `zeroDivision`, 0 by default —
/// the value scikit-learn's default `zero_division="warn"` returns. Averages follow
/// `sklearn.metrics.precision_recall_fscore_support` without `labels=`: they run over the classes that
/// occur in the labels or the predictions, so a class the data never mentions does not pull the macro
/// average down. ``perClass`` still lists every class.
public struct ClassificationReport: Codable, Equatable, Sendable {
    /// Scores for each class index `0..<classCount`.
    public var perClass: [PrecisionRecallScores]
    /// The unweighted mean over the classes present.
    public var macro: PrecisionRecallScores
    /// Computed from the summed TP/FP/FN over the classes present (equals accuracy for single-label data).
    public var micro: PrecisionRecallScores
    /// The mean over the classes present, weighted by each class's support.
    public var weighted: PrecisionRecallScores
    /// The value used for a ratio with a zero denominator.
    public var zeroDivision: Double

    /// Computes the report from a confusion matrix.
    /// - Parameters:
    ///   - matrix: counts of (true, predicted) class pairs.
    ///   - zeroDivision: value for a ratio whose denominator is zero (0 like scikit-learn's default, or 1).
    public init(matrix: ConfusionMatrix, zeroDivision: Double = 0) {
        func ratio(_ numerator: Int, _ denominator: Int) -> Double {
            denominator == 0 ? zeroDivision : Double(numerator) / Double(denominator)
        }
        var perClass: [PrecisionRecallScores] = []
        var present: [Int] = []
        var sumTP = 0
        var sumFP = 0
        var sumFN = 0
        for index in 0..<matrix.classCount {
            let truePositives = matrix.truePositives(index)
            let falsePositives = matrix.falsePositives(index)
            let falseNegatives = matrix.falseNegatives(index)
            perClass.append(
                PrecisionRecallScores(
                    precision: ratio(truePositives, truePositives + falsePositives),
                    recall: ratio(truePositives, truePositives + falseNegatives),
                    f1: ratio(2 * truePositives, 2 * truePositives + falsePositives + falseNegatives),
                    support: truePositives + falseNegatives))
            if truePositives + falsePositives + falseNegatives > 0 {
                present.append(index)
                sumTP += truePositives
                sumFP += falsePositives
                sumFN += falseNegatives
            }
        }
        let totalSupport = present.reduce(0) { $0 + perClass[$1].support }
        func mean(_ value: (PrecisionRecallScores) -> Double) -> Double {
            present.isEmpty ? zeroDivision : present.reduce(0) { $0 + value(perClass[$1]) } / Double(present.count)
        }
        func weightedMean(_ value: (PrecisionRecallScores) -> Double) -> Double {
            guard totalSupport > 0 else { return zeroDivision }
            return present.reduce(0) { $0 + value(perClass[$1]) * Double(perClass[$1].support) } / Double(totalSupport)
        }
        self.perClass = perClass
        self.macro = PrecisionRecallScores(
            precision: mean(\.precision), recall: mean(\.recall), f1: mean(\.f1), support: totalSupport)
        self.micro = PrecisionRecallScores(
            precision: ratio(sumTP, sumTP + sumFP), recall: ratio(sumTP, sumTP + sumFN),
            f1: ratio(2 * sumTP, 2 * sumTP + sumFP + sumFN), support: totalSupport)
        self.weighted = PrecisionRecallScores(
            precision: weightedMean(\.precision), recall: weightedMean(\.recall), f1: weightedMean(\.f1),
            support: totalSupport)
        self.zeroDivision = zeroDivision
    }
}

extension Metrics {
    /// Precision, recall and F1 per class and averaged (macro, micro, weighted).
    ///
    /// Matches `sklearn.metrics.precision_recall_fscore_support(labels, predictions, average=…)`
    /// with its default zero-division value of 0; see ``ClassificationReport``.
    /// - Parameters:
    ///   - predictions: predicted class per example.
    ///   - labels: true class per example.
    ///   - classCount: the number of classes.
    ///   - zeroDivision: value for a ratio whose denominator is zero.
    /// - Throws: ``MetricError`` for empty input, a count mismatch or an out-of-range class.
    public static func classificationReport(
        predictions: [Int], labels: [Int], classCount: Int, zeroDivision: Double = 0
    ) throws -> ClassificationReport {
        let matrix = try confusionMatrix(predictions: predictions, labels: labels, classCount: classCount)
        return ClassificationReport(matrix: matrix, zeroDivision: zeroDivision)
    }

    /// The classification report of the arg-max of `[N, C]` scores against `[N]` labels.
    public static func classificationReport(
        scores: Tensor, labels: Tensor, zeroDivision: Double = 0
    ) throws -> ClassificationReport {
        ClassificationReport(matrix: try confusionMatrix(scores: scores, labels: labels), zeroDivision: zeroDivision)
    }
}
