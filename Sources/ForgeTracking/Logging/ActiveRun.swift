public import Foundation
public import ForgeVersioning
import Synchronization

/// A run being logged to: validates every call at once and writes to the store in batches.
///
/// Create one with ``Tracker/startRun(experiment:name:parent:tags:)``. In the default asynchronous mode,
/// `logMetric` costs a validation and a buffer append; a background task writes batches. Call
/// ``finish(status:)`` at the end (it flushes and records the end time); errors from background writes are
/// thrown by the next ``flush()`` or ``finish(status:)``.
///
/// ```swift
/// let run = try await tracker.startRun(experiment: "digits", name: "mlp-adam")
/// try await run.logParams(["optimizer": "adam", "lr": "0.001"])
/// for step in 0..<100 { try await run.logMetric("loss", loss, step: step) }
/// try await run.finish()
/// ```
public final class ActiveRun: Sendable {
    private struct State: Sendable {
        var buffer = LogBuffer()
        var params: [String: String] = [:]
        var pendingError: (any Error)?
        var finished = false
    }

    /// The run's record as created.
    public let info: RunInfo
    /// The store the run writes to.
    public let store: any TrackingStore
    /// Where artifact bytes go, when the tracker has a repository.
    public let artifactRepository: ArtifactRepository?
    /// How writes happen.
    public let mode: LoggingMode

    private let state = Mutex(State())
    private let writer: BatchWriter
    private let timer = Mutex<Task<Void, Never>?>(nil)

    /// The run id.
    public var id: String { info.id }

    init(info: RunInfo, store: any TrackingStore, artifactRepository: ArtifactRepository?, mode: LoggingMode) {
        self.info = info
        self.store = store
        self.artifactRepository = artifactRepository
        self.mode = mode
        self.writer = BatchWriter(store: store, runID: info.id)
        if case .asynchronous(let interval, _, _) = mode {
            let task = Task.detached { [weak self] in
                while !Task.isCancelled {
                    try? await Task.sleep(for: interval)
                    guard let self, !Task.isCancelled else { return }
                    await self.writeBuffered()
                }
            }
            timer.withLock { $0 = task }
        }
    }

    deinit {
        timer.withLock { $0?.cancel() }
    }

    /// Logs one metric value at `step`.
    /// - Throws: ``TrackingError`` for an invalid key or an infinite value (NaN is allowed).
    public func logMetric(_ key: String, _ value: Double, step: Int = 0, timestamp: Date = Date()) async throws {
        try await log(metrics: [Metric(key: key, value: value, step: step, timestamp: timestamp)])
    }

    /// Logs several metrics at the same step.
    public func logMetrics(_ values: [String: Double], step: Int = 0, timestamp: Date = Date()) async throws {
        try await log(metrics: values.sorted { $0.key < $1.key }.map { Metric(key: $0.key, value: $0.value, step: step, timestamp: timestamp) })
    }

    /// Logs metric values already built.
    public func log(metrics: [Metric]) async throws {
        for metric in metrics { try TrackingValidation.validate(metric) }
        try await enqueue { $0.buffer.metrics.append(contentsOf: metrics) }
    }

    /// Logs a parameter; logging the same key again with another value throws at once.
    public func logParam(_ key: String, _ value: String) async throws {
        try await logParams([key: value])
    }

    /// Logs parameters (a flattened configuration, say).
    public func logParams(_ values: [String: String]) async throws {
        let params = try validatedNewParams(values)
        try await enqueue { state in
            for param in params where state.params[param.key] == nil {
                state.params[param.key] = param.value
                state.buffer.params.append(param)
            }
        }
    }

    /// Sets a tag (a later value replaces an earlier one).
    public func setTag(_ key: String, _ value: String) async throws {
        try TrackingValidation.validateTag(key: key, value: value)
        try await enqueue { $0.buffer.tags.append((key: key, value: value)) }
    }

    /// Records dataset versions the run consumed (written at once).
    public func logInputs(_ inputs: [DatasetInput]) async throws {
        try await store.logInputs(runID: info.id, inputs: inputs)
    }

    /// Stores the run's training metadata (written at once).
    public func setTrainingMetadata(_ metadata: TrainingMetadata) async throws {
        try await store.setTrainingMetadata(runID: info.id, metadata)
    }

    /// Stores a file or a directory as artifacts under `path` (the file name by default).
    /// - Returns: the records written, one per file.
    @discardableResult
    public func logArtifact(_ url: URL, as path: String? = nil) async throws -> [ArtifactRecord] {
        guard let repository = artifactRepository else {
            throw TrackingError.artifact(path: url.path, reason: "this tracker has no artifact repository")
        }
        let records = try await repository.store(url, as: path ?? url.lastPathComponent)
        try await store.recordArtifacts(runID: info.id, records)
        return records
    }

