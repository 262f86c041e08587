import Foundation
import ForgeTensor

/// Yields one epoch's batches in order. Releasing it (leaving the `for` loop) stops its workers.
public final class DataLoaderIterator<Source: Dataset>: IteratorProtocol {
    private let loader: DataLoader<Source>
    private let epoch: Int
    private let plan: [[Int]]
    private var position = 0
    /// The shared queue with the worker threads, when there are workers.
    let pipeline: PrefetchPipeline?

    init(loader: DataLoader<Source>, epoch: Int) {
        self.loader = loader
        self.epoch = epoch
        self.plan = loader.batchSampler.batches(count: loader.dataset.count, epoch: epoch)
        if loader.workers > 0 && !plan.isEmpty {
            let pipeline = PrefetchPipeline(total: plan.count, bound: loader.prefetch)
            let plan = self.plan
            pipeline.start(workers: Swift.min(loader.workers, plan.count)) { number in
                loader.makeBatch(plan[number], number: number, epoch: epoch)
            }
            self.pipeline = pipeline
        } else {
            self.pipeline = nil
        }
    }

    deinit { pipeline?.cancel() }

    /// The next batch, or nil at the end of the epoch or when the current task is cancelled.
    public func next() -> Batch? {
        guard position < plan.count else { return nil }
        if Task.isCancelled {
            pipeline?.cancel()
            return nil
        }
        defer { position += 1 }
        if let pipeline {
            return pipeline.take(position)
        }
        return loader.makeBatch(plan[position], number: position, epoch: epoch)
    }
}

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
            if !cancelled { ready[number] = batch }
            condition.broadcast()
            condition.unlock()
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

    /// Stops the workers after the batch each is building.
    func cancel() {
        condition.lock()
        cancelled = true
        ready.removeAll()
        condition.broadcast()
        condition.unlock()
    }
}
