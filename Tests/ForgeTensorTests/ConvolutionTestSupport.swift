import Testing

@testable import ForgeTensor

/// Helpers shared by the convolution and pooling tests, namespaced so they cannot clash with other suites.
enum ConvTesting {
    /// A tiny seeded generator (SplitMix64) so convolution tests do not depend on the library RNG.
    struct Random {
        private var state: UInt64

        init(seed: UInt64) { state = seed }

        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }

        /// A uniform value in [-1, 1).
        mutating func nextSigned() -> Double {
            Double(next() >> 11) / Double(1 << 53) * 2 - 1
        }

        /// `count` uniform values in [-1, 1).
        mutating func values(_ count: Int) -> [Double] {
            (0..<count).map { _ in nextSigned() }
        }

        /// A float64 tensor of `shape` with uniform values in [-1, 1).
        mutating func tensor(_ shape: [Int]) -> Tensor {
            Tensor(values(shape.reduce(1, *)), shape: shape)
        }
    }

    /// Row-major index into an array of shape `[a, b, c, d]`.
    @inline(__always)
    static func flatIndex(_ shape: [Int], _ i: Int, _ j: Int, _ k: Int, _ l: Int) -> Int {
        ((i * shape[1] + j) * shape[2] + k) * shape[3] + l
    }

    /// The largest absolute element difference, with a check that the shapes agree.
    static func maximumDifference(_ actual: Tensor, _ expected: [Double], shape: [Int]) -> Double {
        #expect(actual.shape == shape)
        let values = actual.doubleScalars
        guard values.count == expected.count else { return .infinity }
        return zip(values, expected).map { abs($0 - $1) }.max() ?? 0
    }

    /// The central-difference gradient of `loss` with respect to every element of `point`.
    static func finiteDifferenceGradient(of point: [Double], epsilon: Double = 1e-6, _ loss: ([Double]) -> Double)
        -> [Double]
    {
        var probe = point
        return point.indices.map { index in
            probe[index] = point[index] + epsilon
            let above = loss(probe)
            probe[index] = point[index] - epsilon
            let below = loss(probe)
            probe[index] = point[index]
            return (above - below) / (2 * epsilon)
        }
    }

    /// `Σ output · weights` for a float64 tensor and a fixed array of weights of the same size.
    static func weightedSum(_ output: Tensor, _ weights: [Double]) -> Double {
        zip(output.doubleScalars, weights).reduce(0) { $0 + $1.0 * $1.1 }
    }

    /// Checks analytic and numeric gradients agree within `tolerance · max(1, |numeric|)` everywhere.
    static func expectGradientsMatch(
        _ analytic: Tensor, _ numeric: [Double], tolerance: Double = 1e-6, _ comment: Comment,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let values = analytic.doubleScalars
        #expect(values.count == numeric.count, comment, sourceLocation: sourceLocation)
        var worst = 0.0
        for (a, n) in zip(values, numeric) { worst = max(worst, abs(a - n) / max(1, abs(n))) }
        #expect(
            worst <= tolerance, "\(comment): worst relative gradient error \(worst)", sourceLocation: sourceLocation)
    }
}
