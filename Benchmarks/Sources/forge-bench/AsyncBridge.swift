import Dispatch
import Foundation

/// Runs async work from forge-bench's synchronous workload entry points and returns its outcome.
///
/// Blocking is safe here: the workloads run on the main thread, not on a concurrency-pool thread.
func blockingResult<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) -> Result<T, any Error> {
    let box = ResultBox<T>()
    let semaphore = DispatchSemaphore(value: 0)
    Task.detached {
        do { box.set(.success(try await body())) } catch { box.set(.failure(error)) }
        semaphore.signal()
    }
    semaphore.wait()
    return box.get() ?? .failure(CancellationError())
}

/// Runs async work to completion like ``blockingResult(_:)``, stopping the benchmark if it throws.
func blockingRun<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) -> T {
    switch blockingResult(body) {
    case .success(let value): return value
    case .failure(let error): preconditionFailure("benchmark failed: \(error)")
    }
}

/// A lock-protected slot for a result handed across threads.
final class ResultBox<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Result<T, any Error>?
    func set(_ result: Result<T, any Error>) { lock.withLock { value = result } }
    func get() -> Result<T, any Error>? { lock.withLock { value } }
}
