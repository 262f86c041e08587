import ForgeLayers
import ForgeTensor

/// Stops the run once a monitored metric has gone `patience` epochs without improving, optionally putting
/// back the weights of the best epoch — Keras's `EarlyStopping`.
///
/// An epoch improves when its value beats the best so far by more than the monitor's
/// ``MetricMonitor/minimumDelta`` (lower is better for `.minimize`, higher for `.maximize`).
///
/// ```swift
/// let stopping = EarlyStopping(
///     monitor: MetricMonitor(metric: "validation_loss", mode: .minimize, minimumDelta: 1e-4),
///     patience: 3, restoresBestWeights: true)
/// ```
///
/// Its counters (and the best weights, when kept) are part of a checkpoint, so a resumed run stops at
/// the same epoch as an uninterrupted one.
public final class EarlyStopping: TrainingCallback {
    /// The metric, its direction and the least change that counts.
    public let monitor: MetricMonitor
    /// The number of consecutive epochs without improvement that stops the run (≥ 0).
    public let patience: Int
    /// Whether the best epoch's weights are put back when the run ends.
    public let restoresBestWeights: Bool

    /// The best value seen.
    public private(set) var bestValue: Double?
    /// The epoch of ``bestValue``.
    public private(set) var bestEpoch: Int?
    /// Consecutive epochs without improvement.
    public private(set) var epochsWithoutImprovement = 0
    /// The epoch after which the run was stopped, nil while it has not stopped it.
    public private(set) var stoppedEpoch: Int?
    private var bestWeights: [String: Tensor] = [:]

    /// Creates the callback.
    ///
    /// - Parameters:
    ///   - monitor: the metric (validation loss, lower is better, by default).
    ///   - patience: the run stops after this many consecutive epochs without improvement (Keras's
    ///     rule; 0 stops at the first epoch that does not improve).
    ///   - restoresBestWeights: put back the best epoch's weights at the end of the run.
    public init(monitor: MetricMonitor = .validationLoss, patience: Int, restoresBestWeights: Bool = false) {
        precondition(patience >= 0, "EarlyStopping: patience \(patience); use 0 or more")
        self.monitor = monitor
        self.patience = patience
        self.restoresBestWeights = restoresBestWeights
    }

    /// Updates the counters and asks the trainer to stop once patience runs out.
    public func epochDidEnd(_ trainer: Trainer) throws {
        guard let record = trainer.state.history.last else { return }
        guard let value = monitor.value(in: record) else {
            throw TrainingError(
                .invalidSetup,
                message: "EarlyStopping monitors \"\(monitor.metric)\", which epoch \(record.epoch) did not report "
                    + "(it reported \(record.metrics.keys.sorted()))")
        }
        if monitor.isImprovement(value, over: bestValue) {
            bestValue = value
            bestEpoch = record.epoch
            epochsWithoutImprovement = 0
            if restoresBestWeights { bestWeights = trainer.model.stateDict() }
            return
        }
        epochsWithoutImprovement += 1
        if epochsWithoutImprovement >= patience {
            stoppedEpoch = record.epoch
            let best = bestValue.map { "\($0)" } ?? "none"
            trainer.requestStop(
                reason: "early stopping: \(monitor.metric) did not improve for \(epochsWithoutImprovement) epochs "
                    + "(best \(best) at epoch \(bestEpoch.map(String.init) ?? "-"))")
        }
    }

    /// Puts back the best weights when asked to and the final ones are not the best.
    public func trainingDidEnd(_ trainer: Trainer) throws {
        guard restoresBestWeights, !bestWeights.isEmpty, bestEpoch != trainer.state.history.last?.epoch else { return }
        try trainer.model.load(stateDict: bestWeights, strict: true)
    }

    /// `early_stopping`.
    public var checkpointKey: String? { "early_stopping" }

    private struct Saved: Codable {
        var bestValue: Double?
        var bestEpoch: Int?
        var epochsWithoutImprovement: Int
        var stoppedEpoch: Int?
    }

    /// The counters, and the best weights when they are kept.
    public func checkpointState() throws -> CallbackState? {
        try CallbackState(
            encoding: Saved(
                bestValue: bestValue, bestEpoch: bestEpoch, epochsWithoutImprovement: epochsWithoutImprovement,
                stoppedEpoch: stoppedEpoch),
            tensors: bestWeights)
    }

    /// Restores the counters and the best weights.
    public func restore(checkpointState: CallbackState) throws {
        let saved = try checkpointState.decoded(as: Saved.self, owner: "EarlyStopping")
        bestValue = saved.bestValue
        bestEpoch = saved.bestEpoch
        epochsWithoutImprovement = saved.epochsWithoutImprovement
        stoppedEpoch = saved.stoppedEpoch
        bestWeights = checkpointState.tensors
    }
}
