import ForgeTensor
import Foundation
import Testing

@testable import ForgeTraining

@Suite("Streaming metric accumulators")
struct MetricAccumulatorTests {
    typealias F = MetricFixtures

    /// The fixture split into batches of 5, 5 and 4 examples, as float64 tensors.
    static func batches(logits: Bool = false) -> [ClassificationBatch] {
        stride(from: 0, to: 14, by: 5).map { start in
            let end = min(start + 5, 14)
            let rows = F.probabilities[start..<end].flatMap { row in logits ? row.map { log($0) + 3 } : row }
            return ClassificationBatch(
                scores: Tensor(rows, shape: [end - start, 3]),
                labels: Tensor(F.labels[start..<end].map(Int64.init)))
        }
    }

    @Test("accuracy and confusion matrix accumulators equal the one-shot metrics; reset forgets")
    func accuracyAndConfusion() throws {
        var accuracy = AccuracyAccumulator()
        var topTwo = AccuracyAccumulator(k: 2)
        var confusion = ConfusionMatrixAccumulator(classCount: 3, classNames: ["a", "b", "c"])
        #expect(throws: MetricError.emptyInput(metric: "accuracy")) { try accuracy.compute() }
        for batch in Self.batches() {
            try accuracy.update(batch)
            try topTwo.update(batch)
            try confusion.update(batch)
        }
        #expect(abs(try accuracy.compute() - 0.6428571428571429) < 1e-12)
        #expect(try topTwo.compute() == 1)
        #expect(try confusion.compute().counts == [[3, 1, 0], [1, 2, 1], [1, 1, 4]])
        accuracy.reset()
        confusion.reset()
        #expect(accuracy.exampleCount == 0)
        #expect(throws: MetricError.emptyInput(metric: "confusion matrix")) { try confusion.compute() }
        #expect(confusion.matrix.classNames == ["a", "b", "c"])
        // A malformed batch is rejected and not counted.
        let bad = ClassificationBatch(scores: Tensor([0.5, 0.5], shape: [1, 2]), labels: Tensor([Int32(0), 1]))
        #expect(throws: MetricError.countMismatch(metric: "accuracy", predictions: 1, labels: 2)) {
            try accuracy.update(bad)
        }
        #expect(accuracy.exampleCount == 0)
    }

    @Test("classification evaluator from logits reproduces the scikit-learn values")
    func evaluator() throws {
        var evaluator = ClassificationEvaluator(scoreKind: .logits, topK: [2, 5], binCount: 7)
        for batch in Self.batches(logits: true) { try evaluator.update(batch) }
        let evaluation = try evaluator.compute()
        #expect(evaluation.exampleCount == 14)
        #expect(abs(evaluation.accuracy - 0.6428571428571429) < 1e-12)
        #expect(evaluation.topKAccuracies == [TopKAccuracy(k: 2, accuracy: 1)])  // k = 5 ≥ 3 classes is skipped
        // log_loss(yt, P) = 0.6623890885727343 (softmax of log P + 3 is P)
        #expect(abs(evaluation.logLoss - 0.6623890885727343) < 1e-12)
        // roc_auc_score(..., multi_class='ovr') = 0.9173611111111112; macro AP = 0.8568783068783068
        #expect(abs((evaluation.rocAUC ?? 0) - 0.9173611111111112) < 1e-12)
        #expect(abs((evaluation.averagePrecision ?? 0) - 0.8568783068783068) < 1e-12)
        #expect(evaluation.curves.map(\.classIndex) == [0, 1, 2])
        #expect(abs(evaluation.report.macro.f1 - 0.6313131313131313) < 1e-12)
        // 7 bins: no confidence lies on an edge, where softmax rounding could move it across.
        let oneShot = try Metrics.calibration(probabilities: F.probabilities, labels: F.labels, binCount: 7)
        #expect(abs(evaluation.calibration.expectedCalibrationError - oneShot.expectedCalibrationError) < 1e-12)
        let data = try JSONEncoder().encode(evaluation)
        #expect(try JSONDecoder().decode(ClassificationEvaluation.self, from: data) == evaluation)
    }

    @Test("evaluator: undefined AUC is nil with one class; width changes and empty compute throw")
    func evaluatorEdgeCases() throws {
        var evaluator = ClassificationEvaluator(scoreKind: .probabilities)
        try evaluator.update(
            ClassificationBatch(scores: Tensor([0.8, 0.2, 0.6, 0.4], shape: [2, 2]), labels: Tensor([Int32(0), 0])))
        let evaluation = try evaluator.compute()
        #expect(evaluation.rocAUC == nil && evaluation.averagePrecision == nil && evaluation.curves.isEmpty)
        #expect(evaluation.accuracy == 1)
        #expect(
            throws: MetricError.invalidShape(metric: "classification evaluation", shape: [1, 3], expected: "[B, 2]")
        ) {
            try evaluator.update(
                ClassificationBatch(scores: Tensor([0.2, 0.3, 0.5], shape: [1, 3]), labels: Tensor([Int32(0)])))
        }
        evaluator.reset()
        #expect(throws: MetricError.emptyInput(metric: "classification evaluation")) { try evaluator.compute() }
        #expect(throws: MetricError.undefined(metric: "classification evaluation", reason: "score at index 1 is NaN")) {
            try evaluator.update(
                ClassificationBatch(scores: Tensor([0.2, .nan], shape: [1, 2]), labels: Tensor([Int32(0)])))
        }
        var named = ClassificationEvaluator(scoreKind: .probabilities, classNames: ["a", "b", "c"])
        #expect(throws: MetricError.self) {
            try named.update(
                ClassificationBatch(scores: Tensor([0.2, 0.8], shape: [1, 2]), labels: Tensor([Int32(0)])))
        }
    }

    @Test("regression accumulator equals the one-shot metrics across batches")
    func regression() throws {
        var accumulator = RegressionAccumulator()
        try accumulator.update(RegressionBatch(predictions: Tensor([2.5, 0.0]), targets: Tensor([3, -0.5])))
        try accumulator.update(RegressionBatch(predictions: Tensor([2.0, 8, 3.9]), targets: Tensor([2.0, 7, 4.2])))
        let metrics = try accumulator.compute()
        #expect(metrics.count == 5)
        #expect(abs(metrics.rSquared - 0.9480256276150627) < 1e-12)
        #expect(abs(metrics.meanSquaredError - 0.318) < 1e-12)
        accumulator.reset()
        #expect(throws: MetricError.emptyInput(metric: "regression metrics")) { try accumulator.compute() }
    }

    @Test("a user-written accumulator conforms to the same protocol")
    func customAccumulator() throws {
        struct MaximumScore: MetricAccumulator {
            var maximum: Double?
            mutating func update(_ batch: [Double]) throws {
                maximum = max(maximum ?? -.infinity, batch.max() ?? -.infinity)
            }
            func compute() throws -> Double {
                guard let maximum else { throw MetricError.emptyInput(metric: "maximum") }
                return maximum
            }
            mutating func reset() { maximum = nil }
        }
        func run<A: MetricAccumulator>(_ accumulator: inout A, _ batches: [A.Batch]) throws -> A.Result {
            accumulator.reset()
            for batch in batches { try accumulator.update(batch) }
            return try accumulator.compute()
        }
        var custom = MaximumScore()
        #expect(try run(&custom, [[1, 5], [3]]) == 5)
        var accuracy = AccuracyAccumulator()
        #expect(abs(try run(&accuracy, Self.batches()) - 0.6428571428571429) < 1e-12)
    }
}