    /// Writes everything buffered; throws the first error a background write met since the last call.
    public func flush() async throws {
        await writeBuffered()
        let error = state.withLock { state -> (any Error)? in
            defer { state.pendingError = nil }
            return state.pendingError
        }
        if let error { throw error }
    }

    /// Flushes, then ends the run with `status` and the current time. Calling it twice is harmless.
    public func finish(status: RunStatus = .finished) async throws {
        timer.withLock { $0?.cancel() }
        try await flush()
        let alreadyFinished = state.withLock { state -> Bool in
            defer { state.finished = true }
            return state.finished
        }
        if !alreadyFinished {
            try await store.updateRun(id: info.id, status: status, endTime: Date())
        }
    }

    /// Buffers metrics without waiting, for synchronous code such as training callbacks.
    ///
    /// The values are validated at once and written by the next background flush (asynchronous mode), by
    /// ``flush()`` or by ``finish(status:)`` — in ``LoggingMode/synchronous`` mode only by the latter two.
    public func record(metrics: [Metric]) throws {
        for metric in metrics { try TrackingValidation.validate(metric) }
        try buffer { $0.buffer.metrics.append(contentsOf: metrics) }
    }

    /// Buffers parameters without waiting (see ``record(metrics:)``); a changed value throws at once.
    public func record(params values: [String: String]) throws {
        let params = try validatedNewParams(values)
        try buffer { state in
            for param in params where state.params[param.key] == nil {
                state.params[param.key] = param.value
                state.buffer.params.append(param)
            }
        }
    }

    /// Buffers a tag without waiting (see ``record(metrics:)``).
    public func record(tag key: String, value: String) throws {
        try TrackingValidation.validateTag(key: key, value: value)
        try buffer { $0.buffer.tags.append((key: key, value: value)) }
    }

    private func validatedNewParams(_ values: [String: String]) throws -> [Param] {
        let params = values.sorted { $0.key < $1.key }.map { Param(key: $0.key, value: $0.value) }
        for param in params { try TrackingValidation.validate(param) }
        try state.withLock { state in
            for param in params {
                if let old = state.params[param.key], old != param.value {
                    throw TrackingError.parameterChanged(runID: info.id, key: param.key, old: old, new: param.value)
                }
            }
        }
        return params
    }

    /// Applies `change` to the buffer; starts a background write when a batch is complete.
    /// - Returns: the buffered entry count after the change.
    @discardableResult
    private func buffer(_ change: (inout State) -> Void) throws -> Int {
        let (before, size, finished) = state.withLock { state -> (Int, Int, Bool) in
            let before = state.buffer.count
            if !state.finished { change(&state) }
            return (before, state.buffer.count, state.finished)
        }
        if finished { throw TrackingError.runNotActive(runID: info.id, status: .finished) }
        if case .asynchronous(_, let batchSize, _) = mode, before < batchSize, size >= batchSize {
            Task.detached { [self] in await self.writeBuffered() }
        }
        return size
    }

    private func enqueue(_ change: (inout State) -> Void) async throws {
        let size = try buffer(change)
        switch mode {
        case .synchronous:
            try await flush()
        case .asynchronous(_, _, let bufferLimit):
            if size >= bufferLimit { try await flush() }
        }
    }

    /// Drains the buffer into the ordered writer; failed batches go back in front of the buffer.
    private func writeBuffered() async {
        let batches = state.withLock { $0.buffer.drainBatches() }
        let failed = await writer.write(batches)
        if let (error, unwritten) = failed {
            // A store failure (I/O, network) keeps the entries for the next flush; a rejected batch is dropped.
            let retry: Bool
            if let trackingError = error as? TrackingError, case .storeFailure = trackingError {
                retry = true
            } else {
                retry = !(error is TrackingError)
            }
            state.withLock { state in
                if retry { state.buffer.restore(unwritten) }
                if state.pendingError == nil { state.pendingError = error }
            }
        }
    }
}

/// Writes batches one call at a time, in the order they were drained.
private actor BatchWriter {
    let store: any TrackingStore
    let runID: String
    private var tail: Task<(any Error, [LogBatch])?, Never>?

    init(store: any TrackingStore, runID: String) {
        self.store = store
        self.runID = runID
    }

    /// Writes after every earlier write; returns the error and the batches not written, if one failed.
    func write(_ batches: [LogBatch]) async -> (any Error, [LogBatch])? {
        let previous = tail
        let store = self.store
        let runID = self.runID
        let task = Task<(any Error, [LogBatch])?, Never> {
            _ = await previous?.value
            for (index, batch) in batches.enumerated() {
                do {
                    try await store.logBatch(runID: runID, metrics: batch.metrics, params: batch.params, tags: batch.tags)
                } catch {
                    return (error, Array(batches[index...]))
                }
            }
            return nil
        }
        tail = task
        return await task.value
    }
}
