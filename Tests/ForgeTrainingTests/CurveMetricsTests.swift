import ForgeTensor
import Foundation
import Testing

@testable import ForgeTraining

@Suite("ROC and precision-recall curves")
struct CurveMetricsTests {
    typealias F = MetricFixtures

    @Test("binary ROC: hand-computed four-point case")
    func handROC() throws {
        // Positives score 0.35 and 0.8, negatives 0.1 and 0.4: 3 of 4 pairs ranked right.
        let curve = try Metrics.rocCurve(scores: [0.1, 0.4, 0.35, 0.8], labels: [0, 0, 1, 1])
        #expect(abs(curve.area - 0.75) < 1e-15)
        #expect(curve.points.map(\.x) == [0, 0, 0.5, 0.5, 1])
        #expect(curve.points.map(\.y) == [0, 0.5, 0.5, 1, 1])
        #expect(curve.points.first?.threshold == nil && curve.points.last?.threshold == 0.1)
    }

    @Test("binary ROC with ties matches roc_curve(drop_intermediate=False) and roc_auc_score")
    func sklearnROC() throws {
        let curve = try Metrics.rocCurve(scores: F.binaryScores, labels: F.binaryLabels)
        // roc_auc_score(y, s) = 0.8
        #expect(abs(curve.area - 0.8) < 1e-12)
        // fpr, tpr, thresholds = roc_curve(y, s, drop_intermediate=False)
        #expect(curve.points.map(\.x) == [0.0, 0.0, 0.0, 0.2, 0.2, 0.4, 0.6, 0.8, 1.0])
        #expect(curve.points.map(\.y) == [0.0, 0.2, 0.4, 0.4, 0.6, 0.8, 1.0, 1.0, 1.0])
        #expect(curve.points.map(\.threshold) == [nil, 0.9, 0.8, 0.7, 0.55, 0.4, 0.35, 0.2, 0.1])
        // Ties: two examples at 0.35 (one positive, one negative) make one diagonal step.
        let tied = try Metrics.rocAUC(scores: [0.5, 0.5], labels: [0, 1])
        #expect(tied == 0.5)
        // positiveLabel selects which label is positive; the others are negatives.
        #expect(
            abs(
                try Metrics.rocAUC(scores: F.binaryScores.map { 1 - $0 }, labels: F.binaryLabels, positiveLabel: 0)
                    - 0.8) < 1e-12)
    }

    @Test("multiclass one-vs-rest ROC AUC matches roc_auc_score(multi_class='ovr')")
    func multiclassROC() throws {
        // roc_auc_score(yt, P, multi_class='ovr', average='macro') = 0.9173611111111112
        #expect(abs(try Metrics.rocAUC(scores: F.probabilities, labels: F.labels) - 0.9173611111111112) < 1e-12)
        // average='weighted' = 0.9187500000000001
        let weighted = try Metrics.rocAUC(scores: F.probabilityTensor, labels: F.labelTensor, average: .weighted)
        #expect(abs(weighted - 0.9187500000000001) < 1e-6)  // float32 tensor scores
        let curves = try Metrics.rocCurves(scores: F.probabilities, labels: F.labels)
        #expect(curves.count == 3)
        let meanArea: Double = curves.map(\.area).reduce(0, +) / 3
        #expect(abs(meanArea - 0.9173611111111112) < 1e-12)
        // Two columns: the second column is the positive score, as in scikit-learn.
        let twoColumns = F.binaryScores.map { [1 - $0, $0] }
        #expect(abs(try Metrics.rocAUC(scores: twoColumns, labels: F.binaryLabels) - 0.8) < 1e-12)
    }

    @Test("precision-recall curve and average precision match scikit-learn")
    func precisionRecall() throws {
        let hand = try Metrics.precisionRecallCurve(scores: [0.1, 0.4, 0.35, 0.8], labels: [0, 0, 1, 1])
        // Thresholds 0.8 (P 1, R ½), 0.4 (P ½, R ½), 0.35 (P ⅔, R 1): AP = ½·1 + ½·⅔.
        #expect(abs(hand.averagePrecision - (0.5 + 1.0 / 3)) < 1e-15)
        let curve = try Metrics.precisionRecallCurve(scores: F.binaryScores, labels: F.binaryLabels)
        // average_precision_score(y, s) = 0.8083333333333333
        #expect(abs(curve.averagePrecision - 0.8083333333333333) < 1e-12)
        // precision_recall_curve(y, s), read from the end: precision, recall, thresholds
        let precision = [1.0, 1.0, 1.0, 0.6666666666666666, 0.75, 0.6666666666666666, 0.625, 0.5555555555555556, 0.5]
        let recall = [0.0, 0.2, 0.4, 0.4, 0.6, 0.8, 1.0, 1.0, 1.0]
        #expect(curve.points.count == precision.count)
        for (point, (p, r)) in zip(curve.points, zip(precision, recall)) {
            #expect(abs(point.y - p) < 1e-12 && abs(point.x - r) < 1e-12)
        }
        #expect(curve.points.map(\.threshold) == [nil, 0.9, 0.8, 0.7, 0.55, 0.4, 0.35, 0.2, 0.1])
        // average_precision_score(label_binarize(yt, classes=[0,1,2]), P, average='macro') = 0.8568783068783068
        #expect(
            abs(try Metrics.averagePrecision(scores: F.probabilities, labels: F.labels) - 0.8568783068783068) < 1e-12)
        // average='weighted' = 0.8600340136054422
        let weighted = try Metrics.averagePrecision(scores: F.probabilities, labels: F.labels, average: .weighted)
        #expect(abs(weighted - 0.8600340136054422) < 1e-12)
        #expect(try Metrics.precisionRecallCurves(scores: F.probabilities, labels: F.labels).count == 3)
    }

    @Test("one class only, NaN scores and empty input throw typed errors")
    func undefinedCases() throws {
        #expect(
            throws: MetricError.undefined(
                metric: "ROC AUC", reason: "only one class (positive) is present in the labels")
        ) {
            try Metrics.rocAUC(scores: [0.2, 0.9], labels: [1, 1])
        }
        #expect(throws: MetricError.undefined(metric: "average precision", reason: "no positive example in the labels"))
        {
            try Metrics.averagePrecision(scores: [0.2, 0.9], labels: [0, 0])
        }
        #expect(
            throws: MetricError.undefined(
                metric: "ROC AUC", reason: "only one class (negative) is present in the labels")
        ) {
            // Class 2 never occurs as a label, so its one-vs-rest AUC is undefined.
            try Metrics.rocAUC(scores: [[0.5, 0.3, 0.2], [0.2, 0.5, 0.3], [0.4, 0.4, 0.2]], labels: [0, 1, 0])
        }
        #expect(throws: MetricError.undefined(metric: "ROC AUC", reason: "score at index 1 is NaN")) {
            try Metrics.rocAUC(scores: [0.2, .nan], labels: [0, 1])
        }
        #expect(throws: MetricError.emptyInput(metric: "ROC AUC")) { try Metrics.rocCurve(scores: [], labels: []) }
    }

    @Test("tensor curves: binary [N] scores and one-vs-rest [N, C] scores")
    func tensorCurves() throws {
        let binary = try Metrics.curves(
            scores: Tensor(F.binaryScores), labels: Tensor(F.binaryLabels.map(Int32.init)))
        #expect(binary.count == 1 && binary[0].classIndex == 1)
        #expect(abs(binary[0].roc.area - 0.8) < 1e-12)
        #expect(abs(binary[0].precisionRecall.averagePrecision - 0.8083333333333333) < 1e-12)
        let multiclass = try Metrics.curves(
            scores: F.probabilityTensor.converted(to: .float64), labels: F.labelTensor)
        #expect(multiclass.map(\.classIndex) == [0, 1, 2])
        let meanArea: Double = multiclass.map(\.roc.area).reduce(0, +) / 3
        #expect(abs(meanArea - 0.9173611111111112) < 1e-12)
        #expect(throws: MetricError.self) {
            try Metrics.curves(scores: Tensor([0.1, 0.9]), labels: Tensor([Int32(1), 1]))
        }
    }

    @Test("curves round-trip through JSON (threshold nil, no infinity)")
    func codable() throws {
        let curve = try Metrics.rocCurve(scores: F.binaryScores, labels: F.binaryLabels)
        let data = try JSONEncoder().encode(curve)
        #expect(try JSONDecoder().decode(ROCCurve.self, from: data) == curve)
    }
}
