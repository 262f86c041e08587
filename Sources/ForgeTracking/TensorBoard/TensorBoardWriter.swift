public import Foundation
import Synchronization

/// Writes a TensorBoard event file (`events.out.tfevents.<seconds>.<host>`) that TensorBoard, its
/// `EventAccumulator` and `tf.data.TFRecordDataset` read: scalars and hparams-plugin summaries.
///
/// Records are buffered in memory and written by ``flush()``, ``close()`` or when the buffer passes
/// 64 KiB; the first record is the `file_version` event TensorBoard expects.
///
/// ```swift
/// let writer = try TensorBoardWriter(directory: URL(fileURLWithPath: "runs/baseline"))
/// for step in 0..<100 { try writer.addScalar(tag: "loss", value: losses[step], step: step) }
/// try writer.close()
/// // tensorboard --logdir runs
/// ```
public final class TensorBoardWriter: Sendable {
    private struct State {
        var handle: FileHandle?
        var buffer: [UInt8] = []
    }

    /// The event file being written.
    public let fileURL: URL
    private let state: Mutex<State>
    private static let flushThreshold = 64 * 1024

    /// Creates `directory` when absent and a new event file in it, starting with the `file_version` event.
    /// - Parameters:
    ///   - directory: The run's log directory (TensorBoard shows one run per directory).
    ///   - creationTime: The time in the file name and of the first event.
    /// - Throws: ``TrackingError/artifact(path:reason:)`` when the directory or file cannot be created.
    public init(directory: URL, creationTime: Date = Date()) throws {
        let seconds = Int(creationTime.timeIntervalSince1970)
        let host = ProcessInfo.processInfo.hostName.replacingOccurrences(of: "/", with: "_")
        var url = directory.appendingPathComponent("events.out.tfevents.\(seconds).\(host)")
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            var suffix = 1
            while FileManager.default.fileExists(atPath: url.path) {  // two writers within one second
                url = directory.appendingPathComponent("events.out.tfevents.\(seconds).\(host).\(suffix)")
                suffix += 1
            }
            guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
                throw CocoaError(.fileWriteUnknown)
            }
            let handle = try FileHandle(forWritingTo: url)
            fileURL = url
            state = Mutex(State(handle: handle))
        } catch {
            throw TrackingError.artifact(
                path: url.path, reason: "cannot create the event file: \(error.localizedDescription)")
        }
        append(
            TensorBoardEncoding.event(
                wallTime: creationTime.timeIntervalSince1970, step: 0, fileVersion: TensorBoardEncoding.fileVersion))
    }

    deinit {
        try? close()
    }

    /// Appends a scalar summary (stored as a 32-bit float, as TensorBoard does).
    /// - Parameters:
    ///   - tag: The chart name (`loss`, `val/accuracy`).
    ///   - value: The value; NaN is written as NaN.
    ///   - step: The x position.
    ///   - wallTime: When the value was measured.
    public func addScalar(tag: String, value: Double, step: Int, wallTime: Date = Date()) throws {
        let summary = TensorBoardEncoding.scalarSummary(tag: tag, value: Float(value))
        try appendAndMaybeFlush(
            TensorBoardEncoding.event(wallTime: wallTime.timeIntervalSince1970, step: Int64(step), summary: summary))
    }

    /// Records a run's hyperparameters through the hparams plugin: the experiment description (the
    /// hyperparameters and the metric tags to show), the session start with the values, and the session end.
    /// - Parameters:
    ///   - hyperparameters: Values by name (written in name order).
    ///   - metricTags: Scalar tags the hparams dashboard shows as metrics.
    ///   - startTime: When the run started.
    ///   - endTime: When it ended; nil writes no session end (the run still runs).
    ///   - succeeded: Whether the run ended normally (`STATUS_SUCCESS`) or not (`STATUS_FAILURE`).
    public func addHyperparameters(
        _ hyperparameters: [String: TensorBoardHyperparameter], metricTags: [String], startTime: Date,
        endTime: Date? = nil, succeeded: Bool = true
    ) throws {
        let sorted = hyperparameters.sorted { $0.key < $1.key }.map { (name: $0.key, value: $0.value) }
        let start = startTime.timeIntervalSince1970
        let summaries: [(String, [UInt8], Double)] =
            [
                (
                    "_hparams_/experiment",
                    TensorBoardEncoding.hparamsExperiment(
                        hyperparameters: sorted, metricTags: metricTags, timeCreated: start),
                    start
                ),
                (
                    "_hparams_/session_start_info",
                    TensorBoardEncoding.hparamsSessionStart(hyperparameters: sorted, startTime: start), start
                ),
            ]
            + (endTime.map { end in
                [
                    (
                        "_hparams_/session_end_info",
                        TensorBoardEncoding.hparamsSessionEnd(
                            status: succeeded ? 1 : 2, endTime: end.timeIntervalSince1970),
                        end.timeIntervalSince1970
                    )
                ]
            } ?? [])
        for (tag, content, time) in summaries {
            let summary = TensorBoardEncoding.hparamsSummary(tag: tag, pluginContent: content)
            try appendAndMaybeFlush(TensorBoardEncoding.event(wallTime: time, step: 0, summary: summary))
        }
    }

    /// Writes buffered records to the file.
    /// - Throws: ``TrackingError/artifact(path:reason:)`` when writing fails or the writer is closed.
    public func flush() throws {
        try state.withLock { state in try write(&state) }
    }

    /// Flushes and closes the file; later calls do nothing.
    public func close() throws {
        try state.withLock { state in
            guard let handle = state.handle else { return }
            try write(&state)
            state.handle = nil
            do {
                try handle.close()
            } catch {
                throw TrackingError.artifact(path: fileURL.path, reason: "cannot close: \(error.localizedDescription)")
            }
        }
    }

    private func append(_ event: [UInt8]) {
        state.withLock { $0.buffer += TensorBoardEncoding.record(event) }
    }

    private func appendAndMaybeFlush(_ event: [UInt8]) throws {
        let record = TensorBoardEncoding.record(event)
        try state.withLock { state in
            guard state.handle != nil else {
                throw TrackingError.artifact(path: fileURL.path, reason: "the TensorBoard writer is closed")
            }
            state.buffer += record
            if state.buffer.count >= Self.flushThreshold { try write(&state) }
        }
    }

    private func write(_ state: inout State) throws {
        guard !state.buffer.isEmpty else { return }
        guard let handle = state.handle else {
            throw TrackingError.artifact(path: fileURL.path, reason: "the TensorBoard writer is closed")
        }
        do {
            try handle.write(contentsOf: Data(state.buffer))
        } catch {
            throw TrackingError.artifact(path: fileURL.path, reason: "cannot write: \(error.localizedDescription)")
        }
        state.buffer.removeAll(keepingCapacity: true)
    }
}
