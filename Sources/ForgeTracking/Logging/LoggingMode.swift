/// How an ``ActiveRun`` writes to its store.
public enum LoggingMode: Sendable, Hashable {
    /// Log calls only validate and buffer; a background task writes batches every `flushInterval`, when
    /// `batchSize` metrics are waiting, on ``ActiveRun/flush()`` and at ``ActiveRun/finish(status:)``.
    /// A log call waits for a write only when `bufferLimit` entries are already waiting (back-pressure).
    /// A process killed meanwhile loses at most what was still buffered. The default.
    case asynchronous(flushInterval: Duration, batchSize: Int, bufferLimit: Int)
    /// Every log call writes before it returns: for tests and for code that must see its writes at once.
    case synchronous

    /// Asynchronous with a 1 s interval, 1000-metric batches and a 100 000-entry buffer.
    public static let `default` = LoggingMode.asynchronous(flushInterval: .seconds(1), batchSize: 1000, bufferLimit: 100_000)
}
