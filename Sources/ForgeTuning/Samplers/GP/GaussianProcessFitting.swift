import Foundation

/// Fits a GP's kernel hyperparameters by maximizing the log marginal likelihood plus Optuna's priors
/// (`optuna/_gp/prior.py`): −Σ(0.1/ρⱼ + 0.1ρⱼ) on the inverse squared length scales, Gamma(2, 1) on the
/// signal variance, Gamma(1.1, 30) on the noise variance.
///
/// The search runs in log space (ρ = e^θ, s = e^θ, noise = e^θ + minimum) with analytic gradients
/// ½ tr((ααᵀ − K⁻¹) ∂K/∂θ) and ``BoundedLBFGS``, from the previous fit (warm start) and from the
/// defaults; the better optimum wins.
enum GaussianProcessFitting {
    /// Noise variance is never below this (Optuna's `DEFAULT_MINIMUM_NOISE_VAR`).
    static let minimumNoise = 1e-6
    /// Every this many observations the fit also restarts from the defaults.
    static let restartPeriod = 10

    /// The fitted regressor for `inputs` (row-major `outputs.count × categorical.count`, unit cube) and
    /// standardized `outputs`.
    static func fit(
        inputs: [Double], outputs: [Double], categorical: [Bool], warmStart: GaussianProcessHyperparameters?
    ) -> GaussianProcessRegressor? {
        let dimension = categorical.count
        let problem = Problem(inputs: inputs, outputs: outputs, categorical: categorical)
        // The previous fit is the start (Optuna does the same); the defaults are the fallback, and a second
        // start every `restartPeriod` observations keeps a warm start from trapping the fit in a poor optimum.
        var starts = [GaussianProcessHyperparameters.defaults(dimension: dimension)]
        if let warmStart, warmStart.inverseSquaredLengthScales.count == dimension {
            if outputs.count % restartPeriod == 0 { starts.insert(warmStart, at: 0) } else { starts = [warmStart] }
        }
        let lower = [Double](repeating: -12, count: dimension) + [-12, -25]
        let upper = [Double](repeating: 12, count: dimension) + [8, 5]
        let optimizer = BoundedLBFGS(maximumIterations: 150, gradientTolerance: 1e-3, functionTolerance: 1e-9)
        var best: (value: Double, point: [Double])?
        for start in starts {
            let raw = start.inverseSquaredLengthScales.map { log($0) }
                + [log(start.kernelScale), log(max(start.noiseVariance - 0.99 * minimumNoise, 1e-12))]
            let result = optimizer.minimize(start: raw, lower: lower, upper: upper) { point, gradient in
                problem.loss(raw: point, gradient: &gradient)
            }
            if result.value.isFinite && result.value < (best?.value ?? .infinity) { best = (result.value, result.point) }
        }
        if best == nil, starts.count == 1, warmStart != nil {  // the warm start failed: fall back to the defaults
            return fit(inputs: inputs, outputs: outputs, categorical: categorical, warmStart: nil)
        }
        let chosen = best.map { hyperparameters(raw: $0.point, dimension: dimension) }
            ?? GaussianProcessHyperparameters.defaults(dimension: dimension)
        return try? GaussianProcessRegressor(
            inputs: inputs, outputs: outputs, categorical: categorical, hyperparameters: chosen)
    }

    /// The hyperparameters for raw (log-space) values.
    static func hyperparameters(raw: [Double], dimension: Int) -> GaussianProcessHyperparameters {
        GaussianProcessHyperparameters(
            inverseSquaredLengthScales: raw[0..<dimension].map { exp($0) }, kernelScale: exp(raw[dimension]),
            noiseVariance: exp(raw[dimension + 1]) + minimumNoise)
    }

    /// The data and the precomputed squared differences of every pair of inputs.
    struct Problem {
        let inputs: [Double]
        let outputs: [Double]
        let categorical: [Bool]
        let count: Int
        let dimension: Int
        /// For each pair a > b (packed lower triangle), the squared difference per dimension.
        let squaredDifferences: [Double]

