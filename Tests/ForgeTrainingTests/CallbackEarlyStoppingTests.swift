import ForgeAutograd
import ForgeData
import ForgeLayers
import ForgeOptimizers
import ForgeTensor
import ForgeTraining
import Foundation
import Testing

@Suite("EarlyStopping")
struct CallbackEarlyStoppingTests {
    func makeTrainer(
        model: Sequential, learningRate: Double, epochs: Int, callbacks: [any TrainingCallback]
    ) throws -> Trainer {
        Trainer(
            model: model, loss: CrossEntropyLoss(),
            optimizer: try SGD(parameters: model.parameters(), learningRate: learningRate),
            trainingData: DataLoader(Digits.shared.trainPrefix(128), batchSize: 32, shuffle: true, seed: 1),
            validationData: DataLoader(Digits.shared.test, batchSize: 360), epochs: epochs, callbacks: callbacks)
    }

    @Test("a metric that never improves stops the run after `patience` epochs", arguments: [0, 1, 3])
    func stopsAfterPatience(patience: Int) throws {
        let model = makeMLP(seed: 3)
        model.freeze()  // no gradients: the validation loss stays exactly the same every epoch
        let stopping = EarlyStopping(patience: patience)
        let state = try makeTrainer(model: model, learningRate: 0.1, epochs: 10, callbacks: [stopping]).fit()
        // Epoch 0 sets the best; each later epoch is one without improvement (patience 0 stops at the first).
        #expect(state.completedEpochs == 1 + max(patience, 1))
        #expect(stopping.stoppedEpoch == state.completedEpochs - 1)
        #expect(stopping.bestEpoch == 0)
        #expect(state.stopReason?.contains("validation_loss did not improve") == true)
    }

    @Test("an improving metric is not stopped, and min delta decides what counts as improving")
    func minimumDelta() throws {
        let improving = EarlyStopping(patience: 1)
        let state = try makeTrainer(model: makeMLP(seed: 4), learningRate: 0.05, epochs: 4, callbacks: [improving])
            .fit()
        #expect(state.completedEpochs == 4)
        #expect(state.stopReason == nil)
        let losses = state.history.map { $0.metrics[MetricName.validationLoss]! }
        #expect(zip(losses, losses.dropFirst()).allSatisfy { $0 > $1 }, "validation losses \(losses)")

        // The same run with a minimum delta larger than any epoch's gain stops after epoch 1.
        let strict = EarlyStopping(
            monitor: MetricMonitor(metric: MetricName.validationLoss, minimumDelta: 10), patience: 1)
        let stopped = try makeTrainer(model: makeMLP(seed: 4), learningRate: 0.05, epochs: 4, callbacks: [strict]).fit()
        #expect(stopped.completedEpochs == 2)
        #expect(stopped.history.map { $0.metrics[MetricName.validationLoss]! } == Array(losses.prefix(2)))
    }

    @Test("restoresBestWeights puts back the weights of the best epoch")
    func restoresBest() throws {
        /// Wrecks training from epoch 2 on with a huge learning rate, and keeps every epoch's weights.
        final class Sabotage: TrainingCallback {
            var weights: [[String: Tensor]] = []
            func epochDidBegin(_ trainer: Trainer) throws {
                if trainer.state.epoch == 2 { trainer.optimizer.learningRate = 50 }
            }
            func epochDidEnd(_ trainer: Trainer) throws { weights.append(trainer.model.stateDict()) }
        }
        let sabotage = Sabotage()
        let model = makeMLP(seed: 5)
        let stopping = EarlyStopping(patience: 2, restoresBestWeights: true)
        let state = try makeTrainer(model: model, learningRate: 0.05, epochs: 10, callbacks: [sabotage, stopping]).fit()
        let losses = state.history.map { $0.metrics[MetricName.validationLoss]! }
        #expect(state.completedEpochs == 4, "validation losses \(losses)")
        #expect(stopping.bestEpoch == 1)
        expectIdentical(model.stateDict(), sabotage.weights[1], "restored weights")
        #expect(model.stateDict()["0.weight"] != sabotage.weights[3]["0.weight"])
    }

    @Test("a monitored metric that the epoch does not report is a setup error naming it")
    func unknownMetric() throws {
        let stopping = EarlyStopping(monitor: MetricMonitor(metric: "validation_f1"), patience: 1)
        #expect {
            try makeTrainer(model: makeMLP(seed: 6), learningRate: 0.01, epochs: 2, callbacks: [stopping]).fit()
        } throws: { error in
            guard let error = error as? TrainingError else { return false }
            return error.code == .invalidSetup && error.message.contains("validation_f1")
        }
    }

    @Test("a monitor compares by mode and minimum delta, and never counts NaN as an improvement")
    func monitorRules() {
        let loss = MetricMonitor(metric: "validation_loss", mode: .minimize, minimumDelta: 0.1)
        #expect(loss.isImprovement(1.0, over: nil))
        #expect(loss.isImprovement(0.85, over: 1.0))
        #expect(!loss.isImprovement(0.9, over: 1.0))  // exactly the delta is not more than it
        #expect(!loss.isImprovement(.nan, over: 1.0))
        #expect(!loss.isImprovement(.nan, over: nil))
        let accuracy = MetricMonitor(metric: "validation_accuracy", mode: .maximize)
        #expect(accuracy.isImprovement(0.91, over: 0.9))
        #expect(!accuracy.isImprovement(0.9, over: 0.9))
        #expect(!accuracy.isImprovement(0.8, over: 0.9))
    }
}
