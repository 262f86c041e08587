import ForgeTensor
import Foundation

/// The Matérn-5/2 kernel as a function of the scaled squared distance r² = Σ ρⱼ (xⱼ − x′ⱼ)²:
/// k = (1 + √5 r + 5/3 r²) · exp(−√5 r), and its derivative with respect to r² (finite at r = 0).
enum Matern52 {
    /// k(r²).
    @inline(__always)
    static func value(squaredDistance d2: Double) -> Double {
        let root = (5 * d2).squareRoot()
        return exp(-root) * (5.0 / 3.0 * d2 + root + 1)
    }

    /// dk/d(r²) = −5/6 (1 + √5 r) exp(−√5 r).
    @inline(__always)
    static func derivative(squaredDistance d2: Double) -> Double {
        let root = (5 * d2).squareRoot()
        return -5.0 / 6.0 * (root + 1) * exp(-root)
    }
}

/// The kernel hyperparameters of a ``GaussianProcessRegressor``.
struct GaussianProcessHyperparameters: Sendable, Hashable {
    /// ρⱼ = 1 / ℓⱼ² per input dimension (automatic relevance determination).
    var inverseSquaredLengthScales: [Double]
    /// The signal variance s (the kernel's value at distance 0).
    var kernelScale: Double
    /// The observation noise variance.
    var noiseVariance: Double

    /// ρ = 1, s = 1, noise = 1: Optuna's starting point.
    static func defaults(dimension: Int) -> GaussianProcessHyperparameters {
        GaussianProcessHyperparameters(
            inverseSquaredLengthScales: [Double](repeating: 1, count: dimension), kernelScale: 1, noiseVariance: 1)
    }
}

/// A Gaussian-process regressor with an ARD Matérn-5/2 kernel on inputs in the unit cube (categorical
/// inputs use the Hamming distance, as Optuna's GP does), conditioned on observations: Cholesky factor
/// and K⁻¹ through ForgeTensor's LAPACK, posterior mean and variance with gradients.
struct GaussianProcessRegressor {
    /// Observed inputs, row-major `count × dimension`, in [0, 1].
    let inputs: [Double]
    /// Observed outputs (standardized).
    let outputs: [Double]
    /// Whether each input dimension is categorical.
    let categorical: [Bool]
    /// The hyperparameters.
    let hyperparameters: GaussianProcessHyperparameters
    /// The number of observations.
    let count: Int
    /// The input dimension.
    let dimension: Int
    /// K⁻¹ y.
    private(set) var weights: [Double]
    /// (K + noise·I)⁻¹, row-major.
    private(set) var inverseCovariance: [Double]

    /// Conditions the process on `inputs` / `outputs`; throws when the covariance is not positive
    /// definite even with added jitter.
    init(
        inputs: [Double], outputs: [Double], categorical: [Bool], hyperparameters: GaussianProcessHyperparameters
    ) throws {
        self.inputs = inputs
        self.outputs = outputs
        self.categorical = categorical
        self.hyperparameters = hyperparameters
        count = outputs.count
        dimension = categorical.count
        var covariance = Self.covariance(
            inputs: inputs, count: count, dimension: dimension, categorical: categorical,
            hyperparameters: hyperparameters)
        for index in 0..<count { covariance[index * count + index] += hyperparameters.noiseVariance }
        let (inverse, _) = try Self.invertPositiveDefinite(covariance, order: count)
        inverseCovariance = inverse
        weights = [Double](repeating: 0, count: count)
        for row in 0..<count {
            var sum = 0.0
            for column in 0..<count { sum += inverse[row * count + column] * outputs[column] }
            weights[row] = sum
        }
    }

    /// The noise-free kernel matrix of the observations, row-major.
    static func covariance(
        inputs: [Double], count: Int, dimension: Int, categorical: [Bool],
        hyperparameters: GaussianProcessHyperparameters
    ) -> [Double] {
        var matrix = [Double](repeating: 0, count: count * count)
        let scale = hyperparameters.kernelScale
        let rho = hyperparameters.inverseSquaredLengthScales
        for row in 0..<count {
            matrix[row * count + row] = scale
            for column in 0..<row {
                var d2 = 0.0
                for j in 0..<dimension {
                    let difference = inputs[row * dimension + j] - inputs[column * dimension + j]
                    d2 += rho[j] * (categorical[j] ? (difference != 0 ? 1 : 0) : difference * difference)
                }
                let value = scale * Matern52.value(squaredDistance: d2)
                matrix[row * count + column] = value
                matrix[column * count + row] = value
            }
        }
        return matrix
    }

