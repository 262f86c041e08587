/// A seeded, counter-based random number generator (Philox4x32-10, Salmon et al., SC 2011).
///
/// Each 128-bit output block is a pure function of the seed and a block counter, so element `i` of a
/// random tensor is the same whichever thread computes it and however many threads there are: one
/// seed gives one stream, bit for bit, on every machine. Drawing a tensor advances ``counter`` past
/// the blocks it used.
///
/// ```swift
/// var generator = RandomGenerator(seed: 42)
/// let weights = Tensor.normal(shape: [128, 64], standardDeviation: 0.1, generator: &generator)
/// ```
public struct RandomGenerator: Sendable, Hashable, Codable {
    /// The seed (the Philox key).
    public let seed: UInt64
    /// The index of the next unused 128-bit block.
    public var counter: UInt64

    /// Creates a generator at the start of the stream of `seed`.
    public init(seed: UInt64, counter: UInt64 = 0) {
        self.seed = seed
        self.counter = counter
    }

    /// Reserves `blocks` consecutive blocks and returns the first one's counter.
    mutating func reserve(blocks: Int) -> UInt64 {
        let start = counter
        counter &+= UInt64(blocks)
        return start
    }

    /// The four 32-bit words of block `block` of this seed's stream.
    @inline(__always)
    static func block(_ block: UInt64, seed: UInt64) -> SIMD4<UInt32> {
        var c0 = UInt32(truncatingIfNeeded: block)
        var c1 = UInt32(truncatingIfNeeded: block >> 32)
        var c2: UInt32 = 0
        var c3: UInt32 = 0
        var k0 = UInt32(truncatingIfNeeded: seed)
        var k1 = UInt32(truncatingIfNeeded: seed >> 32)
        for round in 0..<10 {
            if round > 0 {
                k0 &+= 0x9E37_79B9
                k1 &+= 0xBB67_AE85
            }
            let product0 = UInt64(0xD251_1F53) &* UInt64(c0)
            let product1 = UInt64(0xCD9E_8D57) &* UInt64(c2)
            let hi0 = UInt32(truncatingIfNeeded: product0 >> 32)
            let lo0 = UInt32(truncatingIfNeeded: product0)
            let hi1 = UInt32(truncatingIfNeeded: product1 >> 32)
            let lo1 = UInt32(truncatingIfNeeded: product1)
            (c0, c1, c2, c3) = (hi1 ^ c1 ^ k0, lo1, hi0 ^ c3 ^ k1, lo0)
        }
        return SIMD4(c0, c1, c2, c3)
    }

    /// The next 64 random bits (one block, sequential use such as shuffling).
    public mutating func next() -> UInt64 {
        let words = Self.block(reserve(blocks: 1), seed: seed)
        return UInt64(words[0]) | UInt64(words[1]) << 32
    }

    /// A uniformly distributed integer in `0..<bound` (`bound` > 0).
    public mutating func next(below bound: UInt64) -> UInt64 {
        precondition(bound > 0, "RandomGenerator.next(below:): bound must be positive")
        // Lemire's multiply-shift with rejection: unbiased.
        var value = next().multipliedFullWidth(by: bound)
        if value.low < bound {
            let threshold = (0 &- bound) % bound
            while value.low < threshold { value = next().multipliedFullWidth(by: bound) }
        }
        return value.high
    }

    /// A uniformly distributed `Double` in `[0, 1)` with 53 random bits.
    public mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1p-53
    }
}

extension RandomGenerator: RandomNumberGenerator {}
