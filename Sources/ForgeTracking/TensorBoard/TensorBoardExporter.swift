public import Foundation

/// Exports a tracked run to a TensorBoard log directory: every metric history as scalars and the
/// parameters as hparams-plugin hyperparameters.
///
/// ```swift
/// let file = try await TensorBoardExporter.export(run: run.id, from: store, to: URL(fileURLWithPath: "tb/baseline"))
/// // tensorboard --logdir tb
/// ```
public enum TensorBoardExporter {
    /// Writes one event file for the run into `directory`.
    /// - Parameters:
    ///   - runID: The run to export.
    ///   - store: The store holding it.
    ///   - directory: The TensorBoard run directory (created when absent).
    /// - Returns: The event file written.
    /// - Throws: ``TrackingError`` from the store, or ``TrackingError/artifact(path:reason:)`` when writing fails.
    @discardableResult
    public static func export(run runID: String, from store: any TrackingStore, to directory: URL) async throws -> URL {
        let run = try await store.run(id: runID)
        let writer = try TensorBoardWriter(directory: directory, creationTime: run.info.startTime)
        let keys = run.latestMetrics.keys.sorted()
        if !run.params.isEmpty {
            try writer.addHyperparameters(
                run.params.mapValues(TensorBoardHyperparameter.init(parameter:)), metricTags: keys,
                startTime: run.info.startTime, endTime: run.info.status.isTerminal ? run.info.endTime : nil,
                succeeded: run.info.status == .finished)
        }
        for key in keys {
            for metric in try await store.metricHistory(runID: runID, key: key) {
                try writer.addScalar(tag: key, value: metric.value, step: metric.step, wallTime: metric.timestamp)
            }
        }
        try writer.close()
        return writer.fileURL
    }
}
