public import ForgeData
public import Foundation

/// Saves complete training checkpoints — the last, the best by a monitored metric, and every N
/// epochs — from which ``Trainer/restore(from:strict:)`` resumes a run exactly, mid-epoch included.
///
/// Each checkpoint is a directory written by ``Trainer/saveCheckpoint(to:)`` (model safetensors,
/// optimizer state, learning-rate schedule and other callback state, data order, trainer state JSON),
/// named `epoch-0003` after three finished epochs or `epoch-0003-batch-00017` mid-way through the
/// fourth. The index file `checkpoints.json` says which is the last and which the best; it is
/// replaced atomically after the checkpoint directory is complete, so a process killed at any
/// instant leaves an index that names complete checkpoints only. Directories the index no longer
/// names are deleted.
///
/// ```swift
/// let checkpoints = try ModelCheckpoint(
///     directory: runDirectory.appending(path: "checkpoints"),
///     monitor: MetricMonitor(metric: "validation_accuracy", mode: .maximize),
///     everyEpochs: 5, everySteps: 100)
/// // later, in a new process:
/// try trainer.restore(from: checkpoints.directory)
/// ```
public final class ModelCheckpoint: TrainingCallback {
    /// What `checkpoints.json` records.
    public struct Index: Codable, Sendable, Equatable {
        /// The most recent checkpoint's directory name.
        public var last: String?
        /// The best checkpoint's directory name.
        public var best: String?
        /// The monitored value of the best checkpoint.
        public var bestValue: Double?
        /// The epoch of the best checkpoint.
        public var bestEpoch: Int?
        /// The checkpoints kept every N epochs, oldest first.
        public var periodic: [String] = []

        /// Every directory name the index keeps.
        public var names: Set<String> { Set([last, best].compactMap { $0 } + periodic) }
    }

    /// The index file's name.
    public static let indexFile = "checkpoints.json"

    /// The directory that holds the checkpoints and the index.
    public let directory: URL
    /// The metric that decides the best checkpoint (nil: the trainer's ``Trainer/monitor``).
    public let monitor: MetricMonitor?
    /// Whether the best epoch is kept.
    public let keepsBest: Bool
    /// Whether the most recent state is kept (at every epoch end and every ``everySteps`` steps).
    public let keepsLast: Bool
    /// Keep the checkpoint of every N-th epoch, or nil.
    public let everyEpochs: Int?
    /// Also save the last checkpoint every N optimizer steps (mid-epoch), or nil.
    public let everySteps: Int?
    /// The current index.
    public private(set) var index = Index()

    /// Creates the callback and its directory.
    ///
    /// - Parameters:
    ///   - directory: where checkpoints go; created when missing.
    ///   - monitor: decides the best epoch; nil uses the trainer's monitor.
    ///   - keepsBest: keep the best epoch's checkpoint.
    ///   - keepsLast: keep the most recent checkpoint.
    ///   - everyEpochs: keep every N-th epoch's checkpoint (N ≥ 1).
    ///   - everySteps: save the last checkpoint every N optimizer steps as well (N ≥ 1).
    /// - Throws: ``TrainingError`` `.writeFailed` when the directory cannot be created.
    public init(
        directory: URL, monitor: MetricMonitor? = nil, keepsBest: Bool = true, keepsLast: Bool = true,
        everyEpochs: Int? = nil, everySteps: Int? = nil
    ) throws {
        precondition(everyEpochs.map { $0 >= 1 } ?? true, "ModelCheckpoint: everyEpochs \(everyEpochs ?? 0); use ≥ 1")
        precondition(everySteps.map { $0 >= 1 } ?? true, "ModelCheckpoint: everySteps \(everySteps ?? 0); use ≥ 1")
        try CheckpointFileSystem.createDirectory(directory)
        self.directory = directory
        self.monitor = monitor
        self.keepsBest = keepsBest
        self.keepsLast = keepsLast
        self.everyEpochs = everyEpochs
        self.everySteps = everySteps
    }

    /// The directory of the last checkpoint, when there is one.
    public var lastCheckpoint: URL? { index.last.map { directory.appendingPathComponent($0) } }
    /// The directory of the best checkpoint, when there is one.
    public var bestCheckpoint: URL? { index.best.map { directory.appendingPathComponent($0) } }

    /// 50: after schedules and early stopping, so their state after the epoch is what gets saved.
    public var order: Int { 50 }

