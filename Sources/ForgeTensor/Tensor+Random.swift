extension Tensor {
    /// Fills a new tensor where element `i` is `value(bits)` of 64 random bits from block `start + i/2`
    /// (two elements per block), in parallel. The stream does not depend on the thread count.
    @inline(__always)
    static func randomTensor<T: TensorElement>(
        shape: [Int], _: T.Type, generator: inout RandomGenerator,
        _ value: (_ first: UInt32, _ second: UInt32) -> T
    ) -> Tensor {
        let result = Tensor(uninitializedShape: shape, dtype: T.dtype)
        let count = result.count
        let start = generator.reserve(blocks: (count + 1) / 2)
        let seed = generator.seed
        let output = result.basePointer(as: T.self)
        withExtendedLifetime(result) {
            parallelChunks(count: (count + 1) / 2, grain: 8_192) { blocks in
                for block in blocks {
                    let words = RandomGenerator.block(start &+ UInt64(block), seed: seed)
                    output[2 * block] = value(words[0], words[1])
                    if 2 * block + 1 < count { output[2 * block + 1] = value(words[2], words[3]) }
                }
            }
        }
        return result
    }

    /// Uniformly distributed values in `[low, high)`, `float32` or `float64`.
    public static func uniform(
        shape: [Int], low: Double = 0, high: Double = 1, dtype: DType = .float32,
        generator: inout RandomGenerator
    ) -> Tensor {
        precondition(low <= high, "uniform: low \(low) is greater than high \(high)")
        let width = high - low
        switch dtype {
        case .float32:
            let (l, w) = (Float(low), Float(width))
            return randomTensor(shape: shape, Float.self, generator: &generator) { first, _ in
                l + w * Float(first >> 8) * 0x1p-24
            }
        case .float64:
            return randomTensor(shape: shape, Double.self, generator: &generator) { first, second in
                low + width * Double((UInt64(first) << 21) ^ UInt64(second >> 11)) * 0x1p-53
            }
        default:
            preconditionFailure("uniform: dtype must be float32 or float64, got \(dtype)")
        }
    }

    /// Normally distributed values (Box–Muller), `float32` or `float64`.
    public static func normal(
        shape: [Int], mean: Double = 0, standardDeviation: Double = 1, dtype: DType = .float32,
        generator: inout RandomGenerator
    ) -> Tensor {
        precondition(standardDeviation >= 0, "normal: standard deviation \(standardDeviation) is negative")
        @inline(__always) func gaussian(_ first: UInt32, _ second: UInt32) -> Double {
            // u1 in (0, 1] so the logarithm is finite; u2 in [0, 1).
            let u1 = (Double(first) + 1) * 0x1p-32
            let u2 = Double(second) * 0x1p-32
            return (-2 * Double.log(u1)).squareRoot() * Double.cos(2 * Double.pi * u2)
        }
        switch dtype {
        case .float32:
            return randomTensor(shape: shape, Float.self, generator: &generator) {
                Float(mean + standardDeviation * gaussian($0, $1))
            }
        case .float64:
            return randomTensor(shape: shape, Double.self, generator: &generator) {
                mean + standardDeviation * gaussian($0, $1)
            }
        default:
            preconditionFailure("normal: dtype must be float32 or float64, got \(dtype)")
        }
    }

    /// `true` with probability `probability` for each element, independently.
    public static func bernoulli(shape: [Int], probability: Double, generator: inout RandomGenerator) -> Tensor {
        precondition(
            (0...1).contains(probability), "bernoulli: probability \(probability) is outside [0, 1]")
        let threshold = probability * 0x1p32
        return randomTensor(shape: shape, Bool.self, generator: &generator) { first, _ in Double(first) < threshold }
    }

    /// Uniformly distributed integers in `low..<high`, `int64` by default.
    public static func randomIntegers(
        shape: [Int], low: Int64, high: Int64, dtype: DType = .int64, generator: inout RandomGenerator
    ) -> Tensor {
        precondition(low < high, "randomIntegers: empty range \(low)..<\(high)")
        let span = UInt64(bitPattern: high &- low)
        let values = randomTensor(shape: shape, Int64.self, generator: &generator) { first, second in
            // 64 random bits scaled to the span (multiply-shift; bias below 2^-32 for spans under 2^32).
            let bits = UInt64(first) << 32 | UInt64(second)
            return low &+ Int64(bitPattern: bits.multipliedFullWidth(by: span).high)
        }
        return values.converted(to: dtype)
    }

    /// A uniformly random permutation of `0..<count` (`int64`), by Fisher–Yates.
    public static func randomPermutation(count: Int, generator: inout RandomGenerator) -> Tensor {
        precondition(count >= 0, "randomPermutation: count \(count) is negative")
        var values = (0..<Int64(count)).map { $0 }
        if count > 1 {
            for index in stride(from: count - 1, to: 0, by: -1) {
                let other = Int(generator.next(below: UInt64(index + 1)))
                values.swapAt(index, other)
            }
        }
        return Tensor(values)
    }
}
