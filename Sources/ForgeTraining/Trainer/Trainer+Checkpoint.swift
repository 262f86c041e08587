import ForgeLayers
import ForgeOptimizers
import ForgeTensor
public import Foundation

/// The files of one training checkpoint directory.
public enum CheckpointFile {
    /// The model's state dict (safetensors, PyTorch key names).
    public static let model = "model.safetensors"
    /// The optimizer's state dict (safetensors).
    public static let optimizer = "optimizer.safetensors"
    /// The trainer's state: position, history, best metric, dropout generators (JSON).
    public static let trainer = "trainer.json"
    /// The data order: the loader's seed, the epoch and the batches already trained (JSON).
    public static let dataOrder = "data_order.json"
    /// The folder of callback states (`<key>.json` and `<key>.safetensors`), the learning-rate
    /// schedule's among them.
    public static let callbacks = "callbacks"
}

/// Where the data order stood when a checkpoint was written: the loader's seed fixes every epoch's
/// permutation, so (seed, epoch, completed batches) is the whole data-order generator state.
public struct DataOrderState: Codable, Sendable, Equatable {
    /// The training loader's seed.
    public var seed: UInt64
    /// The epoch in flight (or the next one, when ``completedBatches`` is 0).
    public var epoch: Int
    /// The batches of ``epoch`` already trained.
    public var completedBatches: Int
    /// The number of batches in ``epoch``.
    public var batchCount: Int

    /// Creates a data-order state.
    public init(seed: UInt64, epoch: Int, completedBatches: Int, batchCount: Int) {
        self.seed = seed
        self.epoch = epoch
        self.completedBatches = completedBatches
        self.batchCount = batchCount
    }
}

/// The content of `trainer.json`.
struct TrainerCheckpointRecord: Codable {
    static let currentFormat = 1
    var format: Int
    var state: TrainingState
    var epochs: Int
    /// Each dropout layer's generator by dotted module name.
    var randomGenerators: [String: RandomGenerator]
    /// The checkpoint keys of the callbacks whose state is stored.
    var callbackKeys: [String]
}

extension Trainer {
    /// Writes a complete checkpoint of the run to `directory`, atomically: the files go to a temporary
    /// sibling directory that is renamed to `directory` once every file is on disk (an existing
    /// `directory` is replaced).
    ///
    /// The checkpoint holds the model (`model.safetensors`), the optimizer state, the trainer state
    /// JSON (position, history, dropout generators), the data order and every stateful callback's
    /// state (the learning-rate schedule's, early stopping's, …) — everything ``restore(from:strict:)``
    /// needs to continue bit-identically.
    ///
    /// - Throws: ``TrainingError`` with code `.writeFailed` naming the file.
    public func saveCheckpoint(to directory: URL) throws {
        let parent = directory.deletingLastPathComponent()
        try CheckpointFileSystem.createDirectory(parent)
        let staging = parent.appendingPathComponent(".\(directory.lastPathComponent).\(UUID().uuidString).tmp")
        try CheckpointFileSystem.createDirectory(staging.appendingPathComponent(CheckpointFile.callbacks))
        var moved = false
        defer { if !moved { try? FileManager.default.removeItem(at: staging) } }

        do {
            try model.save(to: staging.appendingPathComponent(CheckpointFile.model))
            try optimizer.stateDict().write(to: staging.appendingPathComponent(CheckpointFile.optimizer))
        } catch let error as TrainingError {
            throw error
        } catch {
            throw TrainingError(
                .writeFailed, message: "cannot write the model or optimizer: \(error)", path: staging.path)
        }
        var keys: [String] = []
        for callback in callbacks {
            guard let key = callback.checkpointKey, let saved = try callback.checkpointState() else { continue }
            keys.append(key)
            let folder = staging.appendingPathComponent(CheckpointFile.callbacks)
            try CheckpointFileSystem.writeAtomically(saved.data, to: folder.appendingPathComponent("\(key).json"))
            if !saved.tensors.isEmpty {
                do {
                    try SafeTensors.write(saved.tensors, to: folder.appendingPathComponent("\(key).safetensors"))
                } catch {
                    throw TrainingError(
                        .writeFailed, message: "cannot write the tensors of \(key): \(error)", path: folder.path)
                }
            }
        }
        let generators = Dictionary(uniqueKeysWithValues: randomModules.map { ($0.name, $0.module.generator) })
        let record = TrainerCheckpointRecord(
            format: TrainerCheckpointRecord.currentFormat, state: state, epochs: epochs, randomGenerators: generators,
            callbackKeys: keys)
        try CheckpointFileSystem.encode(record, to: staging.appendingPathComponent(CheckpointFile.trainer))
        try CheckpointFileSystem.encode(currentDataOrder, to: staging.appendingPathComponent(CheckpointFile.dataOrder))

        // Swap the complete directory into place: a reader sees the old checkpoint or the new one.
        var displaced: URL?
        if FileManager.default.fileExists(atPath: directory.path) {
            let old = parent.appendingPathComponent(".\(directory.lastPathComponent).\(UUID().uuidString).old")
            try CheckpointFileSystem.rename(directory, to: old)
            displaced = old
        }
        try CheckpointFileSystem.rename(staging, to: directory)
        moved = true
        CheckpointFileSystem.syncDirectory(parent)
        if let displaced { try? FileManager.default.removeItem(at: displaced) }
    }

    /// The data order right now.
    var currentDataOrder: DataOrderState {
        let midEpoch = state.completedEpochs == state.epoch
        let epoch = midEpoch ? state.epoch : state.completedEpochs
        return DataOrderState(
            seed: trainingSource.seed, epoch: epoch, completedBatches: midEpoch ? state.completedBatches : 0,
            batchCount: trainingSource.batchCount(epoch))
    }
}
