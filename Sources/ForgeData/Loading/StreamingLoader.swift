import ForgeTensor

/// Batches a ``StreamingDataset``, optionally shuffling through a bounded buffer (tf.data's
/// `shuffle(buffer_size)`): the buffer fills with the first `shuffleBuffer` examples, then each
/// output is a seeded random pick from it, replaced by the next example read. Memory stays at one
/// buffer; the order depends only on the seed and the epoch.
public struct StreamingLoader<Source: StreamingDataset>: Sendable {
    /// The data.
    public let dataset: Source
    /// Examples per batch.
    public let batchSize: Int
    /// The shuffle buffer's size; 0 keeps the stream's order.
    public let shuffleBuffer: Int
    /// Whether a final short batch is dropped.
    public let dropLast: Bool
    /// The seed of the shuffle and of the transform.
    public let seed: UInt64
    /// Applied to each batch's features.
    public let transform: (any Transform)?

    /// Creates the loader.
    public init(
        _ dataset: Source, batchSize: Int, shuffleBuffer: Int = 0, dropLast: Bool = false, seed: UInt64 = 0,
        transform: (any Transform)? = nil
    ) {
        precondition(
            batchSize >= 1 && shuffleBuffer >= 0,
            "StreamingLoader: batchSize \(batchSize), shuffleBuffer \(shuffleBuffer)")
        self.dataset = dataset
        self.batchSize = batchSize
        self.shuffleBuffer = shuffleBuffer
        self.dropLast = dropLast
        self.seed = seed
        self.transform = transform
    }

    /// Starts epoch `epoch`.
    ///
    /// - Throws: whatever the dataset throws when its stream starts.
    public func makeIterator(epoch: Int) throws -> StreamingBatchIterator {
        StreamingBatchIterator(
            stream: try dataset.makeStream(), batchSize: batchSize, shuffleBuffer: shuffleBuffer, dropLast: dropLast,
            generator: RandomGenerator.derived(seed: seed, stream: 30, epoch: epoch),
            transformGenerator: RandomGenerator.derived(seed: seed, stream: 31, epoch: epoch), transform: transform)
    }
}

/// The batches of one epoch of a ``StreamingLoader``.
public final class StreamingBatchIterator {
    private let stream: any ExampleStream
    private let batchSize: Int
    private let shuffleBuffer: Int
    private let dropLast: Bool
    private var generator: RandomGenerator
    private var transformGenerator: RandomGenerator
    private let transform: (any Transform)?
    private var buffer: [Example] = []
    private var exhausted = false
    private var produced = 0

    init(
        stream: any ExampleStream, batchSize: Int, shuffleBuffer: Int, dropLast: Bool, generator: RandomGenerator,
        transformGenerator: RandomGenerator, transform: (any Transform)?
    ) {
        self.stream = stream
        self.batchSize = batchSize
        self.shuffleBuffer = shuffleBuffer
        self.dropLast = dropLast
        self.generator = generator
        self.transformGenerator = transformGenerator
        self.transform = transform
    }

    private func nextExample() throws -> Example? {
        if shuffleBuffer == 0 { return try stream.next() }
        while !exhausted && buffer.count < shuffleBuffer {
            if let example = try stream.next() { buffer.append(example) } else { exhausted = true }
        }
        guard !buffer.isEmpty else { return nil }
        let pick = Int(generator.next(below: UInt64(buffer.count)))
        buffer.swapAt(pick, buffer.count - 1)
        return buffer.removeLast()
    }

    /// The next batch, or nil at the end of the stream. `Batch.indices` count examples in stream
    /// output order.
    ///
    /// - Throws: the stream's reading errors.
    public func next() throws -> Batch? {
        var examples: [Example] = []
        while examples.count < batchSize, let example = try nextExample() { examples.append(example) }
        guard !examples.isEmpty, !(dropLast && examples.count < batchSize) else { return nil }
        var batch = Batch.collate(examples, indices: Array(produced..<produced + examples.count))
        produced += examples.count
        if let transform { batch.features = transform.apply(batch.features, generator: &transformGenerator) }
        return batch
    }
}
