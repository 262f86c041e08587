// LeastSquaresFit: recovers the plane y = 3·x₁ − 2·x₂ + 0.5 from 200 noisy samples with ForgeTensor's
// LAPACK-backed least squares (`LinearAlgebra.leastSquares`, the `numpy.linalg.lstsq` of Forge).
//
//     swift run LeastSquaresFit
//
// The data come from a seeded generator, so every run prints the same numbers. The program exits with
// status 1 when a coefficient is off by more than 0.05 or the residual RMS is far from the noise level.

import ForgeTensor
import Foundation

/// SplitMix64 (Steele, Lea & Flood, 2014): a tiny, fast, deterministic 64-bit generator.
struct SplitMix64 {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform double in [0, 1) from the top 53 bits.
    mutating func uniform() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// A standard normal sample (Box–Muller; 1 − u keeps the logarithm finite).
    mutating func normal() -> Double { (-2 * log(1 - uniform())).squareRoot() * cos(2 * .pi * uniform()) }
}

let truth = [3.0, -2.0, 0.5]  // coefficients of x₁, x₂ and the intercept
let sampleCount = 200
let noiseLevel = 0.1
var random = SplitMix64(state: 42)

// Design matrix rows [x₁, x₂, 1] with x uniform in [-2, 2); targets with Gaussian noise.
var design: [Double] = []
var targets: [Double] = []
for _ in 0..<sampleCount {
    let x1 = 4 * random.uniform() - 2
    let x2 = 4 * random.uniform() - 2
    design += [x1, x2, 1]
    targets.append(truth[0] * x1 + truth[1] * x2 + truth[2] + noiseLevel * random.normal())
}

let fit = try LinearAlgebra.leastSquares(Tensor(design, shape: [sampleCount, 3]), Tensor(targets))
let coefficients = fit.scalars(as: Double.self)

var squaredResiduals = 0.0
for sample in 0..<sampleCount {
    let row = design[(sample * 3)..<(sample * 3 + 3)]
    let prediction = zip(row, coefficients).reduce(0) { $0 + $1.0 * $1.1 }
    squaredResiduals += (targets[sample] - prediction) * (targets[sample] - prediction)
}
let residualRMS = (squaredResiduals / Double(sampleCount)).squareRoot()

for (name, (estimate, expected)) in zip(["x₁", "x₂", "intercept"], zip(coefficients, truth)) {
    print("\(name): \(String(format: "%+.4f", estimate))  (true \(String(format: "%+.1f", expected)))")
}
print("residual RMS: \(String(format: "%.4f", residualRMS))  (noise level \(noiseLevel))")

let coefficientsOK = zip(coefficients, truth).allSatisfy { abs($0 - $1) < 0.05 }
let residualOK = abs(residualRMS - noiseLevel) < 0.03
if !(coefficientsOK && residualOK) {
    print("FAILED: the fit does not recover the plane")
    exit(1)
}
