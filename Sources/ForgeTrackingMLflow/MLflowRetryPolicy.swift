import Foundation

/// How ``MLflowTrackingStore`` retries a request that failed for a reason worth retrying: HTTP 429 (too many
/// requests), a 5xx server error, or a connection error (refused, reset, timed out).
///
/// Delays grow exponentially (`initialDelay × multiplier^(retry − 1)`, capped at `maximumDelay`) with "equal
/// jitter": each delay is drawn uniformly from the upper half of its bound, so clients that failed
/// together do not retry together. A 429's `Retry-After` header, when present, is honoured (capped too).
/// Like MLflow's own Python client, POSTs are retried too: when a server applied a request but its answer
/// was lost, the retry can record a metric value twice or fail as "already exists".
///
/// ```swift
/// let store = MLflowTrackingStore(
///     trackingURI: URL(string: "http://127.0.0.1:5000")!,
///     configuration: .init(retry: MLflowRetryPolicy(maximumAttempts: 8, initialDelay: .milliseconds(500))))
/// ```
public struct MLflowRetryPolicy: Sendable, Hashable {
    /// Attempts in total, the first included (1 disables retries).
    public var maximumAttempts: Int
    /// The bound of the first delay.
    public var initialDelay: Duration
    /// The largest delay.
    public var maximumDelay: Duration
    /// The growth factor of the bound from one retry to the next.
    public var multiplier: Double

    /// Creates a policy.
    /// - Precondition: `maximumAttempts ≥ 1`, `multiplier ≥ 1`, non-negative delays.
    public init(
        maximumAttempts: Int = 5, initialDelay: Duration = .milliseconds(200), maximumDelay: Duration = .seconds(10),
        multiplier: Double = 2
    ) {
        precondition(maximumAttempts >= 1, "MLflowRetryPolicy: maximumAttempts \(maximumAttempts) must be at least 1")
        precondition(multiplier >= 1, "MLflowRetryPolicy: multiplier \(multiplier) must be at least 1")
        precondition(
            initialDelay >= .zero && maximumDelay >= .zero, "MLflowRetryPolicy: delays must not be negative")
        self.maximumAttempts = maximumAttempts
        self.initialDelay = initialDelay
        self.maximumDelay = maximumDelay
        self.multiplier = multiplier
    }

    /// Five attempts, delays from 0.2 s doubling up to 10 s (at most about 3 s of waiting in all).
    public static let `default` = MLflowRetryPolicy()

    /// One attempt, no retries.
    public static let none = MLflowRetryPolicy(maximumAttempts: 1)

    /// The delay before retry number `retry` (1 for the first retry); `unit` in `0...1` picks the jitter.
    public func delay(beforeRetry retry: Int, unit: Double) -> Duration {
        let bound = Swift.min(
            seconds(maximumDelay), seconds(initialDelay) * Foundation.pow(multiplier, Double(Swift.max(0, retry - 1))))
        return .seconds(bound / 2 + bound / 2 * Swift.min(1, Swift.max(0, unit)))
    }

    /// Whether an HTTP status is worth retrying: 429 and the 5xx codes except 501 (not implemented) and
    /// 505 (version not supported), which a retry cannot fix.
    public static func isRetryable(status: Int) -> Bool {
        status == 429 || (500...599).contains(status) && status != 501 && status != 505
    }

    private func seconds(_ duration: Duration) -> Double {
        let (whole, attoseconds) = duration.components
        return Double(whole) + Double(attoseconds) / 1e18
    }
}
