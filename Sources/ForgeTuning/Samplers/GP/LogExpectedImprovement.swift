import Foundation

/// The logarithm of expected improvement, computed stably even where EI underflows (Ament et al.,
/// "Unexpected Improvements to Expected Improvement for Bayesian Optimization", NeurIPS 2023, eq. 9).
///
/// For a maximization target f ~ N(μ, σ²) and incumbent f₀: log EI = h(z) + log σ with z = (μ − f₀)/σ and
/// h(z) = log(z Φ(z) + φ(z)). For z < −5 the sum cancels, so h is taken as
/// −z²/2 − log √(2π) + log(1 + z·r(z)) with r(z) = Φ(z)/φ(z) = √(π/2)·erfcx(−z/√2), which never underflows.
enum LogExpectedImprovement {
    /// h(z) and h′(z) = Φ(z) / (z Φ(z) + φ(z)).
    @inline(__always)
    static func standard(_ z: Double) -> (value: Double, derivative: Double) {
        if z > -5 {
            let cumulative = StandardNormal.cumulative(z)
            let improvement = z * cumulative + StandardNormal.density(z)
            return (log(improvement), cumulative / improvement)
        }
        let ratio = StandardNormal.squareRootHalfPi * StandardNormal.scaledComplementaryError(-z * 0.707_106_781_186_547_5)
        let factor = max(1 + z * ratio, 1e-300)
        return (-0.5 * z * z - StandardNormal.logSquareRootTwoPi + log(factor), ratio / factor)
    }

    /// log EI at posterior mean `mean` and variance `variance` over `incumbent`, with the partial derivatives
    /// with respect to the mean and the variance.
    @inline(__always)
    static func value(mean: Double, variance: Double, incumbent: Double)
        -> (value: Double, byMean: Double, byVariance: Double)
    {
        let sigma = max(variance, 1e-40).squareRoot()
        let z = (mean - incumbent) / sigma
        let (h, slope) = standard(z)
        // d/dμ = h′/σ; d/dσ = −h′ z/σ + 1/σ; d/dvar = d/dσ / (2σ).
        let bySigma = (1 - slope * z) / sigma
        return (h + log(sigma), slope / sigma, bySigma / (2 * sigma))
    }
}
