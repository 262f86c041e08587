public import Foundation

/// One measurement of a metric: a value at a training step and a wall-clock time.
///
/// Metrics are series: logging `loss` at steps 0, 1, 2… builds its history. NaN is a legitimate value
/// (a diverged loss) and is stored as NaN, as MLflow does; infinities are rejected with
/// ``TrackingError/invalidValue(kind:key:reason:)``.
public struct Metric: Sendable, Hashable, Codable {
    /// The metric name (`loss`, `val/accuracy`).
    public var key: String
    /// The measured value.
    public var value: Double
    /// The training step (batch or epoch index) the value belongs to.
    public var step: Int
    /// When the value was measured.
    public var timestamp: Date

    /// Creates a measurement; `timestamp` defaults to now.
    public init(key: String, value: Double, step: Int = 0, timestamp: Date = Date()) {
        self.key = key
        self.value = value
        self.step = step
        self.timestamp = timestamp
    }

    /// Equality that treats two NaN values as equal (a stored NaN reads back equal to what was logged).
    public static func == (lhs: Metric, rhs: Metric) -> Bool {
        lhs.key == rhs.key && lhs.step == rhs.step && lhs.timestamp == rhs.timestamp
            && (lhs.value == rhs.value || (lhs.value.isNaN && rhs.value.isNaN))
    }

    /// Hashes consistently with ``==(_:_:)``.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(key)
        hasher.combine(step)
        hasher.combine(timestamp)
        hasher.combine(value.isNaN ? Double.nan.bitPattern : value.bitPattern)
    }
}

/// A run parameter: an input to the run, logged once and immutable afterwards.
public struct Param: Sendable, Hashable, Codable {
    /// The parameter name (`optimizer.lr`).
    public var key: String
    /// The value as text (as MLflow stores it).
    public var value: String

    /// Creates a parameter.
    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}

/// Which way a metric improves, for "best" summaries and ordering.
public enum MetricGoal: String, Sendable, Hashable, Codable {
    /// Lower is better (losses, errors).
    case minimize
    /// Higher is better (accuracy, AUC).
    case maximize
}

/// The latest, minimum and maximum of one metric over a run, and the best under a goal.
public struct MetricSummary: Sendable, Hashable, Codable {
    /// The metric name.
    public var key: String
    /// The value at the highest step (latest timestamp on ties).
    public var latest: Double
    /// The step of ``latest``.
    public var latestStep: Int
    /// The smallest non-NaN value (NaN if every value is NaN).
    public var minimum: Double
    /// The largest non-NaN value (NaN if every value is NaN).
    public var maximum: Double
    /// How many values were logged.
    public var count: Int

    /// ``minimum`` or ``maximum``, whichever `goal` prefers.
    public func best(_ goal: MetricGoal) -> Double { goal == .minimize ? minimum : maximum }

    /// Summarizes a non-empty history; nil when `history` is empty.
    public init?(history: [Metric]) {
        guard let first = history.first else { return nil }
        var latest = first
        var minimum = Double.nan
        var maximum = Double.nan
        for metric in history {
            if metric.step > latest.step || (metric.step == latest.step && metric.timestamp >= latest.timestamp) {
                latest = metric
            }
            if !metric.value.isNaN {
                minimum = minimum.isNaN ? metric.value : Swift.min(minimum, metric.value)
                maximum = maximum.isNaN ? metric.value : Swift.max(maximum, metric.value)
            }
        }
        self.key = first.key
        self.latest = latest.value
        self.latestStep = latest.step
        self.minimum = minimum
        self.maximum = maximum
        self.count = history.count
    }
}
