import ForgeTensor
import Foundation
import Testing

@testable import ForgeTraining

@Suite("Classification metrics")
struct ClassificationMetricsTests {
    typealias F = MetricFixtures

    @Test("accuracy: hand-computed and scikit-learn accuracy_score")
    func accuracy() throws {
        #expect(try Metrics.accuracy(predictions: [0, 1, 1, 0], labels: [0, 1, 0, 0]) == 0.75)
        // accuracy_score(yt, P.argmax(1)) = 0.6428571428571429
        #expect(
            abs(try Metrics.accuracy(scores: F.probabilityTensor, labels: F.labelTensor) - 0.6428571428571429) < 1e-12)
        #expect(abs(try Metrics.accuracy(predictions: F.predictions, labels: F.labels) - 0.6428571428571429) < 1e-12)
    }

    @Test("top-k accuracy: hand-computed cases and ties")
    func topK() throws {
        let scores: [[Double]] = [[0.5, 0.3, 0.2], [0.1, 0.3, 0.6], [0.2, 0.5, 0.3]]
        // Labels 2, 0, 0: ranks 3, 3, 3 → top-2 = 0, top-3 = 1.
        #expect(try Metrics.topKAccuracy(scores: scores, labels: [2, 0, 0], k: 2) == 0)
        #expect(try Metrics.topKAccuracy(scores: scores, labels: [2, 0, 0], k: 3) == 1)
        // Labels 1, 1, 2: ranks 2, 2, 2.
        #expect(try Metrics.topKAccuracy(scores: scores, labels: [1, 1, 2], k: 1) == 0)
        #expect(try Metrics.topKAccuracy(scores: scores, labels: [1, 1, 2], k: 2) == 1)
        // A three-way tie: no class scores strictly higher, so each is within the top 1 by the
        // documented rule, while plain accuracy takes the first index.
        #expect(try Metrics.topKAccuracy(scores: [[1, 1, 1]], labels: [2], k: 2) == 1)
        #expect(try Metrics.accuracy(scores: Tensor([1.0, 1.0, 1.0], shape: [1, 3]), labels: Tensor([Int32(2)])) == 0)
        // top_k_accuracy_score(yt, P, k=2) = 1.0
        #expect(try Metrics.topKAccuracy(scores: F.probabilities, labels: F.labels, k: 2) == 1.0)
        #expect(throws: MetricError.invalidParameter(metric: "top-k accuracy", reason: "k must be at least 1, got 0")) {
            try Metrics.topKAccuracy(scores: scores, labels: [0, 0, 0], k: 0)
        }
    }

    @Test("confusion matrix matches scikit-learn confusion_matrix and keeps class names")
    func confusion() throws {
        let matrix = try Metrics.confusionMatrix(
            predictions: F.predictions, labels: F.labels, classCount: 3, classNames: ["cat", "dog", "bird"])
        // confusion_matrix(yt, yp).tolist()
        #expect(matrix.counts == [[3, 1, 0], [1, 2, 1], [1, 1, 4]])
        #expect(matrix.classNames == ["cat", "dog", "bird"])
        #expect(matrix.total == 14)
        #expect(matrix.truePositives(2) == 4 && matrix.falsePositives(2) == 1 && matrix.falseNegatives(2) == 2)
        let fromTensor = try Metrics.confusionMatrix(scores: F.probabilityTensor, labels: F.labelTensor)
        #expect(fromTensor.counts == matrix.counts)
        let normalizedRow: [Double] = fromTensor.normalizedByTrueClass()[2]
        let expectedRow: [Double] = [1.0 / 6, 1.0 / 6, 4.0 / 6]
        #expect(normalizedRow == expectedRow)
        let json = try JSONEncoder().encode(matrix)
        #expect(try JSONDecoder().decode(ConfusionMatrix.self, from: json) == matrix)
        let ragged = Data(#"{"classNames": ["a", "b"], "counts": [[1, 2], [3]]}"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(ConfusionMatrix.self, from: ragged) }
    }

    @Test("precision/recall/F1 per class and averaged match precision_recall_fscore_support")
    func precisionRecallF1() throws {
        let report = try Metrics.classificationReport(predictions: F.predictions, labels: F.labels, classCount: 3)
        // precision_recall_fscore_support(yt, yp, average=None)
        let expected: [(Double, Double, Double, Int)] = [
            (0.6, 0.75, 0.6666666666666666, 4), (0.5, 0.5, 0.5, 4), (0.8, 0.6666666666666666, 0.7272727272727273, 6),
        ]
        for (index, value) in expected.enumerated() {
            let scores = report.perClass[index]
            #expect(abs(scores.precision - value.0) < 1e-12)
            #expect(abs(scores.recall - value.1) < 1e-12)
            #expect(abs(scores.f1 - value.2) < 1e-12)
            #expect(scores.support == value.3)
        }
        // average="macro": 0.6333333333333334, 0.6388888888888888, 0.6313131313131313
        #expect(abs(report.macro.precision - 0.6333333333333334) < 1e-12)
        #expect(abs(report.macro.recall - 0.6388888888888888) < 1e-12)
        #expect(abs(report.macro.f1 - 0.6313131313131313) < 1e-12)
        // average="micro": 0.6428571428571429 (all three)
        #expect(abs(report.micro.precision - 0.6428571428571429) < 1e-12)
        #expect(abs(report.micro.recall - 0.6428571428571429) < 1e-12)
        #expect(abs(report.micro.f1 - 0.6428571428571429) < 1e-12)
        // average="weighted": 0.6571428571428573, 0.6428571428571429, 0.6450216450216449
        #expect(abs(report.weighted.precision - 0.6571428571428573) < 1e-12)
        #expect(abs(report.weighted.recall - 0.6428571428571429) < 1e-12)
        #expect(abs(report.weighted.f1 - 0.6450216450216449) < 1e-12)
        let fromTensor = try Metrics.classificationReport(scores: F.probabilityTensor, labels: F.labelTensor)
        #expect(fromTensor == report)
    }

    @Test("zero division: a never-predicted class gets 0 (scikit-learn default) or the chosen value")
    func zeroDivision() throws {
        let labels = [0, 0, 1, 1, 2]
        let predictions = [0, 1, 1, 1, 0]
        let report = try Metrics.classificationReport(predictions: predictions, labels: labels, classCount: 3)
        // precision_recall_fscore_support([0,0,1,1,2], [0,1,1,1,0], zero_division=0): class 2 → 0, 0, 0
        #expect(report.perClass[2] == PrecisionRecallScores(precision: 0, recall: 0, f1: 0, support: 1))
        // average="macro": 0.38888888888888884, 0.5, 0.43333333333333335
        #expect(abs(report.macro.precision - 0.38888888888888884) < 1e-12)
        #expect(abs(report.macro.recall - 0.5) < 1e-12)
        #expect(abs(report.macro.f1 - 0.43333333333333335) < 1e-12)
        // average="weighted": 0.4666666666666666, 0.6, 0.52
        #expect(abs(report.weighted.precision - 0.4666666666666666) < 1e-12)
        #expect(abs(report.weighted.f1 - 0.52) < 1e-12)
        // zeroDivision 1: only the undefined precision of class 2 changes (recall and F1 are defined).
        let lenient = try Metrics.classificationReport(
            predictions: predictions, labels: labels, classCount: 3, zeroDivision: 1)
        #expect(lenient.perClass[2].precision == 1 && lenient.perClass[2].recall == 0 && lenient.perClass[2].f1 == 0)
        // A class absent from labels and predictions is listed but left out of the averages.
        let absent = try Metrics.classificationReport(predictions: [0, 1], labels: [0, 1], classCount: 3)
        #expect(absent.perClass.count == 3 && absent.macro.f1 == 1 && absent.perClass[2].f1 == 0)
    }

    @Test("one class only, empty input and bad labels")
    func edgeCases() throws {
        let single = try Metrics.classificationReport(predictions: [0, 0, 0], labels: [0, 0, 0], classCount: 2)
        #expect(single.macro.f1 == 1 && single.micro.precision == 1)
        #expect(throws: MetricError.emptyInput(metric: "accuracy")) {
            try Metrics.accuracy(predictions: [], labels: [])
        }
        #expect(throws: MetricError.countMismatch(metric: "accuracy", predictions: 2, labels: 3)) {
            try Metrics.accuracy(predictions: [0, 1], labels: [0, 1, 1])
        }
        #expect(throws: MetricError.invalidLabel(metric: "confusion matrix", index: 1, value: 3, classCount: 3)) {
            try Metrics.confusionMatrix(predictions: [0, 1], labels: [0, 3], classCount: 3)
        }
        #expect(throws: MetricError.emptyInput(metric: "accuracy")) {
            try Metrics.accuracy(scores: Tensor([Float](), shape: [0, 3]), labels: Tensor([Int32]()))
        }
        #expect(throws: MetricError.invalidLabel(metric: "accuracy", index: 0, value: 0.5, classCount: 0)) {
            try Metrics.accuracy(scores: Tensor([Float(1), 2], shape: [1, 2]), labels: Tensor([Float(0.5)]))
        }
        #expect(throws: MetricError.invalidShape(metric: "accuracy", shape: [1, 1, 2], expected: "[N, C] or [N]")) {
            try Metrics.accuracy(scores: Tensor([Float(1), 2], shape: [1, 1, 2]), labels: Tensor([Int32(0)]))
        }
        #expect(
            throws: MetricError.invalidShape(metric: "accuracy", shape: [2, 0], expected: "at least one score column")
        ) {
            try Metrics.accuracy(scores: Tensor([Float](), shape: [2, 0]), labels: Tensor([Int32(0), 0]))
        }
        #expect(MetricError.emptyInput(metric: "ROC AUC").description == "ROC AUC: no examples (empty input)")
    }

    @Test("log-loss: clipped, matches scikit-learn log_loss")
    func logLoss() throws {
        // log_loss(yt, P) = 0.6623890885727343
        #expect(abs(try Metrics.logLoss(probabilities: F.probabilities, labels: F.labels) - 0.6623890885727343) < 1e-12)
        let tensorValue = try Metrics.logLoss(
            probabilities: F.probabilityTensor.converted(to: .float64), labels: F.labelTensor)
        #expect(abs(tensorValue - 0.6623890885727343) < 1e-12)
        // log_loss(y, p) for the binary fixture = 0.5366539335256906
        let binary = try Metrics.logLoss(positiveProbabilities: F.binaryScores, labels: F.binaryLabels)
        #expect(abs(binary - 0.5366539335256906) < 1e-12)
        // log_loss([1, 0], [[1, 0], [1, 0]]) = 18.021826694558577: the wrong one costs −log(2.22e-16).
        #expect(
            abs(try Metrics.logLoss(probabilities: [[1, 0], [1, 0]], labels: [1, 0]) - 18.021826694558577) < 1e-9)
        // Hand value: −(log 0.5 + log 0.25) / 2.
        let hand = try Metrics.logLoss(probabilities: [[0.5, 0.5], [0.75, 0.25]], labels: [0, 1])
        #expect(abs(hand - (-(log(0.5) + log(0.25)) / 2)) < 1e-15)
    }
}
