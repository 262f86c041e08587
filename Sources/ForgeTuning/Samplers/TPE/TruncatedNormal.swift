import Foundation

/// Draws from a normal distribution truncated to an interval, by inverting its distribution function
/// from the nearer tail so that neither tail loses precision (Optuna's `_truncnorm.ppf`).
enum TruncatedNormal {
    /// The value at quantile `unit` (in (0, 1)) of N(centre, width²) truncated to `low...high`.
    static func sample(centre: Double, width: Double, low: Double, high: Double, unit: Double) -> Double {
        let a = (low - centre) / width
        let b = (high - centre) / width
        if a >= b { return min(max(centre, low), high) }
        let z: Double
        if a < 0 {
            // Φ(z) = Φ(a) + u·(Φ(b) − Φ(a)), solved from the side whose probability is smaller.
            let lowerTail = StandardNormal.cumulative(a)
            let upperTail = StandardNormal.cumulative(-b)
            let mass = 1 - lowerTail - upperTail
            let fromLow = lowerTail + unit * mass
            if fromLow < 0.5 {
                z = StandardNormal.quantile(fromLow)
            } else {
                z = -StandardNormal.quantile(upperTail + (1 - unit) * mass)
            }
        } else {
            // Both bounds above the centre: mirror, so the small probabilities are the ones computed.
            let lowerTail = StandardNormal.cumulative(-b)
            let upperTail = StandardNormal.cumulative(-a)
            z = -StandardNormal.quantile(upperTail - unit * (upperTail - lowerTail))
        }
        return min(max(centre + width * (z.isFinite ? z : (z > 0 ? b : a)), low), high)
    }
}