    /// Saves the last checkpoint every ``everySteps`` steps, except on an epoch's final batch.
    public func batchDidEnd(_ trainer: Trainer, batch: Batch, loss: Double) throws {
        guard keepsLast, let everySteps, trainer.state.globalStep % everySteps == 0,
            trainer.state.completedBatches < trainer.state.batchesInEpoch
        else { return }
        let name = String(format: "epoch-%04d-batch-%05d", trainer.state.epoch, trainer.state.completedBatches)
        var next = index
        next.last = name
        try save(trainer, as: name, index: next)
    }

    /// Saves the epoch's checkpoint when it is the last, the best or a periodic one.
    public func epochDidEnd(_ trainer: Trainer) throws {
        let name = String(format: "epoch-%04d", trainer.state.completedEpochs)
        var next = index
        var needed = false
        if keepsLast {
            next.last = name
            needed = true
        }
        let monitor = self.monitor ?? trainer.monitor
        if keepsBest, let record = trainer.state.history.last, let value = monitor.value(in: record),
            monitor.isImprovement(value, over: index.bestValue)
        {
            (next.best, next.bestValue, next.bestEpoch) = (name, value, record.epoch)
            needed = true
        }
        if let everyEpochs, trainer.state.completedEpochs % everyEpochs == 0 {
            if !next.periodic.contains(name) { next.periodic.append(name) }
            needed = true
        }
        if needed { try save(trainer, as: name, index: next) }
    }

    /// Saves a last checkpoint when the run stopped in the middle of an epoch.
    public func trainingDidEnd(_ trainer: Trainer) throws {
        let state = trainer.state
        guard keepsLast, state.completedEpochs == state.epoch, state.completedBatches > 0 else { return }
        let name = String(format: "epoch-%04d-batch-%05d", state.epoch, state.completedBatches)
        guard index.last != name else { return }
        var next = index
        next.last = name
        try save(trainer, as: name, index: next)
    }

    /// Writes the checkpoint directory, then the index naming it, then deletes what the index dropped.
    private func save(_ trainer: Trainer, as name: String, index next: Index) throws {
        let previous = index
        index = next  // the checkpoint stores the index that names it
        do {
            try trainer.saveCheckpoint(to: directory.appendingPathComponent(name))
            try CheckpointFileSystem.encode(next, to: directory.appendingPathComponent(Self.indexFile))
        } catch {
            index = previous
            throw error
        }
        removeUnlisted()
    }

    /// Deletes checkpoint directories and leftovers of interrupted writes that the index does not name.
    private func removeUnlisted() {
        let keep = index.names
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        for entry in entries where !keep.contains(entry) {
            let isCheckpoint = entry.hasPrefix("epoch-")
            let isLeftover = entry.hasPrefix(".epoch-") && (entry.hasSuffix(".tmp") || entry.hasSuffix(".old"))
            if isCheckpoint || isLeftover {
                try? FileManager.default.removeItem(at: directory.appendingPathComponent(entry))
            }
        }
    }

    /// `model_checkpoint`.
    public var checkpointKey: String? { "model_checkpoint" }

    /// The index.
    public func checkpointState() throws -> CallbackState? { try CallbackState(encoding: index) }

    /// Restores the index.
    public func restore(checkpointState: CallbackState) throws {
        index = try checkpointState.decoded(as: Index.self, owner: "ModelCheckpoint")
    }

    /// `url` itself when it holds `trainer.json`; the last checkpoint named by `url`'s index otherwise.
    static func resolveCheckpointDirectory(_ url: URL) throws -> URL {
        let manager = FileManager.default
        if manager.fileExists(atPath: url.appendingPathComponent(CheckpointFile.trainer).path) { return url }
        let indexURL = url.appendingPathComponent(indexFile)
        guard manager.fileExists(atPath: indexURL.path) else {
            throw TrainingError(
                .checkpointNotFound,
                message: "neither a checkpoint (no \(CheckpointFile.trainer)) nor a checkpoint "
                    + "directory (no \(indexFile))", path: url.path)
        }
        let index = try CheckpointFileSystem.decode(Index.self, at: indexURL)
        guard let last = index.last ?? index.best ?? index.periodic.last else {
            throw TrainingError(.checkpointNotFound, message: "the index names no checkpoint", path: indexURL.path)
        }
        return url.appendingPathComponent(last)
    }
}
