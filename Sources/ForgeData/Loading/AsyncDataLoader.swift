import ForgeTensor

extension DataLoader {
    /// The batches of epoch `epoch` as an `AsyncSequence`: with workers, waiting for a batch
    /// suspends the task instead of blocking a thread, and cancelling the task stops the workers.
    ///
    /// ```swift
    /// for await batch in loader.asyncBatches(epoch: 0) { await step(batch) }
    /// ```
    public func asyncBatches(epoch: Int) -> AsyncDataLoaderEpoch<Source> {
        AsyncDataLoaderEpoch(loader: self, epoch: epoch)
    }
}

/// One epoch of a ``DataLoader`` as an `AsyncSequence` (same batches as the synchronous sequence).
public struct AsyncDataLoaderEpoch<Source: Dataset>: AsyncSequence, Sendable {
    /// The element: a batch.
    public typealias Element = Batch
    /// The loader.
    public let loader: DataLoader<Source>
    /// The epoch.
    public let epoch: Int

    /// Starts the epoch (and its workers).
    public func makeAsyncIterator() -> Iterator { Iterator(loader: loader, epoch: epoch) }

    /// Yields the epoch's batches in order; releasing it stops the workers.
    public final class Iterator: AsyncIteratorProtocol {
        private let loader: DataLoader<Source>
        private let epoch: Int
        private let plan: [[Int]]
        private var position = 0
        let pipeline: PrefetchPipeline?

        init(loader: DataLoader<Source>, epoch: Int) {
            self.loader = loader
            self.epoch = epoch
            plan = loader.batchSampler.batches(count: loader.dataset.count, epoch: epoch)
            if loader.workers > 0 && !plan.isEmpty {
                let pipeline = PrefetchPipeline(total: plan.count, bound: loader.prefetch)
                let plan = self.plan
                pipeline.start(workers: Swift.min(loader.workers, plan.count)) { number in
                    loader.makeBatch(plan[number], number: number, epoch: epoch)
                }
                self.pipeline = pipeline
            } else {
                pipeline = nil
            }
        }

        deinit { pipeline?.cancel() }

        /// The next batch; nil at the end or when the task is cancelled.
        public func next() async -> Batch? {
            guard position < plan.count, !Task.isCancelled else {
                pipeline?.cancel()
                return nil
            }
            defer { position += 1 }
            if let pipeline { return await pipeline.next(position) }
            return loader.makeBatch(plan[position], number: position, epoch: epoch)
        }
    }
}
