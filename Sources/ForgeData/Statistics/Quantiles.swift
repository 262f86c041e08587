/// Quantiles with linear interpolation between order statistics (NumPy's default `linear` method).
enum Quantiles {
    /// The `q`-quantile (`0...1`) of `sorted` (ascending, non-empty).
    static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        precondition(!sorted.isEmpty, "quantile: no values")
        let position = q * Double(sorted.count - 1)
        let low = Int(position.rounded(.down))
        let high = Swift.min(low + 1, sorted.count - 1)
        let fraction = position - Double(low)
        return sorted[low] + (sorted[high] - sorted[low]) * fraction
    }
}
