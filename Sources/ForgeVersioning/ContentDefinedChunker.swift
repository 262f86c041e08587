/// Content-defined chunking (FastCDC with a gear rolling hash and normalized chunk sizes).
///
/// Chunk boundaries depend only on the bytes near them, so editing one region of a large file changes
/// only the chunks that cover it; every other chunk keeps its id and is not stored again.
///
/// ```swift
/// let chunker = ContentDefinedChunker()
/// let lengths = bytes.withUnsafeBytes { chunker.chunkLengths(of: $0) }
/// ```
public struct ContentDefinedChunker: Sendable, Equatable {
    /// No chunk is shorter than this (except the last one of the input).
    public let minimumSize: Int
    /// The size chunks tend to; must be a power of two.
    public let averageSize: Int
    /// No chunk is longer than this.
    public let maximumSize: Int
    private let strictMask: UInt64
    private let looseMask: UInt64

    /// A chunker with the given sizes (defaults: 64 KiB minimum, 256 KiB average, 1 MiB maximum).
    ///
    /// - Precondition: `0 < minimumSize < averageSize < maximumSize`, `averageSize` a power of two.
    public init(minimumSize: Int = 64 << 10, averageSize: Int = 256 << 10, maximumSize: Int = 1 << 20) {
        precondition(
            minimumSize > 0 && minimumSize < averageSize && averageSize < maximumSize
                && averageSize & (averageSize - 1) == 0,
            "ContentDefinedChunker: need 0 < minimum \(minimumSize) < average \(averageSize) < maximum "
                + "\(maximumSize) with a power-of-two average")
        self.minimumSize = minimumSize
        self.averageSize = averageSize
        self.maximumSize = maximumSize
        let bits = averageSize.trailingZeroBitCount
        // Normalized chunking (FastCDC level 2): a harder mask before the average size, an easier one after.
        strictMask = Self.highMask(bits: bits + 2)
        looseMask = Self.highMask(bits: bits - 2)
    }

    private static func highMask(bits: Int) -> UInt64 {
        bits >= 64 ? ~0 : ((UInt64(1) << UInt64(bits)) - 1) << UInt64(64 - bits)
    }

    /// The length of the first chunk of `bytes` (all of it when shorter than the minimum size).
    public func firstChunkLength(of bytes: UnsafeRawBufferPointer) -> Int {
        let count = bytes.count
        if count <= minimumSize { return count }
        let limit = Swift.min(count, maximumSize)
        let normal = Swift.min(limit, averageSize)
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return count }
        var hash: UInt64 = 0
        var index = minimumSize
        // Hot loop: one shift, one table load and one add per byte; no allocation.
        GearTable.values.withUnsafeBufferPointer { gear in
            while index < normal {
                hash = (hash << 1) &+ gear[Int(base[index])]
                if hash & strictMask == 0 { return }
                index += 1
            }
            while index < limit {
                hash = (hash << 1) &+ gear[Int(base[index])]
                if hash & looseMask == 0 { return }
                index += 1
            }
        }
        return Swift.min(index + 1, limit)
    }

    /// The lengths of consecutive chunks covering all of `bytes`.
    public func chunkLengths(of bytes: UnsafeRawBufferPointer) -> [Int] {
        var lengths: [Int] = []
        var offset = 0
        while offset < bytes.count {
            let length = firstChunkLength(of: UnsafeRawBufferPointer(rebasing: bytes[offset...]))
            lengths.append(length)
            offset += length
        }
        return lengths
    }
}

/// 256 fixed pseudo-random 64-bit values (SplitMix64 from a constant seed) for the gear hash.
enum GearTable {
    static let values: [UInt64] = {
        var state: UInt64 = 0x466f_7267_6543_4443  // "ForgeCDC"
        return (0..<256).map { _ in
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }()
}
