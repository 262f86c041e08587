import ForgeData

/// A `DataLoader` with its dataset type erased, so one ``Trainer`` type serves every dataset.
struct BatchSource {
    /// The number of examples in the dataset.
    let sampleCount: Int
    /// The loader's seed (it fixes the shuffle of every epoch).
    let seed: UInt64
    /// The number of batches of an epoch.
    let batchCount: (Int) -> Int
    /// The batches of an epoch, in order.
    let batches: (Int) -> AnyIterator<Batch>

    init<Source: Dataset>(_ loader: DataLoader<Source>) {
        sampleCount = loader.dataset.count
        seed = loader.seed
        batchCount = { loader.batchCount(epoch: $0) }
        batches = { epoch in AnyIterator(loader.batches(epoch: epoch).makeIterator()) }
    }
}
