#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Foundation
import Synchronization

#if canImport(CBLAS)
import CBLAS
#endif

/// The number of threads ForgeTensor's own kernels and the BLAS library use.
///
/// One setting governs both, so a service can pin Forge to the cores it was given:
///
/// ```swift
/// ForgeThreads.count = 2
/// ```
///
/// The default is the `FORGE_THREADS` environment variable when set, otherwise the number of active
/// processors. Results never depend on the thread count: kernels split work so that every element is
/// computed the same way whichever thread computes it.
public enum ForgeThreads {
    private static let storage = Atomic<Int>(0)

    /// The number of threads kernels may use (at least 1).
    public static var count: Int {
        get {
            let current = storage.load(ordering: .relaxed)
            if current > 0 { return current }
            let initial = defaultCount()
            storage.store(initial, ordering: .relaxed)
            applyToBLAS(initial)
            return initial
        }
        set {
            precondition(newValue >= 1, "ForgeThreads.count: \(newValue) threads; use at least 1")
            storage.store(newValue, ordering: .relaxed)
            applyToBLAS(newValue)
        }
    }

    /// Makes sure BLAS runs with ``count`` threads before its first call (the first read of ``count``
    /// applies the default to BLAS).
    @inline(__always)
    static func configureBLAS() {
        if storage.load(ordering: .relaxed) == 0 { _ = count }
    }

    /// A per-task cap on the threads Forge's own kernels use, set with ``withLimit(_:_:)``.
    @TaskLocal static var taskLimit: Int?

    /// Runs `body` with Forge's own kernels limited to `limit` threads in the current task (BLAS keeps
    /// the process-wide ``count``). Useful to keep one request of a server on one core.
    public static func withLimit<R>(_ limit: Int, _ body: () throws -> R) rethrows -> R {
        precondition(limit >= 1, "ForgeThreads.withLimit: \(limit) threads; use at least 1")
        return try $taskLimit.withValue(limit, operation: body)
    }

    /// The threads a kernel may use now: ``count``, capped by the task's limit.
    static var effectiveCount: Int {
        let total = count
        guard let limit = taskLimit else { return total }
        return Swift.min(total, limit)
    }

    private static func defaultCount() -> Int {
        if let text = ProcessInfo.processInfo.environment["FORGE_THREADS"], let value = Int(text), value >= 1 {
            return value
        }
        return max(1, ProcessInfo.processInfo.activeProcessorCount)
    }

    private static func applyToBLAS(_ count: Int) {
        // NOTE: OpenBLAS keeps its own worker threads, which spin (sched_yield) between calls and then
        // compete with Forge's workers for the cores: in a small CNN's step the scheduler took ~40% of
        // the time. Running BLAS single-threaded and splitting products across Forge's workers instead
        // was measured and was slower overall (matmul n=256 at 0.80× PyTorch instead of ~1.0×), so BLAS
        // keeps its own threads; one shared pool is future work.
        #if os(Linux)
        openblas_set_num_threads(Int32(count))
        #endif
    }
}

/// Runs `body` over `0..<count` split into contiguous chunks, on up to ``ForgeThreads/count`` threads.
///
/// Work smaller than `grain` elements per thread runs inline on the caller's thread. Chunk
/// boundaries depend only on `count` and the thread count, and each element is processed by exactly
/// one call, so kernels that write disjoint outputs are deterministic.
@inline(__always)
package func parallelChunks(count: Int, grain: Int, _ body: (Range<Int>) -> Void) {
    // Inside a worker of an enclosing parallel region, run inline: the cores are already busy.
    let nested = pthread_getspecific(parallelRegionKey) != nil
    let threads = nested ? 1 : min(ForgeThreads.effectiveCount, count / max(grain, 1))
    if threads <= 1 {
        if count > 0 { body(0..<count) }
        return
    }
    let chunk = (count + threads - 1) / threads
    withoutActuallyEscaping(body) { body in
        let work = UncheckedSendableBox(body)
        DispatchQueue.concurrentPerform(iterations: threads) { index in
            let start = index * chunk
            let end = min(start + chunk, count)
            if start < end {
                let previous = pthread_getspecific(parallelRegionKey)
                pthread_setspecific(parallelRegionKey, UnsafeRawPointer(bitPattern: 1))
                work.value(start..<end)
                pthread_setspecific(parallelRegionKey, previous)
            }
        }
    }
}

/// Marks threads that are running a chunk of ``parallelChunks(count:grain:_:)``.
private let parallelRegionKey: pthread_key_t = {
    var key = pthread_key_t()
    pthread_key_create(&key, nil)
    return key
}()

/// Carries a value into a `@Sendable` closure where the caller guarantees the concurrent uses are safe
/// (here: kernels whose chunks write disjoint memory and finish before the call returns).
struct UncheckedSendableBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
