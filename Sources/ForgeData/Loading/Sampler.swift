public import ForgeTensor

/// Decides the order in which a loader visits a dataset's examples, one epoch at a time.
///
/// Conformers guarantee that `indices(count:epoch:)` is a pure function of its arguments and the
/// sampler's own settings (its seed): the same epoch gives the same order, on every thread and
/// machine. Randomness comes from `RandomGenerator` seeded by the sampler, never from the system.
public protocol Sampler: Sendable {
    /// The example indices for epoch `epoch` of a dataset of `count` examples.
    func indices(count: Int, epoch: Int) -> [Int]
}

/// Groups example indices into batches, one epoch at a time. A ``DataLoader`` asks one of these for
/// its batches; ``SamplerBatches`` adapts any ``Sampler``.
///
/// Conformers guarantee the result is a pure function of the arguments and their settings.
public protocol BatchSampler: Sendable {
    /// The batches of epoch `epoch` for a dataset of `count` examples.
    func batches(count: Int, epoch: Int) -> [[Int]]
}

extension RandomGenerator {
    /// A generator for one (seed, stream, epoch) triple: the three are mixed (SplitMix64) into a seed,
    /// so streams of neighbouring epochs or batches share no blocks.
    public static func derived(seed: UInt64, stream: UInt64, epoch: Int) -> RandomGenerator {
        var state = seed
        state = splitMix(state ^ splitMix(stream &+ 0x9E37_79B9_7F4A_7C15))
        state = splitMix(state ^ splitMix(UInt64(bitPattern: Int64(epoch)) &+ 0xD1B5_4A32_D192_ED03))
        return RandomGenerator(seed: state)
    }

    private static func splitMix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Shuffles `values` in place (Fisher–Yates) with this generator.
    public mutating func shuffle<T>(_ values: inout [T]) {
        guard values.count > 1 else { return }
        for i in stride(from: values.count - 1, to: 0, by: -1) {
            let j = Int(next(below: UInt64(i + 1)))
            values.swapAt(i, j)
        }
    }
}

/// Visits `0..<count` in order, every epoch.
public struct SequentialSampler: Sampler {
    /// Creates the sampler.
    public init() {}

    /// `Array(0..<count)`.
    public func indices(count: Int, epoch: Int) -> [Int] { Array(0..<count) }
}

/// A random permutation of `0..<count`, a different one every epoch, fixed by the seed.
///
/// ```swift
/// let sampler = RandomSampler(seed: 7)
/// sampler.indices(count: 5, epoch: 0)   // same 5-permutation on every run
/// ```
public struct RandomSampler: Sampler {
    /// The seed; epoch `e` uses a generator derived from (seed, e).
    public let seed: UInt64

    /// Creates the sampler.
    public init(seed: UInt64) { self.seed = seed }

    /// The permutation of epoch `epoch`.
    public func indices(count: Int, epoch: Int) -> [Int] {
        var generator = RandomGenerator.derived(seed: seed, stream: 1, epoch: epoch)
        var order = Array(0..<count)
        generator.shuffle(&order)
        return order
    }
}

/// Draws `sampleCount` indices with replacement, index `i` with probability `weights[i] / Σ weights`
/// (PyTorch's `WeightedRandomSampler`); used to rebalance rare classes.
public struct WeightedRandomSampler: Sampler {
    /// The non-negative weight of each example.
    public let weights: [Double]
    /// How many indices an epoch has.
    public let sampleCount: Int
    /// The seed.
    public let seed: UInt64
    private let cumulative: [Double]

    /// Creates the sampler.
    ///
    /// - Precondition: weights are finite, non-negative, and not all zero.
    public init(weights: [Double], sampleCount: Int, seed: UInt64) {
        precondition(
            weights.allSatisfy { $0.isFinite && $0 >= 0 } && weights.contains { $0 > 0 },
            "WeightedRandomSampler: weights must be finite, non-negative and not all zero")
        precondition(sampleCount >= 0, "WeightedRandomSampler: sampleCount \(sampleCount) is negative")
        self.weights = weights
        self.sampleCount = sampleCount
        self.seed = seed
        var running = 0.0
        cumulative = weights.map {
            running += $0; return running
        }
    }

    /// `sampleCount` draws for epoch `epoch` (`count` must equal `weights.count`).
    public func indices(count: Int, epoch: Int) -> [Int] {
        precondition(count == weights.count, "WeightedRandomSampler: \(weights.count) weights for \(count) examples")
        var generator = RandomGenerator.derived(seed: seed, stream: 2, epoch: epoch)
        let total = cumulative[cumulative.count - 1]
        return (0..<sampleCount).map { _ in
            let target = generator.nextUnit() * total
            var low = 0
            var high = cumulative.count - 1
            while low < high {  // first index whose cumulative weight exceeds target
                let middle = (low + high) / 2
                if cumulative[middle] > target { high = middle } else { low = middle + 1 }
            }
            return low
        }
    }
}

/// Cuts a sampler's order into consecutive batches of `batchSize`.
public struct SamplerBatches: BatchSampler {
    /// The sampler that orders the examples.
    public let sampler: any Sampler
    /// The examples per batch.
    public let batchSize: Int
    /// Whether a final batch smaller than `batchSize` is dropped.
    public let dropLast: Bool

    /// Creates the batch sampler.
    public init(sampler: any Sampler, batchSize: Int, dropLast: Bool = false) {
        precondition(batchSize >= 1, "SamplerBatches: batchSize \(batchSize); use at least 1")
        self.sampler = sampler
        self.batchSize = batchSize
        self.dropLast = dropLast
    }

    /// The sampler's order in chunks of `batchSize`.
    public func batches(count: Int, epoch: Int) -> [[Int]] {
        let order = sampler.indices(count: count, epoch: epoch)
        var result: [[Int]] = []
        result.reserveCapacity(order.count / batchSize + 1)
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
