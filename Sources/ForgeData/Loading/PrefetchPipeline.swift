import Foundation

/// Worker threads that build batches `0..<total` ahead of a consumer, at most `bound` batches
/// beyond the one the consumer waits for. Results are keyed by batch number, so the consumer sees
/// them in order whichever worker finished first.
final class PrefetchPipeline: @unchecked Sendable {
    // All mutable state is guarded by `condition`.
    private let condition = NSCondition()
    private let total: Int
    private let bound: Int
    private var nextToClaim = 0
    private var nextToConsume = 0
    private var ready: [Int: Batch] = [:]
    private var cancelled = false
    private var running = 0
    /// An async consumer waiting for batch `number`.
    private var waiter: (number: Int, continuation: CheckedContinuation<Batch?, Never>)?

    init(total: Int, bound: Int) {
        self.total = total
        self.bound = bound
    }

    /// Worker threads still running.
    var liveWorkers: Int {
        condition.lock()
        defer { condition.unlock() }
        return running
    }

    func start(workers: Int, build: @escaping @Sendable (Int) -> Batch) {
        condition.lock()
        running = workers
        condition.unlock()
        for _ in 0..<workers {
            let thread = Thread { [self] in work(build) }
            thread.name = "ForgeData.DataLoader"
            thread.start()
        }
    }

    private func work(_ build: @Sendable (Int) -> Batch) {
        while true {
            condition.lock()
            while !cancelled && nextToClaim < total && nextToClaim >= nextToConsume + bound {
                condition.wait()
            }
            if cancelled || nextToClaim >= total {
                running -= 1
                condition.broadcast()
                condition.unlock()
                return
            }
            let number = nextToClaim
            nextToClaim += 1
            condition.unlock()
            let batch = build(number)
            condition.lock()
            var resume: CheckedContinuation<Batch?, Never>?
            if !cancelled {
                if let waiting = waiter, waiting.number == number {
                    resume = waiting.continuation
                    waiter = nil
                    nextToConsume = number + 1
                } else {
                    ready[number] = batch
                }
            }
            condition.broadcast()
            condition.unlock()
            resume?.resume(returning: batch)
        }
    }

    /// Waits for batch `number`; nil when cancelled (the loader or the current task).
    func take(_ number: Int) -> Batch? {
        condition.lock()
        defer { condition.unlock() }
        while ready[number] == nil && !cancelled {
            _ = condition.wait(until: Date(timeIntervalSinceNow: 0.05))
            if Task.isCancelled { cancelled = true }
        }
        guard !cancelled, let batch = ready.removeValue(forKey: number) else {
            condition.broadcast()
            return nil
        }
        nextToConsume = number + 1
        condition.broadcast()
        return batch
    }

    /// Suspends (without blocking a thread) until batch `number` is ready; nil when cancelled.
    func next(_ number: Int) async -> Batch? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Batch?, Never>) in
                condition.lock()
                if cancelled {
                    condition.unlock()
                    continuation.resume(returning: nil)
                } else if let batch = ready.removeValue(forKey: number) {
                    nextToConsume = number + 1
                    condition.broadcast()
                    condition.unlock()
                    continuation.resume(returning: batch)
                } else {
                    waiter = (number, continuation)
                    condition.unlock()
                }
            }
        } onCancel: {
            cancel()
        }
    }

    /// Stops the workers after the batch each is building and wakes any waiting consumer.
    func cancel() {
        condition.lock()
        cancelled = true
        ready.removeAll()
        let pending = waiter
        waiter = nil
        condition.broadcast()
        condition.unlock()
        pending?.continuation.resume(returning: nil)
    }
}
