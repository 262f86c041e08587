import ForgeAutograd
import ForgeData
import ForgeLayers
import ForgeOptimizers
import ForgeTensor
import ForgeTraining
import Foundation
import Testing

@Suite("LearningRateStepper")
struct CallbackSchedulerTests {
    @Test("reduce-on-plateau lowers the rate when the validation loss stops improving")
    func reduceOnPlateau() throws {
        let model = makeMLP(seed: 7)
        model.freeze()  // a flat validation loss: every epoch after the first is a plateau
        let optimizer = try SGD(parameters: model.parameters(), learningRate: 0.1)
        let scheduler = LearningRateScheduler(
            optimizer: optimizer, schedule: try ReduceOnPlateau(mode: .minimize, factor: 0.5, patience: 1))
        let trainer = Trainer(
            model: model, loss: CrossEntropyLoss(), optimizer: optimizer,
            trainingData: DataLoader(Digits.shared.trainPrefix(64), batchSize: 32),
            validationData: DataLoader(Digits.shared.trainPrefix(64), batchSize: 64), epochs: 7,
            callbacks: [LearningRateStepper(scheduler: scheduler, interval: .epoch, metric: MetricName.validationLoss)])
        let state = try trainer.fit()
        // PyTorch's rule with patience 1: epoch 0 sets the best, epochs 1–2 are bad (the second reduces),
        // then 3–5 (two bad epochs after the reset, the second reduces), and so on.
        let rates = state.history.map { $0.metrics[MetricName.learningRate]! }
        #expect(rates == [0.1, 0.1, 0.1, 0.05, 0.05, 0.025, 0.025], "rates \(rates)")
        #expect(optimizer.learningRate == 0.0125)
    }

    @Test("a reduce-on-plateau schedule given to the trainer sees the monitored validation loss")
    func plateauThroughTrainerParameter() throws {
        let model = makeMLP(seed: 7)
        model.freeze()  // the same flat validation loss as above
        let optimizer = try SGD(parameters: model.parameters(), learningRate: 0.1)
        let scheduler = LearningRateScheduler(
            optimizer: optimizer, schedule: try ReduceOnPlateau(mode: .minimize, factor: 0.5, patience: 1))
        let trainer = Trainer(
            model: model, loss: CrossEntropyLoss(), optimizer: optimizer,
            trainingData: DataLoader(Digits.shared.trainPrefix(64), batchSize: 32),
            validationData: DataLoader(Digits.shared.trainPrefix(64), batchSize: 64), epochs: 7, scheduler: scheduler)
        let state = try trainer.fit()
        let rates = state.history.map { $0.metrics[MetricName.learningRate]! }
        #expect(rates == [0.1, 0.1, 0.1, 0.05, 0.05, 0.025, 0.025], "rates \(rates)")
    }

    @Test("the trainer's scheduler parameter steps per batch")
    func perBatch() throws {
        let model = makeMLP(seed: 8)
        let optimizer = try SGD(parameters: model.parameters(), learningRate: 0.1)
        let scheduler = LearningRateScheduler(optimizer: optimizer, schedule: try StepDecay(stepSize: 2, gamma: 0.5))
        final class Rates: TrainingCallback {
            var seen: [Double] = []
            func batchDidBegin(_ trainer: Trainer, batch: Batch) throws { seen.append(trainer.optimizer.learningRate) }
        }
        let rates = Rates()
        let trainer = Trainer(
            model: model, loss: CrossEntropyLoss(), optimizer: optimizer,
            trainingData: DataLoader(Digits.shared.trainPrefix(96), batchSize: 32), epochs: 2, scheduler: scheduler,
            schedulerInterval: .batch, callbacks: [rates])
        try trainer.fit()
        #expect(rates.seen == [0.1, 0.1, 0.05, 0.05, 0.025, 0.025])
        #expect(optimizer.learningRate == 0.0125)
    }

    @Test("per-epoch stepping of a closed-form schedule sets each epoch's rate")
    func perEpoch() throws {
        let model = makeMLP(seed: 9)
        let optimizer = try SGD(parameters: model.parameters(), learningRate: 0.2)
        let scheduler = LearningRateScheduler(optimizer: optimizer, schedule: try ExponentialDecay(gamma: 0.5))
        let trainer = Trainer(
            model: model, loss: CrossEntropyLoss(), optimizer: optimizer,
            trainingData: DataLoader(Digits.shared.trainPrefix(32), batchSize: 32), epochs: 3, scheduler: scheduler)
        let state = try trainer.fit()
        #expect(state.history.map { $0.metrics[MetricName.learningRate]! } == [0.2, 0.1, 0.05])
    }
}
