import ForgeTensor
import Foundation

/// Where each sampler draws its random numbers: a Philox stream derived from the sampler's seed, the
/// trial number and what is being drawn, so a seed gives the same suggestions whatever order concurrent
/// trials ask in and however many processes share the study.
enum SamplerRandomness {
    /// SplitMix64's finalizer: a bijective mix of 64 bits.
    @inline(__always)
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// FNV-1a over the UTF-8 bytes of `text`: stable across processes, unlike `Hasher`.
    static func stableHash(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash
    }

    /// The generator for one trial of a seeded sampler; `stream` separates independent uses within the
    /// trial (a parameter name's hash, or a constant per purpose).
    static func generator(seed: UInt64, trial: Int, stream: UInt64 = 0) -> RandomGenerator {
        RandomGenerator(seed: mix(seed ^ mix(stream)), counter: UInt64(truncatingIfNeeded: trial) << 32)
    }

    /// A seed for a sampler created without one: different in every process and call.
    static func freshSeed() -> UInt64 {
        var system = SystemRandomNumberGenerator()
        return system.next()
    }
}

extension RandomGenerator {
    /// A uniformly distributed `Double` in the open interval (0, 1).
    @inline(__always)
    mutating func nextOpenUnit() -> Double {
        (Double(next() >> 11) + 0.5) * 0x1p-53
    }

    /// A standard normal variate (Box–Muller; one of the pair is discarded to keep draws stateless).
    @inline(__always)
    mutating func nextStandardNormal() -> Double {
        let radius = (-2 * log(nextOpenUnit())).squareRoot()
        return radius * cos(2 * Double.pi * nextUnit())
    }

    /// An index drawn with probability proportional to `cumulativeWeights[i] − cumulativeWeights[i − 1]`
    /// (the last entry is the total).
    @inline(__always)
    mutating func nextIndex(cumulativeWeights: UnsafeBufferPointer<Double>) -> Int {
        let target = nextUnit() * cumulativeWeights[cumulativeWeights.count - 1]
        var lower = 0
        var upper = cumulativeWeights.count - 1
        while lower < upper {  // first index whose cumulative weight exceeds the target
            let middle = (lower + upper) / 2
            if cumulativeWeights[middle] > target { upper = middle } else { lower = middle + 1 }
        }
        return lower
    }
}
