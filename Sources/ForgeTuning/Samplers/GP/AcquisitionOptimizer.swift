import ForgeTensor
import Foundation

/// Maximizes log EI over the unit cube: a scrambled Sobol batch scored at once (the posterior variances
/// of the whole batch are one matrix product through BLAS), then bounded quasi-Newton refinement
/// (``BoundedLBFGS`` with the analytic gradient) from the best candidates and the best observed points,
/// categorical coordinates held fixed — the scheme of Optuna's `optim_mixed`.
struct AcquisitionOptimizer {
    /// Sobol candidates scored before refinement (Optuna: 2048).
    var candidateCount = 2048
    /// Starting points refined by the local search (Optuna: 10).
    var localSearchCount = 10

    /// The maximizer of log EI of `process` over `incumbent` (largest standardized output so far), in [0, 1]^d.
    ///
    /// - Parameters:
    ///   - warmStarts: points to refine in any case (the best observed inputs).
    ///   - sequence: the scrambled Sobol sequence to draw candidates from, starting at `offset`.
    func maximize(
        process: GaussianProcessRegressor, incumbent: Double, warmStarts: [[Double]], sequence: SobolSequence,
        offset: Int
    ) -> (point: [Double], value: Double) {
        let dimension = process.dimension
        let n = process.count
        let m = candidateCount
        var candidates = [Double](repeating: 0, count: m * dimension)
        var point = [Double](repeating: 0, count: dimension)
        for row in 0..<m {
            sequence.point(offset + row, into: &point)
            for j in 0..<dimension { candidates[row * dimension + j] = point[j] }
        }
        let scores = batchLogEI(process: process, candidates: candidates, count: m, incumbent: incumbent)
        // Starting points: the warm starts, then the best-scoring distinct candidates.
        var starts = warmStarts
        let order = (0..<m).sorted { scores[$0] > scores[$1] }
        for index in order where starts.count < localSearchCount + warmStarts.count {
            starts.append(Array(candidates[(index * dimension)..<((index + 1) * dimension)]))
        }
        var best = (point: Array(candidates[(order[0] * dimension)..<((order[0] + 1) * dimension)]), value: scores[order[0]])
        let lower = [Double](repeating: 0, count: dimension)
        let upper = [Double](repeating: 1, count: dimension)
        let optimizer = BoundedLBFGS(maximumIterations: 100, gradientTolerance: 1e-6, functionTolerance: 1e-9)
        var scratch = [Double](repeating: 0, count: 2 * n)
        var posteriorGradient = [Double](repeating: 0, count: 2 * dimension)
        for start in starts {
            // Categorical coordinates stay where the start put them: their bounds collapse onto it.
            var lowerBounds = lower
            var upperBounds = upper
            for j in 0..<dimension where process.categorical[j] {
                lowerBounds[j] = start[j]
                upperBounds[j] = start[j]
            }
            let result = optimizer.minimize(start: start, lower: lowerBounds, upper: upperBounds) { x, gradient in
                let (mean, variance) = x.withUnsafeBufferPointer { x in
                    scratch.withUnsafeMutableBufferPointer { scratch in
                        posteriorGradient.withUnsafeMutableBufferPointer { output in
                            process.posterior(at: x.baseAddress!, scratch: scratch.baseAddress!, gradient: output.baseAddress!)
                        }
                    }
                }
                let acquisition = LogExpectedImprovement.value(mean: mean, variance: variance, incumbent: incumbent)
                for j in 0..<dimension {
                    gradient[j] = -(acquisition.byMean * posteriorGradient[j]
                        + acquisition.byVariance * posteriorGradient[dimension + j])
                }
                return -acquisition.value
            }
            if -result.value > best.value { best = (result.point, -result.value) }
        }
        return best
    }

    /// log EI of `count` row-major candidates: K* from the kernel, K* · K⁻¹ as one BLAS product.
    func batchLogEI(process: GaussianProcessRegressor, candidates: [Double], count: Int, incumbent: Double) -> [Double] {
        let n = process.count
        let dimension = process.dimension
        let rho = process.hyperparameters.inverseSquaredLengthScales
        let scale = process.hyperparameters.kernelScale
        var crossCovariance = [Double](repeating: 0, count: count * n)
        var means = [Double](repeating: 0, count: count)
        process.inputs.withUnsafeBufferPointer { inputs in
            for row in 0..<count {
                var mean = 0.0
                for column in 0..<n {
                    var d2 = 0.0
                    for j in 0..<dimension {
                        let difference = candidates[row * dimension + j] - inputs[column * dimension + j]
                        d2 += rho[j] * (process.categorical[j] ? (difference != 0 ? 1 : 0) : difference * difference)
                    }
                    let value = scale * Matern52.value(squaredDistance: d2)
                    crossCovariance[row * n + column] = value
                    mean += value * process.weights[column]
                }
                means[row] = mean
            }
        }
        let product = Tensor(crossCovariance, shape: [count, n])
            .matmul(Tensor(process.inverseCovariance, shape: [n, n])).scalars(as: Double.self)
        var scores = [Double](repeating: 0, count: count)
        for row in 0..<count {
            var quadratic = 0.0
            for column in 0..<n { quadratic += product[row * n + column] * crossCovariance[row * n + column] }
            let variance = max(scale - quadratic, 0)
            scores[row] = LogExpectedImprovement.value(mean: means[row], variance: variance, incumbent: incumbent).value
        }
        return scores
    }
}
