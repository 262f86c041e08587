import ForgeAutograd
import ForgeData
import ForgeLayers
import ForgeOptimizers
import ForgeTensor
import ForgeTraining
import Foundation
import Testing

@Suite("Trainer")
struct TrainerTests {
    @Test("an MLP trained by the Trainer reaches a real accuracy on the digits")
    func mlpLearnsDigits() throws {
        let digits = Digits.shared
        let model = makeMLP(seed: 0, hidden: 64)
        let optimizer = try Adam(parameters: model.parameters(), learningRate: 3e-3)
        let trainer = Trainer(
            model: model, loss: CrossEntropyLoss(), optimizer: optimizer,
            trainingData: DataLoader(digits.train, batchSize: 32, shuffle: true, seed: 0),
            validationData: DataLoader(digits.test, batchSize: 360), epochs: 6,
            monitor: MetricMonitor(metric: MetricName.validationAccuracy, mode: .maximize))
        let state = try trainer.fit()

        #expect(state.completedEpochs == 6)
        #expect(state.globalStep == 6 * 45)
        #expect(state.samplesSeen == 6 * 1437)
        #expect(state.history.map(\.epoch) == [0, 1, 2, 3, 4, 5])
        let last = try #require(state.history.last)
        let accuracy = try #require(last.metrics[MetricName.validationAccuracy])
        #expect(accuracy >= 0.95, "validation accuracy \(accuracy)")
        let firstLoss = try #require(state.history.first?.metrics[MetricName.trainingLoss])
        let lastLoss = try #require(last.metrics[MetricName.trainingLoss])
        #expect(lastLoss < firstLoss / 3, "training loss \(firstLoss) → \(lastLoss)")
        #expect(state.bestMetric == state.history.compactMap { $0.metrics[MetricName.validationAccuracy] }.max())

        // The trainer's validation metrics are the model's accuracy computed independently.
        model.eval()
        let predictions = withoutGradient { model(Variable(digits.test.features)).value.argmax(axis: 1) }
        let correct = (predictions .== digits.test.labels).sum().converted(to: .int64).item(as: Int64.self)
        #expect(abs(Double(correct) / 360 - accuracy) < 1e-12)
    }

    @Test("the same seeds give bit-identical weights, with dropout in the model")
    func sameSeedBitIdentical() throws {
        func train() throws -> [String: Tensor] {
            var generator = RandomGenerator(seed: 3)
            let model = Sequential([
                Linear(inputFeatures: 64, outputFeatures: 32, generator: &generator), ReLU(),
                Dropout(probability: 0.3, seed: 4),
                Linear(inputFeatures: 32, outputFeatures: 10, generator: &generator),
            ])
            let optimizer = try Adam(parameters: model.parameters(), learningRate: 1e-3)
            let trainer = Trainer(
                model: model, loss: CrossEntropyLoss(), optimizer: optimizer,
                trainingData: DataLoader(Digits.shared.trainPrefix(320), batchSize: 32, shuffle: true, seed: 5),
                epochs: 2)
            try trainer.fit()
            return model.stateDict()
        }
        let first = try train()
        let second = try train()
        expectIdentical(second, first, "second run")
    }

    @Test("the training loss of an epoch is the batch-size-weighted mean of its batch losses")
    func epochLossIsWeightedMean() throws {
        final class Losses: TrainingCallback {
            var values: [(loss: Double, count: Int)] = []
            func batchDidEnd(_ trainer: Trainer, batch: Batch, loss: Double) throws {
                values.append((loss, batch.count))
            }
        }
        let losses = Losses()
        let model = makeMLP(seed: 1)
        let trainer = Trainer(
            model: model, loss: CrossEntropyLoss(),
            optimizer: try SGD(parameters: model.parameters(), learningRate: 0.05),
            trainingData: DataLoader(Digits.shared.trainPrefix(100), batchSize: 32), epochs: 1, callbacks: [losses])
        let state = try trainer.fit()
        #expect(losses.values.map(\.count) == [32, 32, 32, 4])
        let expected = losses.values.reduce(0) { $0 + $1.loss * Double($1.count) } / 100
        let reported = try #require(state.history.first?.metrics[MetricName.trainingLoss])
        #expect(abs(reported - expected) < 1e-12)
        #expect(state.history.first?.metrics[MetricName.learningRate] == 0.05)
    }

    @Test("evaluate runs in evaluation mode without gradients and restores training mode")
    func evaluateUsesEvalMode() throws {
        let dropout = Dropout(probability: 0.9, seed: 1)
        var generator = RandomGenerator(seed: 2)
        let model = Sequential([Linear(inputFeatures: 64, outputFeatures: 10, generator: &generator), dropout])
        let trainer = Trainer(
            model: model, loss: CrossEntropyLoss(),
            optimizer: try SGD(parameters: model.parameters(), learningRate: 0.1),
            trainingData: DataLoader(Digits.shared.trainPrefix(64), batchSize: 32), epochs: 1)
        let before = dropout.generator
        let first = trainer.evaluate(DataLoader(Digits.shared.test, batchSize: 100))
        let second = trainer.evaluate(DataLoader(Digits.shared.test, batchSize: 360))
        #expect(dropout.generator == before, "dropout drew masks during evaluation")
        #expect(model.isTraining)
        #expect(abs(try #require(first["loss"]) - (try #require(second["loss"]))) < 1e-5)
        #expect(first["accuracy"] == second["accuracy"])
        #expect(model.parameters().allSatisfy { $0.gradient == nil })
    }

    @Test("with an evaluator, validation reports every classification metric, equal to evaluating separately")
    func validationEvaluator() throws {
        let digits = Digits.shared
        let model = makeMLP(seed: 6)
        let trainer = Trainer(
            model: model, loss: CrossEntropyLoss(),
            optimizer: try Adam(parameters: model.parameters(), learningRate: 3e-3),
            trainingData: DataLoader(digits.train, batchSize: 64, shuffle: true, seed: 6),
            validationData: DataLoader(digits.test, batchSize: 100), epochs: 1)
        trainer.validationEvaluator = ClassificationEvaluator(scoreKind: .logits, topK: [3])
        let state = try trainer.fit()
        let metrics = try #require(state.history.last?.metrics)

        model.eval()
        let logits = withoutGradient { model(Variable(digits.test.features)).value }
        var evaluator = ClassificationEvaluator(scoreKind: .logits, topK: [3])
        try evaluator.update(ClassificationBatch(scores: logits, labels: digits.test.labels))
        let evaluation = try evaluator.compute()
        #expect(metrics["validation_accuracy"] == evaluation.accuracy)
        #expect(metrics["validation_macro_f1"] == evaluation.report.macro.f1)
        #expect(metrics["validation_top_3_accuracy"] == evaluation.topKAccuracies.first?.accuracy)
        // NOTE: batches of 100 and one of 360 round float32 logits differently (BLAS blocking): ~1e-8.
        #expect(abs(metrics["validation_log_loss"]! - evaluation.logLoss) < 1e-6)
        #expect(abs(metrics["validation_roc_auc"]! - evaluation.rocAUC!) < 1e-6)
        #expect(metrics["validation_expected_calibration_error"] != nil)
        #expect(trainer.lastValidationEvaluation?.confusionMatrix == evaluation.confusionMatrix)
    }
}
