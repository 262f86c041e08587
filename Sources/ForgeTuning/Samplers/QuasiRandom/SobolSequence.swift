import ForgeTensor

/// A Sobol low-discrepancy sequence in [0, 1)^d with Joe–Kuo direction numbers, optionally scrambled
/// by a random linear matrix scramble plus a digital shift (Matoušek 1998; what SciPy's
/// `qmc.Sobol(scramble=True)` does), which keeps the low discrepancy and makes the points an unbiased,
/// seedable randomization.
///
/// Point `i` is computed directly from its Gray code, so any index can be drawn without the ones
/// before it — a study's trial number picks its point whatever order concurrent trials start in.
struct SobolSequence: Sendable {
    /// Bits per coordinate: up to 2³⁰ points.
    static let bits = 30
    /// The dimension.
    let dimension: Int
    /// Direction integers, `bits` per dimension: `directions[d * bits + k]`.
    private let directions: [UInt32]
    /// The digital shift per dimension (0 when not scrambled).
    private let shifts: [UInt32]

    /// The sequence in `dimension` dimensions (1 … ``SobolDirectionNumbers/dimensionLimit``); with a
    /// `scrambleSeed`, scrambled.
    init(dimension: Int, scrambleSeed: UInt64? = nil) {
        precondition(
            dimension >= 1 && dimension <= SobolDirectionNumbers.dimensionLimit,
            "SobolSequence: dimension \(dimension) is outside 1...\(SobolDirectionNumbers.dimensionLimit)")
        self.dimension = dimension
        let bits = Self.bits
        var directions = [UInt32](repeating: 0, count: dimension * bits)
        var cursor = 0
        for d in 0..<dimension {
            var m = [UInt32](repeating: 1, count: bits)
            if d > 0 {
                let polynomial = SobolDirectionNumbers.packed[cursor]
                let degree = 31 - polynomial.leadingZeroBitCount
                for k in 0..<degree { m[k] = SobolDirectionNumbers.packed[cursor + 1 + k] }
                cursor += 1 + degree
                // m_j = 2 a₁ m_{j−1} ⊕ 2² a₂ m_{j−2} ⊕ … ⊕ 2^s m_{j−s} ⊕ m_{j−s} (Bratley–Fox).
                for j in degree..<bits {
                    var value = m[j - degree] ^ (m[j - degree] << UInt32(degree))
                    for k in 1..<degree where (polynomial >> UInt32(degree - k)) & 1 == 1 {
                        value ^= m[j - k] << UInt32(k)
                    }
                    m[j] = value
                }
            }
            for k in 0..<bits { directions[d * bits + k] = m[k] << UInt32(bits - 1 - k) }
        }
        var shifts = [UInt32](repeating: 0, count: dimension)
        if let scrambleSeed {
            var generator = RandomGenerator(seed: scrambleSeed)
            for d in 0..<dimension {
                // A random lower-triangular binary matrix with unit diagonal, applied to every direction
                // integer (bit rows from the most significant), then a random XOR shift.
                var rows = [UInt32](repeating: 0, count: bits)
                for row in 0..<bits {
                    let random = UInt32(truncatingIfNeeded: generator.next()) & ((1 << UInt32(bits)) - 1)
                    let diagonal = UInt32(1) << UInt32(bits - 1 - row)
                    let above = row == 0 ? 0 : ~((diagonal << 1) - 1) & ((1 << UInt32(bits)) - 1)
                    rows[row] = (random & above) | diagonal  // bits more significant than the diagonal
                }
                for k in 0..<bits {
                    let original = directions[d * bits + k]
                    var scrambled: UInt32 = 0
                    for row in 0..<bits where (rows[row] & original).nonzeroBitCount & 1 == 1 {
                        scrambled |= UInt32(1) << UInt32(bits - 1 - row)
                    }
                    directions[d * bits + k] = scrambled
                }
                shifts[d] = UInt32(truncatingIfNeeded: generator.next()) & ((1 << UInt32(bits)) - 1)
            }
        }
        self.directions = directions
        self.shifts = shifts
    }

    /// Point `index` of the sequence (index 0 is the origin when unscrambled).
    func point(_ index: Int) -> [Double] {
        var result = [Double](repeating: 0, count: dimension)
        point(index, into: &result)
        return result
    }

    /// Writes point `index` into `result` (`dimension` values).
    func point(_ index: Int, into result: inout [Double]) {
        precondition(index >= 0 && index < 1 << Self.bits, "SobolSequence: index \(index) is outside 0..<2^30")
        let gray = UInt32(truncatingIfNeeded: index ^ (index >> 1))
        let bits = Self.bits
        let scale = 1.0 / Double(1 << bits)
        for d in 0..<dimension {
            var value = shifts[d]
            var code = gray
            var k = 0
            while code != 0 {
                if code & 1 == 1 { value ^= directions[d * bits + k] }
                code >>= 1
                k += 1
            }
            result[d] = Double(value) * scale
        }
    }
}
