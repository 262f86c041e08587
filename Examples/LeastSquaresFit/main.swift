// LeastSquaresFit: recovers the plane y = 3·x₁ − 2·x₂ + 0.5 from 200 noisy samples with ForgeTensor's
// LAPACK-backed least squares (`LinearAlgebra.leastSquares`, the `numpy.linalg.lstsq` of Forge).
//
//     swift run LeastSquaresFit
//
// The data come from Forge's seeded generator, so every run prints the same numbers. The program exits
// with status 1 when a coefficient is off by more than 0.05 or the residual RMS is far from the noise level.

import ForgeTensor
import Foundation

let truth = Tensor([3, -2, 0.5] as [Double], shape: [3, 1])  // coefficients of x₁, x₂ and the intercept
let sampleCount = 200
let noiseLevel = 0.1
var generator = RandomGenerator(seed: 42)

// Design matrix rows [x₁, x₂, 1] with x uniform in [-2, 2); targets with Gaussian noise.
let inputs = Tensor.uniform(shape: [sampleCount, 2], low: -2, high: 2, dtype: .float64, generator: &generator)
let design = Tensor.concatenated([inputs, Tensor.ones(shape: [sampleCount, 1], dtype: .float64)], axis: 1)
let noise = Tensor.normal(shape: [sampleCount, 1], standardDeviation: noiseLevel, dtype: .float64, generator: &generator)
let targets = design.matmul(truth) + noise

let fit = try LinearAlgebra.leastSquares(design, targets)
let residualRMS = (design.matmul(fit) - targets).squared().mean().sqrt().item(as: Double.self)

for (index, name) in ["x₁", "x₂", "intercept"].enumerated() {
    let estimate = fit.element(at: [index, 0], as: Double.self)
    let expected = truth.element(at: [index, 0], as: Double.self)
    print("\(name): \(String(format: "%+.4f", estimate))  (true \(String(format: "%+.1f", expected)))")
}
print("residual RMS: \(String(format: "%.4f", residualRMS))  (noise level \(noiseLevel))")

let coefficientsOK = (fit - truth).abs().max().item(as: Double.self) < 0.05
let residualOK = abs(residualRMS - noiseLevel) < 0.03
if !(coefficientsOK && residualOK) {
    print("FAILED: the fit does not recover the plane")
    exit(1)
}
print("ok: the fit recovers the plane")
