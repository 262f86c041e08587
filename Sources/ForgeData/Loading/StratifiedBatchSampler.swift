import ForgeTensor

/// Batches in which every class appears in (nearly) its overall proportion.
///
/// Each class's examples are shuffled, then spread evenly over the epoch: the `k`-th of `n` examples
/// of a class gets the position key `(k + u) / n` with `u` uniform in `[0, 1)`, and the epoch is the
/// examples sorted by key, cut into batches. A class with fraction `p` then has `p × batchSize`
/// examples in every batch, give or take one.
public struct StratifiedBatchSampler: BatchSampler {
    /// The class label of every example of the dataset.
    public let labels: [Int]
    /// The examples per batch.
    public let batchSize: Int
    /// Whether a final short batch is dropped.
    public let dropLast: Bool
    /// The seed.
    public let seed: UInt64

    /// Creates the sampler.
    public init(labels: [Int], batchSize: Int, dropLast: Bool = false, seed: UInt64) {
        precondition(batchSize >= 1, "StratifiedBatchSampler: batchSize \(batchSize); use at least 1")
        self.labels = labels
        self.batchSize = batchSize
        self.dropLast = dropLast
        self.seed = seed
    }

    /// The stratified batches of epoch `epoch`.
    public func batches(count: Int, epoch: Int) -> [[Int]] {
        precondition(count == labels.count, "StratifiedBatchSampler: \(labels.count) labels for \(count) examples")
        var generator = RandomGenerator.derived(seed: seed, stream: 3, epoch: epoch)
        var byClass: [Int: [Int]] = [:]
        for (index, label) in labels.enumerated() { byClass[label, default: []].append(index) }
        var keyed: [(key: Double, index: Int)] = []
        keyed.reserveCapacity(count)
        for label in byClass.keys.sorted() {
            var members = byClass[label] ?? []
            generator.shuffle(&members)
            let offset = generator.nextUnit()
            for (rank, index) in members.enumerated() {
                keyed.append(((Double(rank) + offset) / Double(members.count), index))
            }
        }
        keyed.sort { $0.key < $1.key || ($0.key == $1.key && $0.index < $1.index) }
        let order = keyed.map(\.index)
        var result: [[Int]] = []
        var start = 0
        while start < order.count {
            let end = Swift.min(start + batchSize, order.count)
            if end - start < batchSize && dropLast { break }
            result.append(Array(order[start..<end]))
            start = end
        }
        return result
    }
}
