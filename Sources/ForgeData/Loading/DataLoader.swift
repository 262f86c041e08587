import ForgeTensor
import Synchronization

/// Iterates a dataset in batches: ordering (shuffle or any ``BatchSampler``), collation, transforms,
/// and prefetching on background threads with a bounded queue (PyTorch's `DataLoader`).
///
/// The batches depend only on the seed and the epoch, never on `workers`: the batch sampler fixes
/// which examples go into batch `b`, and batch `b`'s transform draws from a generator derived from
/// (seed, epoch, b), whichever thread builds it. Each `for batch in loader` is a new epoch
/// (0, 1, 2, …), reshuffled; ``batches(epoch:)`` picks an epoch explicitly. Leaving the loop early or
/// cancelling the surrounding task stops the workers before they build more batches.
///
/// ```swift
/// let loader = DataLoader(dataset, batchSize: 32, shuffle: true, seed: 42, workers: 2,
///                         transform: standardizer)
/// for batch in loader {              // epoch 0
///     train(batch.features, batch.labels)
/// }
/// ```
public struct DataLoader<Source: Dataset>: Sequence, Sendable {
    /// The dataset.
    public let dataset: Source
    /// The batch order.
    public let batchSampler: any BatchSampler
    /// Applied to each batch's features.
    public let transform: (any Transform)?
    /// Applied to each batch's labels.
    public let labelTransform: (any Transform)?
    /// Background threads building batches; 0 builds them on the iterating thread.
    public let workers: Int
    /// The most batches built ahead of the consumer (the queue bound).
    public let prefetch: Int
    /// The seed of the transforms' generators (and of the shuffle, with `shuffle: true`).
    public let seed: UInt64
    private let epochCounter: EpochCounter

    /// Creates a loader that batches consecutively or shuffles.
    ///
    /// - Parameters:
    ///   - dataset: the examples.
    ///   - batchSize: examples per batch (≥ 1).
    ///   - shuffle: a new seeded permutation every epoch (``RandomSampler``) instead of `0..<count`.
    ///   - dropLast: drop a final batch smaller than `batchSize`.
    ///   - seed: fixes the shuffle and the transforms' randomness.
    ///   - workers: background threads (0 = none).
    ///   - prefetch: queue bound, batches built ahead (≥ 1; defaults to `2 × workers`).
    ///   - transform: applied to every batch's features.
    ///   - labelTransform: applied to every batch's labels.
    public init(
        _ dataset: Source, batchSize: Int, shuffle: Bool = false, dropLast: Bool = false, seed: UInt64 = 0,
        workers: Int = 0, prefetch: Int? = nil, transform: (any Transform)? = nil,
        labelTransform: (any Transform)? = nil
    ) {
        let sampler: any Sampler = shuffle ? RandomSampler(seed: seed) : SequentialSampler()
        self.init(
            dataset, batchSampler: SamplerBatches(sampler: sampler, batchSize: batchSize, dropLast: dropLast),
            seed: seed, workers: workers, prefetch: prefetch, transform: transform, labelTransform: labelTransform)
    }

    /// Creates a loader whose batches come from `batchSampler` (stratified, weighted, custom).
    public init(
        _ dataset: Source, batchSampler: any BatchSampler, seed: UInt64 = 0, workers: Int = 0, prefetch: Int? = nil,
        transform: (any Transform)? = nil, labelTransform: (any Transform)? = nil
    ) {
        precondition(workers >= 0, "DataLoader: workers \(workers) is negative")
        let bound = prefetch ?? Swift.max(2, 2 * workers)
        precondition(bound >= 1, "DataLoader: prefetch \(bound); use at least 1")
        self.dataset = dataset
        self.batchSampler = batchSampler
        self.seed = seed
        self.workers = workers
        self.prefetch = bound
        self.transform = transform
        self.labelTransform = labelTransform
        self.epochCounter = EpochCounter()
    }

    /// The number of batches in epoch `epoch`.
    public func batchCount(epoch: Int = 0) -> Int {
        batchSampler.batches(count: dataset.count, epoch: epoch).count
    }

    /// The batches of one epoch, as a sequence.
    public func batches(epoch: Int) -> DataLoaderEpoch<Source> {
        DataLoaderEpoch(loader: self, epoch: epoch)
    }

    /// Starts the next epoch (0 on the first call, then 1, 2, …).
    public func makeIterator() -> DataLoaderIterator<Source> {
        batches(epoch: epochCounter.next()).makeIterator()
    }

    /// Builds batch `number` of `epoch` from its indices: fetch, collate, transforms.
    func makeBatch(_ indices: [Int], number: Int, epoch: Int) -> Batch {
        var batch = dataset.batch(at: indices)
        if transform != nil || labelTransform != nil {
            var generator = RandomGenerator.derived(seed: seed, stream: 0x100 &+ UInt64(number), epoch: epoch)
            if let transform { batch.features = transform.apply(batch.features, generator: &generator) }
            if let labelTransform { batch.labels = labelTransform.apply(batch.labels, generator: &generator) }
        }
        return batch
    }
}

/// The batches of one epoch of a ``DataLoader``.
public struct DataLoaderEpoch<Source: Dataset>: Sequence, Sendable {
    /// The loader.
    public let loader: DataLoader<Source>
    /// The epoch.
    public let epoch: Int

    /// Starts iterating; with workers, starts the background threads.
    public func makeIterator() -> DataLoaderIterator<Source> {
        DataLoaderIterator(loader: loader, epoch: epoch)
    }
}

/// Counts the epochs a loader has started.
final class EpochCounter: Sendable {
    private let value = Mutex(0)

    func next() -> Int {
        value.withLock { current in
            defer { current += 1 }
            return current
        }
    }
}
