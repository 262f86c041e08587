import ForgeAutograd
import ForgeData
import ForgeLayers
import ForgeOptimizers
import ForgeTensor
import ForgeTraining
import Foundation
import Testing

@Suite("ModelCheckpoint")
struct CallbackCheckpointTests {
    /// Records the weights at every epoch end, after the checkpoint (order 55).
    final class EpochWeights: TrainingCallback {
        var weights: [[String: Tensor]] = []
        var order: Int { 55 }
        func epochDidEnd(_ trainer: Trainer) throws { weights.append(trainer.model.stateDict()) }
    }

    func makeTrainer(
        epochs: Int, checkpoint: ModelCheckpoint, extra: [any TrainingCallback] = [], learningRate: Double = 0.05
    ) throws -> (Trainer, Sequential) {
        let model = makeMLP(seed: 19)
        let optimizer = try SGD(parameters: model.parameters(), learningRate: learningRate, momentum: 0.9)
        let trainer = Trainer(
            model: model, loss: CrossEntropyLoss(), optimizer: optimizer,
            trainingData: DataLoader(Digits.shared.trainPrefix(96), batchSize: 32, shuffle: true, seed: 2),
            validationData: DataLoader(Digits.shared.test, batchSize: 360), epochs: epochs,
            scheduler: LearningRateScheduler(optimizer: optimizer, schedule: try StepDecay(stepSize: 2)),
            callbacks: [checkpoint] + extra)
        return (trainer, model)
    }

    @Test("a checkpoint holds the model, optimizer, schedule, data order and trainer state")
    func files() throws {
        let scratch = try ScratchDirectory()
        let checkpoint = try ModelCheckpoint(directory: scratch.appending("checkpoints"))
        let (trainer, model) = try makeTrainer(epochs: 2, checkpoint: checkpoint)
        try trainer.fit()
        let last = try #require(checkpoint.lastCheckpoint)
        #expect(last.lastPathComponent == "epoch-0002")
        let manager = FileManager.default
        for file in [
            CheckpointFile.model, CheckpointFile.optimizer, CheckpointFile.trainer, CheckpointFile.dataOrder,
            "callbacks/learning_rate_scheduler.json", "callbacks/model_checkpoint.json",
        ] {
            #expect(manager.fileExists(atPath: last.appendingPathComponent(file).path), "missing \(file)")
        }
        expectIdentical(
            try SafeTensors.read(from: last.appendingPathComponent(CheckpointFile.model)).tensors, model.stateDict(),
            "model file")
        let optimizer = try OptimizerStateDict(contentsOf: last.appendingPathComponent(CheckpointFile.optimizer))
        #expect(optimizer == trainer.optimizer.stateDict())
        let order = try JSONDecoder().decode(
            DataOrderState.self, from: Data(contentsOf: last.appendingPathComponent(CheckpointFile.dataOrder)))
        #expect(order == DataOrderState(seed: 2, epoch: 2, completedBatches: 0, batchCount: 3))
        let schedule = try JSONDecoder().decode(
            LearningRateSchedulerState.self,
            from: Data(contentsOf: last.appendingPathComponent("callbacks/learning_rate_scheduler.json")))
        #expect(schedule.step == 2)
        // No temporary or displaced directories are left behind.
        let entries = try manager.contentsOfDirectory(atPath: scratch.appending("checkpoints").path).sorted()
        #expect(entries.allSatisfy { !$0.hasSuffix(".tmp") && !$0.hasSuffix(".old") }, "\(entries)")
    }