        init(inputs: [Double], outputs: [Double], categorical: [Bool]) {
            self.inputs = inputs
            self.outputs = outputs
            self.categorical = categorical
            count = outputs.count
            dimension = categorical.count
            var differences = [Double](repeating: 0, count: count * (count - 1) / 2 * dimension)
            var pair = 0
            for a in 0..<count {
                for b in 0..<a {
                    for j in 0..<dimension {
                        let difference = inputs[a * dimension + j] - inputs[b * dimension + j]
                        differences[pair * dimension + j] =
                            categorical[j] ? (difference != 0 ? 1 : 0) : difference * difference
                    }
                    pair += 1
                }
            }
            squaredDifferences = differences
        }

        /// −(log marginal likelihood + log prior) at `raw`, with its gradient.
        func loss(raw: [Double], gradient: inout [Double]) -> Double {
            let rho = raw[0..<dimension].map { exp($0) }
            let scale = exp(raw[dimension])
            let noiseExcess = exp(raw[dimension + 1])
            let noise = noiseExcess + GaussianProcessFitting.minimumNoise
            let n = count
            var covariance = [Double](repeating: 0, count: n * n)
            var derivatives = [Double](repeating: 0, count: n * (n - 1) / 2)
            var pair = 0
            for a in 0..<n {
                covariance[a * n + a] = scale + noise
                for b in 0..<a {
                    var d2 = 0.0
                    for j in 0..<dimension { d2 += rho[j] * squaredDifferences[pair * dimension + j] }
                    let value = scale * Matern52.value(squaredDistance: d2)
                    covariance[a * n + b] = value
                    covariance[b * n + a] = value
                    derivatives[pair] = scale * Matern52.derivative(squaredDistance: d2)
                    pair += 1
                }
            }
            guard let (inverse, logDeterminant) = try? GaussianProcessRegressor.invertPositiveDefinite(covariance, order: n)
            else {
                for index in gradient.indices { gradient[index] = 0 }
                return .infinity
            }
            var alpha = [Double](repeating: 0, count: n)
            var quadratic = 0.0
            for a in 0..<n {
                var sum = 0.0
                for b in 0..<n { sum += inverse[a * n + b] * outputs[b] }
                alpha[a] = sum
                quadratic += sum * outputs[a]
            }
            let logLikelihood = -0.5 * quadratic - 0.5 * logDeterminant - 0.5 * Double(n) * log(2 * Double.pi)
            // W = ααᵀ − K⁻¹; ∂(log likelihood)/∂θ = ½ Σ W ∘ ∂K/∂θ.
            var lengthGradient = [Double](repeating: 0, count: dimension)
            var scaleGradient = 0.0
            var trace = 0.0
            pair = 0
            for a in 0..<n {
                let diagonal = alpha[a] * alpha[a] - inverse[a * n + a]
                trace += diagonal
                scaleGradient += 0.5 * diagonal * scale
                for b in 0..<a {
                    let w = alpha[a] * alpha[b] - inverse[a * n + b]
                    // off-diagonal pairs count twice in the symmetric sum; the ½ cancels
                    scaleGradient += w * covariance[a * n + b]
                    let factor = w * derivatives[pair]
                    for j in 0..<dimension { lengthGradient[j] += factor * squaredDifferences[pair * dimension + j] }
                    pair += 1
                }
            }
            var logPrior = 0.0
            for j in 0..<dimension {
                logPrior -= 0.1 / rho[j] + 0.1 * rho[j]
                // d/dθ of log likelihood: ρⱼ Σ; of the prior: 0.1/ρ − 0.1ρ.
                gradient[j] = -(lengthGradient[j] * rho[j] + 0.1 / rho[j] - 0.1 * rho[j])
            }
            logPrior += log(scale) - scale  // Gamma(2, 1)
            logPrior += 0.1 * log(noise) - 30 * noise  // Gamma(1.1, 30)
            gradient[dimension] = -(scaleGradient + 1 - scale)
            gradient[dimension + 1] = -(0.5 * trace * noiseExcess + (0.1 / noise - 30) * noiseExcess)
            return -(logLikelihood + logPrior)
        }
    }
}
