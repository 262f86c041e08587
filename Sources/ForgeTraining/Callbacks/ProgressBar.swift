public import ForgeData
import Foundation

/// Shows training progress: epoch, batch of total, throughput in samples per second, time left in
/// the epoch and the epoch's running mean loss.
///
/// On a terminal it redraws one line in place and ends each epoch with a line of its metrics:
///
///     epoch 2/10 [=============>                ] 20/45  2400.0 samples/s  ETA 0:01  loss 0.4123
///
/// When the output is not a terminal (a log file, CI), carriage returns would pile up, so it writes
/// plain lines instead: one every ``plainLineInterval`` batches and one per epoch.
///
/// ```swift
/// let trainer = Trainer(…, callbacks: [ProgressBar()])   // standard output, wall clock
/// ```
public final class ProgressBar: TrainingCallback {
    /// Where the bar is written.
    public let output: any ProgressOutput
    /// Seconds, from any fixed origin (monotonic by default); tests pass a fake clock.
    public let clock: () -> Double
    /// The width of the bar in characters.
    public let width: Int
    /// The least time between two redraws on a terminal.
    public let refreshInterval: Double
    /// On a non-terminal, a line every this many batches (nil: ten lines per epoch).
    public let plainLineInterval: Int?

    private var epochStart = 0.0
    private var batchesAtStart = 0
    private var samplesThisEpoch = 0
    private var lastDraw = -Double.infinity
    private var lineLength = 0

    /// Creates the progress bar.
    ///
    /// - Parameters:
    ///   - output: standard output by default.
    ///   - clock: the time in seconds; nil uses a monotonic clock (`ProcessInfo.systemUptime`).
    ///   - width: bar width (≥ 1).
    ///   - refreshInterval: least seconds between terminal redraws.
    ///   - plainLineInterval: batches between plain lines when not on a terminal.
    public init(
        output: any ProgressOutput = StandardOutput(), clock: (() -> Double)? = nil,
        width: Int = 30, refreshInterval: Double = 0.1, plainLineInterval: Int? = nil
    ) {
        precondition(width >= 1, "ProgressBar: width \(width); use at least 1")
        precondition(plainLineInterval.map { $0 >= 1 } ?? true, "ProgressBar: plainLineInterval must be ≥ 1")
        self.output = output
        self.clock = clock ?? { ProcessInfo.processInfo.systemUptime }
        self.width = width
        self.refreshInterval = refreshInterval
        self.plainLineInterval = plainLineInterval
    }

    /// 70: after everything that changes the state.
    public var order: Int { 70 }

    /// Starts the epoch's clock.
    public func epochDidBegin(_ trainer: Trainer) throws {
        epochStart = clock()
        batchesAtStart = trainer.state.completedBatches
        samplesThisEpoch = 0
        lastDraw = -.infinity
    }

    /// Redraws (terminal) or writes a line every few batches (plain).
    public func batchDidEnd(_ trainer: Trainer, batch: Batch, loss: Double) throws {
        samplesThisEpoch += batch.count
        let state = trainer.state
        let now = clock()
        if output.isTerminal {
            guard now - lastDraw >= refreshInterval || state.completedBatches == state.batchesInEpoch else { return }
            lastDraw = now
            let line = progressLine(trainer, now: now)
            output.write("\r" + line + String(repeating: " ", count: max(0, lineLength - line.count)))
            lineLength = line.count
        } else {
            let interval = plainLineInterval ?? max(1, (state.batchesInEpoch + 9) / 10)
            guard state.completedBatches % interval == 0 || state.completedBatches == state.batchesInEpoch else {
                return
            }
            output.write(progressLine(trainer, now: now) + "\n")
        }
    }

    /// Ends the epoch with its metrics.
    public func epochDidEnd(_ trainer: Trainer) throws {
        guard let record = trainer.state.history.last else { return }
        let metrics = record.metrics.sorted { $0.key < $1.key }.map { "\($0.key) \(Self.format($0.value))" }
        let line =
            "epoch \(record.epoch + 1)/\(trainer.epochs) done in \(Self.duration(clock() - epochStart)): "
            + metrics.joined(separator: ", ")
        if output.isTerminal {
            output.write("\r" + line + String(repeating: " ", count: max(0, lineLength - line.count)) + "\n")
            lineLength = 0
        } else {
            output.write(line + "\n")
        }
    }

    /// Writes why the run stopped early, if it did.
    public func trainingDidEnd(_ trainer: Trainer) throws {
        if lineLength > 0 { output.write("\n") }
        lineLength = 0
        if let reason = trainer.state.stopReason { output.write("stopped: \(reason)\n") }
    }

    /// Ends the current line so the error prints on its own.
    public func trainingDidFail(_ trainer: Trainer, error: any Error) {
        if lineLength > 0 { output.write("\n") }
        lineLength = 0
    }

    /// `epoch 2/10 [====>     ] 20/45  2400.0 samples/s  ETA 0:01  loss 0.4123`.
    func progressLine(_ trainer: Trainer, now: Double) -> String {
        let state = trainer.state
        let total = max(1, state.batchesInEpoch)
        let done = state.completedBatches
        let filled = width * done / total
        var bar = String(repeating: "=", count: filled)
        if filled < width { bar += ">" + String(repeating: " ", count: width - filled - 1) }
        let elapsed = now - epochStart
        let trainedHere = done - batchesAtStart
        let rate = elapsed > 0 ? Double(samplesThisEpoch) / elapsed : 0
        let eta = trainedHere > 0 ? elapsed / Double(trainedHere) * Double(total - done) : 0
        return "epoch \(state.epoch + 1)/\(trainer.epochs) [\(bar)] \(done)/\(state.batchesInEpoch)  "
            + String(format: "%.1f", rate)
            + " samples/s  ETA \(Self.duration(eta))  loss \(Self.format(state.epochMeanLoss))"
    }

    /// `0:07`, `12:03` or `1:02:03`.
    static func duration(_ seconds: Double) -> String {
        let total = Int(max(0, seconds).rounded())
        let (hours, minutes, rest) = (total / 3600, total / 60 % 60, total % 60)
        return hours > 0
            ? String(format: "%d:%02d:%02d", hours, minutes, rest) : String(format: "%d:%02d", minutes, rest)
    }

    /// Four decimals, or the number's description when it is not finite.
    static func format(_ value: Double) -> String {
        value.isFinite ? String(format: "%.4f", value) : "\(value)"
    }
}