    @Test("best, last and every-N-epoch checkpoints are kept, and the rest deleted")
    func retention() throws {
        let scratch = try ScratchDirectory()
        let directory = scratch.appending("checkpoints")
        let checkpoint = try ModelCheckpoint(
            directory: directory, monitor: MetricMonitor(metric: MetricName.validationLoss), everyEpochs: 2)
        /// Ruins the model from epoch 3 on, so the best epoch is an early one.
        final class Ruin: TrainingCallback {
            func epochDidBegin(_ trainer: Trainer) throws {
                if trainer.state.epoch == 3 { trainer.optimizer.learningRate = 100 }
            }
        }
        let weights = EpochWeights()
        let (trainer, _) = try makeTrainer(epochs: 5, checkpoint: checkpoint, extra: [Ruin(), weights])
        let state = try trainer.fit()
        let losses = state.history.map { $0.metrics[MetricName.validationLoss]! }
        let bestEpoch = try #require(losses.indices.min { losses[$0] < losses[$1] })
        #expect(bestEpoch < 3, "losses \(losses)")
        #expect(checkpoint.index.best == String(format: "epoch-%04d", bestEpoch + 1))
        #expect(checkpoint.index.bestValue == losses[bestEpoch])
        #expect(checkpoint.index.last == "epoch-0005")
        #expect(checkpoint.index.periodic == ["epoch-0002", "epoch-0004"])
        let kept = Set(try FileManager.default.contentsOfDirectory(atPath: directory.path))
        #expect(kept == checkpoint.index.names.union([ModelCheckpoint.indexFile]))
        let best = try SafeTensors.read(
            from: try #require(checkpoint.bestCheckpoint).appendingPathComponent(CheckpointFile.model))
        expectIdentical(best.tensors, weights.weights[bestEpoch], "best checkpoint")
    }

    @Test("restoring checks the checkpoint: missing, damaged, or from another setup")
    func restoreErrors() throws {
        let scratch = try ScratchDirectory()
        let checkpoint = try ModelCheckpoint(directory: scratch.appending("checkpoints"))
        let (trainer, _) = try makeTrainer(epochs: 1, checkpoint: checkpoint)
        try trainer.fit()
        let saved = try #require(checkpoint.lastCheckpoint)

        func code(_ body: () throws -> Void) -> TrainingError.Code? {
            do {
                try body()
                return nil
            } catch let error as TrainingError {
                return error.code
            } catch {
                return nil
            }
        }
        let (fresh, freshModel) = try makeTrainer(
            epochs: 1, checkpoint: try ModelCheckpoint(directory: scratch.appending("other")))
        let untouched = freshModel.stateDict()
        #expect(code { try fresh.restore(from: scratch.appending("nowhere")) } == .checkpointNotFound)

        // Another data seed: resuming would not be exact.
        let model = makeMLP(seed: 19)
        let otherSeed = Trainer(
            model: model, loss: CrossEntropyLoss(),
            optimizer: try SGD(parameters: model.parameters(), learningRate: 0.05, momentum: 0.9),
            trainingData: DataLoader(Digits.shared.trainPrefix(96), batchSize: 32, shuffle: true, seed: 3), epochs: 1,
            callbacks: [try ModelCheckpoint(directory: scratch.appending("third"))])
        #expect(code { try otherSeed.restore(from: saved, strict: false) } == .checkpointMismatch)

        // Another model shape.
        var generator = RandomGenerator(seed: 1)
        let wide = Sequential([Linear(inputFeatures: 64, outputFeatures: 10, generator: &generator)])
        let wrongModel = Trainer(
            model: wide, loss: CrossEntropyLoss(),
            optimizer: try SGD(parameters: wide.parameters(), learningRate: 0.05, momentum: 0.9),
            trainingData: DataLoader(Digits.shared.trainPrefix(96), batchSize: 32, shuffle: true, seed: 2), epochs: 1)
        #expect(code { try wrongModel.restore(from: saved, strict: false) } == .checkpointMismatch)

        // Missing a stateful callback (the schedule) in strict mode.
        let noSchedule = Trainer(
            model: freshModel, loss: CrossEntropyLoss(), optimizer: fresh.optimizer,
            trainingData: DataLoader(Digits.shared.trainPrefix(96), batchSize: 32, shuffle: true, seed: 2), epochs: 1,
            callbacks: [try ModelCheckpoint(directory: scratch.appending("fourth"))])
        #expect(code { try noSchedule.restore(from: saved) } == .checkpointMismatch)

        // A damaged trainer.json.
        try Data("{ not json".utf8).write(to: saved.appendingPathComponent(CheckpointFile.trainer))
        #expect(code { try fresh.restore(from: saved) } == .malformedCheckpoint)
        expectIdentical(freshModel.stateDict(), untouched, "a failed restore changed the model")
        #expect(fresh.state == TrainingState())
    }
}
