import ForgeLayers
import ForgeOptimizers
import ForgeTensor
public import Foundation

extension Trainer {
    /// Restores a checkpoint written by ``saveCheckpoint(to:)`` (or the latest one a ``ModelCheckpoint``
    /// wrote, when `url` is its directory), so that ``fit()`` continues the run — mid-epoch if that is
    /// where it was saved — and ends bit-identical to a run that was never interrupted.
    ///
    /// Build the trainer exactly as for the original run (same model architecture, optimizer kind and
    /// groups, loaders with the same seeds, the same stateful callbacks); the checkpoint supplies every
    /// value that changed since.
    ///
    /// ```swift
    /// let trainer = Trainer(model: model, loss: CrossEntropyLoss(), optimizer: optimizer,
    ///                       trainingData: loader, epochs: 10, callbacks: [checkpoints])
    /// try trainer.restore(from: checkpoints.directory)
    /// try trainer.fit()
    /// ```
    ///
    /// - Parameters:
    ///   - url: a checkpoint directory, or a ``ModelCheckpoint`` directory (its latest checkpoint is used).
    ///   - strict: when true (the default), the checkpoint's callback states and the trainer's stateful
    ///     callbacks must match key for key; otherwise unmatched states are skipped.
    /// - Throws: ``TrainingError``: `.checkpointNotFound`, `.malformedCheckpoint` naming the file, or
    ///   `.checkpointMismatch` when the checkpoint belongs to another setup (model keys, optimizer,
    ///   data seed, callbacks). Nothing is changed when reading or checking fails.
    public func restore(from url: URL, strict: Bool = true) throws {
        let directory = try ModelCheckpoint.resolveCheckpointDirectory(url)
        let record = try CheckpointFileSystem.decode(
            TrainerCheckpointRecord.self, at: directory.appendingPathComponent(CheckpointFile.trainer))
        guard record.format == TrainerCheckpointRecord.currentFormat else {
            throw TrainingError(
                .malformedCheckpoint,
                message: "trainer.json has format \(record.format); this Forge reads format "
                    + "\(TrainerCheckpointRecord.currentFormat)", path: directory.path)
        }
        let order = try CheckpointFileSystem.decode(
            DataOrderState.self, at: directory.appendingPathComponent(CheckpointFile.dataOrder))
        guard order.seed == trainingSource.seed, order.batchCount == trainingSource.batchCount(order.epoch) else {
            throw TrainingError(
                .checkpointMismatch,
                message: "the checkpoint's data order (seed \(order.seed), \(order.batchCount) batches in epoch "
                    + "\(order.epoch)) differs from the training loader's (seed \(trainingSource.seed), "
                    + "\(trainingSource.batchCount(order.epoch)) batches); resuming would not be exact",
                path: directory.path)
        }
        let moduleNames = Set(randomModules.map(\.name))
        guard Set(record.randomGenerators.keys) == moduleNames else {
            throw TrainingError(
                .checkpointMismatch,
                message: "the checkpoint has dropout generators for \(record.randomGenerators.keys.sorted()), "
                    + "the model has dropout layers \(moduleNames.sorted())", path: directory.path)
        }
        let callbackStates = try readCallbackStates(record.callbackKeys, in: directory, strict: strict)

        let modelTensors: [String: Tensor]
        let optimizerState: OptimizerStateDict
        do {
            modelTensors = try SafeTensors.read(from: directory.appendingPathComponent(CheckpointFile.model)).tensors
            optimizerState = try OptimizerStateDict(
                contentsOf: directory.appendingPathComponent(CheckpointFile.optimizer))
        } catch {
            throw TrainingError(
                .malformedCheckpoint, message: "cannot read the model or optimizer: \(error)", path: directory.path)
        }
        let previousModel = model.stateDict()
        do {
            try model.load(stateDict: modelTensors, strict: true)
        } catch {
            throw TrainingError(
                .checkpointMismatch, message: "the model does not fit the checkpoint: \(error)", path: directory.path)
        }
        do {
            try optimizer.load(stateDict: optimizerState)
        } catch {
            _ = try? model.load(stateDict: previousModel, strict: true)
            throw TrainingError(
                .checkpointMismatch, message: "the optimizer does not fit the checkpoint: \(error)",
                path: directory.path)
        }
        for (callback, saved) in callbackStates { try callback.restore(checkpointState: saved) }
        for entry in randomModules {
            if let generator = record.randomGenerators[entry.name] { entry.module.generator = generator }
        }
        state = record.state
    }

    /// Restores `url` with ``restore(from:strict:)`` and runs the rest of the training with ``fit()``.
    @discardableResult
    public func resume(from url: URL) throws -> TrainingState {
        try restore(from: url)
        return try fit()
    }

    /// Reads every stored callback state and pairs it with the trainer's callback of the same key.
    private func readCallbackStates(
        _ keys: [String], in directory: URL, strict: Bool
    ) throws -> [(any TrainingCallback, CallbackState)] {
        let folder = directory.appendingPathComponent(CheckpointFile.callbacks)
        var byKey: [String: any TrainingCallback] = [:]
        for callback in callbacks { if let key = callback.checkpointKey { byKey[key] = callback } }
        if strict {
            let stateful = Set(
                callbacks.compactMap { callback -> String? in
                    guard let key = callback.checkpointKey, (try? callback.checkpointState()) != nil else { return nil }
                    return key
                })
            guard stateful == Set(keys) else {
                throw TrainingError(
                    .checkpointMismatch,
                    message: "the checkpoint stores callback state for \(keys.sorted()), the trainer's stateful "
                        + "callbacks are \(stateful.sorted()); add the same callbacks or pass strict: false",
                    path: directory.path)
            }
        }
        var result: [(any TrainingCallback, CallbackState)] = []
        for key in keys {
            guard let callback = byKey[key] else { continue }
            let data = try CheckpointFileSystem.read(folder.appendingPathComponent("\(key).json"))
            var tensors: [String: Tensor] = [:]
            let tensorFile = folder.appendingPathComponent("\(key).safetensors")
            if FileManager.default.fileExists(atPath: tensorFile.path) {
                do {
                    tensors = try SafeTensors.read(from: tensorFile).tensors
                } catch {
                    throw TrainingError(
                        .malformedCheckpoint, message: "cannot read the tensors of \(key): \(error)",
                        path: tensorFile.path)
                }
            }
            result.append((callback, CallbackState(data: data, tensors: tensors)))
        }
        return result
    }
}
