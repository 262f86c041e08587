@testable import ForgeTensor

/// A small deterministic generator for test data (SplitMix64), independent of the library's RNG.
struct TestRandom {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A value in [-1, 1).
    mutating func unit() -> Double { Double(next() >> 11) * 0x1p-52 - 1 }

    mutating func floats(_ count: Int) -> [Float] { (0..<count).map { _ in Float(unit()) } }

    mutating func doubles(_ count: Int) -> [Double] { (0..<count).map { _ in unit() } }
}

/// Row-major multi-indices of `shape`, in order.
func allIndices(_ shape: [Int]) -> [[Int]] {
    let count = shape.reduce(1, *)
    if count == 0 { return [] }
    var result: [[Int]] = []
    result.reserveCapacity(count)
    var index = [Int](repeating: 0, count: shape.count)
    for _ in 0..<count {
        result.append(index)
        var axis = shape.count - 1
        while axis >= 0 {
            index[axis] += 1
            if index[axis] < shape[axis] { break }
            index[axis] = 0
            axis -= 1
        }
    }
    return result
}

/// The naive definition of matrix multiplication, for checking BLAS-backed results.
func naiveMatmul(_ a: [Double], _ b: [Double], m: Int, k: Int, n: Int) -> [Double] {
    var c = [Double](repeating: 0, count: m * n)
    for i in 0..<m {
        for j in 0..<n {
            var total = 0.0
            for p in 0..<k { total += a[i * k + p] * b[p * n + j] }
            c[i * n + j] = total
        }
    }
    return c
}
