import Foundation

/// How an axis maps data values to positions.
public enum AxisScale: Sendable, Hashable {
    /// Equal distances for equal differences.
    case linear
    /// Equal distances for equal ratios (base 10); zero and negative values cannot be shown and leave gaps.
    case logarithmic

    /// Whether `value` can be placed on an axis of this scale.
    public func accepts(_ value: Double) -> Bool {
        switch self {
        case .linear: value.isFinite
        case .logarithmic: value.isFinite && value > 0
        }
    }
}

/// A map from a data domain to a pixel interval along one axis.
///
/// `start` is the pixel for the domain's lower bound and `end` the pixel for its upper bound, so a y axis
/// that grows upwards has `start` at the bottom of the plot and `end` at the top.
public struct ScaleMapping: Sendable, Hashable {
    /// The data values shown, lower to upper bound.
    public var domain: ClosedRange<Double>
    /// The pixel position of `domain.lowerBound`.
    public var start: Double
    /// The pixel position of `domain.upperBound`.
    public var end: Double
    /// Linear or logarithmic.
    public var scale: AxisScale

    /// Creates a mapping; a logarithmic domain must be positive.
    public init(domain: ClosedRange<Double>, start: Double, end: Double, scale: AxisScale) {
        precondition(
            scale == .linear || domain.lowerBound > 0,
            "ScaleMapping: logarithmic domain \(domain) must be positive")
        self.domain = domain
        self.start = start
        self.end = end
        self.scale = scale
    }

    /// The pixel position of `value`, or nil when the scale cannot show it (NaN, ±infinity, ≤ 0 on a log axis).
    ///
    /// Values outside the domain map outside `start...end`; the chart clips them.
    public func position(of value: Double) -> Double? {
        guard scale.accepts(value) else { return nil }
        return start + fraction(of: value) * (end - start)
    }

    /// Where `value` sits in the domain: 0 at the lower bound, 1 at the upper bound.
    public func fraction(of value: Double) -> Double {
        switch scale {
        case .linear:
            let span = domain.upperBound - domain.lowerBound
            return span > 0 ? (value - domain.lowerBound) / span : 0.5
        case .logarithmic:
            let low = log10(domain.lowerBound)
            let span = log10(domain.upperBound) - low
            return span > 0 ? (log10(value) - low) / span : 0.5
        }
    }
}
