import ForgeTensor
import Foundation

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
