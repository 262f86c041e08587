import ForgeAutograd
import ForgeData
import ForgeLayers
import ForgeOptimizers
import ForgeTensor
import ForgeTraining
import Foundation
import Testing

@Suite("Callback stages and order")
struct CallbackOrderTests {
    /// A trainer over 64 digits in 2 batches, with validation.
    func makeTrainer(epochs: Int, callbacks: [any TrainingCallback]) throws -> Trainer {
        let model = makeMLP(seed: 2)
        return Trainer(
            model: model, loss: CrossEntropyLoss(),
            optimizer: try SGD(parameters: model.parameters(), learningRate: 0.01),
            trainingData: DataLoader(Digits.shared.trainPrefix(64), batchSize: 32),
            validationData: DataLoader(Digits.shared.trainPrefix(40), batchSize: 40), epochs: epochs,
            callbacks: callbacks)
    }

    @Test("every stage runs, in order, once per run, epoch and batch")
    func stagesInOrder() throws {
        let recorder = StageRecorder()
        try makeTrainer(epochs: 2, callbacks: [recorder]).fit()
        var expected = ["trainingDidBegin"]
        for epoch in 0..<2 {
            expected.append("epochDidBegin(\(epoch))")
            for batch in 0..<2 {
                expected += ["batchDidBegin(\(batch))", "gradientsDidCompute(\(batch))", "batchDidEnd(\(batch))"]
            }
            expected += ["validationDidEnd(accuracy,loss)", "epochDidEnd(\(epoch))"]
        }
        expected.append("trainingDidEnd")
        #expect(recorder.stages == expected)
    }

    @Test("callbacks run by their order value, then in the order given")
    func orderValues() throws {
        var log: [String] = []
        let late = StageRecorder(name: "late", order: 5) { log.append($0) }
        let first = StageRecorder(name: "first", order: -3) { log.append($0) }
        let plainA = StageRecorder(name: "a") { log.append($0) }
        let plainB = StageRecorder(name: "b") { log.append($0) }
        let trainer = try makeTrainer(epochs: 1, callbacks: [late, plainA, first, plainB])
        #expect(trainer.callbacks.map { ($0 as? StageRecorder)?.name } == ["first", "a", "b", "late"])
        try trainer.fit()
        #expect(
            Array(log.prefix(4)) == [
                "first:trainingDidBegin", "a:trainingDidBegin", "b:trainingDidBegin", "late:trainingDidBegin",
            ])
    }

    @Test("a stop request ends the run after the current batch, without the epoch's end stages")
    func stopRequest() throws {
        final class StopAtSecondBatch: TrainingCallback {
            func batchDidEnd(_ trainer: Trainer, batch: Batch, loss: Double) throws {
                if trainer.state.epoch == 1 && trainer.state.batchIndex == 0 { trainer.requestStop(reason: "test") }
            }
        }
        let recorder = StageRecorder()
        let state = try makeTrainer(epochs: 3, callbacks: [StopAtSecondBatch(), recorder]).fit()
        #expect(state.stopReason == "test")
        #expect(state.globalStep == 3)
        #expect(state.completedEpochs == 1)
        #expect(state.history.count == 1)
        #expect(Array(recorder.stages.suffix(3)) == ["gradientsDidCompute(0)", "batchDidEnd(0)", "trainingDidEnd"])
    }

    @Test("an error in a stage reaches every callback's trainingDidFail and is rethrown")
    func failure() throws {
        struct Boom: Error, CustomStringConvertible { var description: String { "boom" } }
        final class ThrowAtValidation: TrainingCallback {
            func validationDidEnd(_ trainer: Trainer, metrics: [String: Double]) throws { throw Boom() }
        }
        let recorder = StageRecorder(order: 1)
        #expect(throws: Boom.self) { try makeTrainer(epochs: 2, callbacks: [ThrowAtValidation(), recorder]).fit() }
        #expect(recorder.stages.last == "trainingDidFail(boom)")
        #expect(!recorder.stages.contains("epochDidEnd(0)"))
        #expect(!recorder.stages.contains("trainingDidEnd"))
    }

    @Test("gradients are present at gradientsDidCompute, and throwing there keeps the optimizer from stepping")
    func throwingBeforeStep() throws {
        struct Veto: Error {}
        final class Inspect: TrainingCallback {
            var sawGradients = false
            func gradientsDidCompute(_ trainer: Trainer, batch: Batch, loss: Variable) throws {
                sawGradients = trainer.model.parameters().allSatisfy { $0.gradient != nil }
                throw Veto()
            }
        }
        let inspect = Inspect()
        let trainer = try makeTrainer(epochs: 1, callbacks: [inspect])
        let before = trainer.model.stateDict()
        #expect(throws: Veto.self) { try trainer.fit() }
        #expect(inspect.sawGradients)
        expectIdentical(trainer.model.stateDict(), before, "weights after a vetoed step")
        #expect(trainer.state.globalStep == 0)
    }

    @Test("two stateful callbacks with one checkpoint key are rejected before training")
    func duplicateKeys() throws {
        let trainer = try makeTrainer(epochs: 1, callbacks: [EarlyStopping(patience: 1), EarlyStopping(patience: 2)])
        #expect(throws: TrainingError.self) { try trainer.fit() }
        #expect(trainer.state.globalStep == 0)
    }
}
