public import ForgeTracking

/// Sends ``GradientStatistics`` records to a tracking run as metrics at the record's step:
/// `activations/<module>/mean|variance`, `gradients/<parameter>/mean|variance|norm`,
/// `updates/<parameter>/mean|variance` and `update_ratio/<parameter>`.
public final class TrackingStatisticsSink: GradientStatisticsSink {
    /// The run the metrics go to.
    public let run: ActiveRun
    /// The first error met while logging (logging continues; training is never interrupted).
    public private(set) var firstError: (any Error)?

    /// Creates a sink logging to `run`.
    public init(run: ActiveRun) { self.run = run }

    /// Buffers the record's values as metrics (never blocks).
    public func record(_ record: GradientStatisticsRecord) {
        var metrics: [Metric] = []
        func add(_ key: String, _ value: Double) {
            if value.isFinite { metrics.append(Metric(key: key, value: value, step: record.step)) }
        }
        for (name, statistics) in record.activations.sorted(by: { $0.key < $1.key }) {
            add("activations/\(name)/mean", statistics.mean)
            add("activations/\(name)/variance", statistics.variance)
        }
        for (name, statistics) in record.gradients.sorted(by: { $0.key < $1.key }) {
            add("gradients/\(name)/mean", statistics.mean)
            add("gradients/\(name)/variance", statistics.variance)
            add("gradients/\(name)/norm", statistics.norm)
        }
        for (name, statistics) in record.updates.sorted(by: { $0.key < $1.key }) {
            add("updates/\(name)/mean", statistics.mean)
            add("updates/\(name)/variance", statistics.variance)
        }
        for (name, ratio) in record.updateRatios.sorted(by: { $0.key < $1.key }) { add("update_ratio/\(name)", ratio) }
        do {
            try run.record(metrics: metrics)
        } catch {
            if firstError == nil { firstError = error }
        }
    }
}
