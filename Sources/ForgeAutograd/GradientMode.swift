/// Task-local switches of automatic differentiation: whether operations are recorded, and whether
/// anomaly detection checks every result for NaN and infinity.
///
/// Both are task-local, so concurrent tasks — two requests in a server, a training task and an
/// evaluation task — never see each other's settings.
public enum GradientMode {
    @TaskLocal static var recording = true
    @TaskLocal static var anomalyRecorder: AnomalyRecorder?

    /// Whether operations on variables are currently recorded for differentiation.
    public static var isEnabled: Bool { recording }

    /// Whether anomaly detection is on in the current task.
    public static var isDetectingAnomalies: Bool { anomalyRecorder != nil }
}

/// Runs `body` without recording operations: results do not require gradients and no graph is kept
/// (PyTorch's `torch.no_grad()`). Use it for evaluation, inference and parameter updates.
public func withoutGradient<R>(_ body: () throws -> R) rethrows -> R {
    try GradientMode.$recording.withValue(false, operation: body)
}

/// Runs `body` without recording operations (async variant).
public func withoutGradient<R>(_ body: () async throws -> R) async rethrows -> R {
    try await GradientMode.$recording.withValue(false, operation: body)
}

/// Runs `body` with operations recorded again inside an enclosing ``withoutGradient(_:)-(()->R)`` scope.
public func withGradient<R>(_ body: () throws -> R) rethrows -> R {
    try GradientMode.$recording.withValue(true, operation: body)
}

/// Runs `body` with anomaly detection: every forward result and every gradient is checked for NaN and
/// infinity, and the first one found is reported as an ``AnomalyError`` naming the operation and the
/// source location where it was created.
///
/// A NaN in a forward result is remembered and thrown when `body` returns (or at the next
/// ``Variable/backward(_:)``, whichever comes first); a NaN in a gradient stops `backward` at once.
/// Checking costs one pass over every result, so use it while debugging, not in production.
///
/// ```swift
/// try withAnomalyDetection {
///     let loss = model(x).logSoftmax().mean()
///     try loss.backward()
/// }
/// ```
public func withAnomalyDetection<R>(_ body: () throws -> R) throws -> R {
    let recorder = AnomalyRecorder()
    let result = try GradientMode.$anomalyRecorder.withValue(recorder, operation: body)
    if let anomaly = recorder.first { throw anomaly }
    return result
}

/// Holds the first anomaly a task produced.
final class AnomalyRecorder: @unchecked Sendable {
    // NOTE: @unchecked: a recorder is installed in one task-local scope and written only from that task.
    var first: AnomalyError?

    func record(_ anomaly: AnomalyError) {
        if first == nil { first = anomaly }
    }
}