    /// The inverse and the log-determinant of a symmetric positive-definite matrix, through LAPACK's
    /// Cholesky factorization (`potrf`/`potrs` via ``LinearAlgebra``), adding jitter when it fails.
    static func invertPositiveDefinite(_ matrix: [Double], order: Int) throws -> (inverse: [Double], logDeterminant: Double) {
        var jitter = 0.0
        var attempt = 0
        while true {
            var jittered = matrix
            if jitter > 0 { for index in 0..<order { jittered[index * order + index] += jitter } }
            let tensor = Tensor(jittered, shape: [order, order])
            do {
                let factor = try LinearAlgebra.cholesky(tensor)
                var identity = [Double](repeating: 0, count: order * order)
                for index in 0..<order { identity[index * order + index] = 1 }
                let inverse = try LinearAlgebra.choleskySolve(factor: factor, Tensor(identity, shape: [order, order]))
                let lower = factor.scalars(as: Double.self)
                var logDeterminant = 0.0
                for index in 0..<order { logDeterminant += 2 * log(lower[index * order + index]) }
                return (inverse.scalars(as: Double.self), logDeterminant)
            } catch {
                attempt += 1
                if attempt > 6 { throw error }
                var meanDiagonal = 0.0
                for index in 0..<order { meanDiagonal += matrix[index * order + index] }
                jitter = max(jitter * 10, 1e-8 * max(meanDiagonal / Double(max(order, 1)), 1e-12))
            }
        }
    }

    /// Posterior mean and variance at `point` (length `dimension`); with `gradient` storage of length
    /// 2 · dimension, also writes ∂mean/∂x (first half) and ∂variance/∂x (second half), zero for
    /// categorical dimensions. `scratch` needs 2 · count values.
    func posterior(
        at point: UnsafePointer<Double>, scratch: UnsafeMutablePointer<Double>,
        gradient: UnsafeMutablePointer<Double>?
    ) -> (mean: Double, variance: Double) {
        let scale = hyperparameters.kernelScale
        let rho = hyperparameters.inverseSquaredLengthScales
        let kernel = scratch
        let derivative = scratch + count
        var mean = 0.0
        inputs.withUnsafeBufferPointer { inputs in
            for row in 0..<count {
                var d2 = 0.0
                for j in 0..<dimension {
                    let difference = point[j] - inputs[row * dimension + j]
                    d2 += rho[j] * (categorical[j] ? (difference != 0 ? 1 : 0) : difference * difference)
                }
                kernel[row] = scale * Matern52.value(squaredDistance: d2)
                derivative[row] = scale * Matern52.derivative(squaredDistance: d2)
                mean += kernel[row] * weights[row]
            }
        }
        // variance = s − kᵀ K⁻¹ k; v = K⁻¹ k kept for the gradient.
        var quadratic = 0.0
        if let gradient { for j in 0..<(2 * dimension) { gradient[j] = 0 } }
        inverseCovariance.withUnsafeBufferPointer { inverse in
            for row in 0..<count {
                var sum = 0.0
                let base = row * count
                for column in 0..<count { sum += inverse[base + column] * kernel[column] }
                quadratic += sum * kernel[row]
                if let gradient {
                    // ∂k_row/∂x_j = dk/dr² · 2 ρⱼ (x_j − X_row,j)
                    for j in 0..<dimension where !categorical[j] {
                        let chain = derivative[row] * 2 * rho[j] * (point[j] - inputs[row * dimension + j])
                        gradient[j] += weights[row] * chain
                        gradient[dimension + j] -= 2 * sum * chain
                    }
                }
            }
        }
        return (mean, max(scale - quadratic, 0))
    }
}
