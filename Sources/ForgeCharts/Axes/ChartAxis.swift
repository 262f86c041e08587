/// What one axis of a chart shows: its title, scale and (optionally) a fixed range.
///
/// ```swift
/// ChartAxis("step")
/// ChartAxis("loss", scale: .logarithmic)
/// ChartAxis("accuracy", range: 0...1)
/// ```
public struct ChartAxis: Sendable, Hashable {
    /// The title printed along the axis; empty for none.
    public var title: String
    /// Linear or logarithmic.
    public var scale: AxisScale
    /// A fixed range, or nil to fit the data (widened to nice tick values).
    public var range: ClosedRange<Double>?

    /// Creates an axis description.
    /// - Parameters:
    ///   - title: The axis title; empty for none.
    ///   - scale: `.linear` (default) or `.logarithmic`.
    ///   - range: A fixed range; nil fits the data. A logarithmic range must be positive.
    public init(_ title: String = "", scale: AxisScale = .linear, range: ClosedRange<Double>? = nil) {
        if let range, scale == .logarithmic {
            precondition(range.lowerBound > 0, "ChartAxis \"\(title)\": logarithmic range \(range) must be positive")
        }
        self.title = title
        self.scale = scale
        self.range = range
    }

    /// The domain to draw for `values`: the fixed range, or the finite (and, on a log axis, positive) values'
    /// extent widened to nice ticks. Without usable values the domain is 0...1 (linear) or 1...10 (log).
    func resolvedDomain(for values: [Double], tickCount: Int) -> ClosedRange<Double> {
        if let range {
            if range.upperBound > range.lowerBound { return range }
            return widened(range.lowerBound)
        }
        var lower = Double.infinity
        var upper = -Double.infinity
        for value in values where scale.accepts(value) {
            lower = min(lower, value)
            upper = max(upper, value)
        }
        guard lower.isFinite, upper.isFinite else {
            return scale == .linear ? 0...1 : 1...10
        }
        if lower == upper { return widened(lower) }
        switch scale {
        case .linear: return AxisTicks.niceDomain(lower...upper, count: tickCount)
        case .logarithmic: return AxisTicks.niceLogarithmicDomain(lower...upper)
        }
    }

    /// The exact extent of the values this axis can show, or nil when they do not span a range (no usable
    /// values, or all equal). A fixed `range` wins.
    func exactDomain(for values: [Double]) -> ClosedRange<Double>? {
        if let range { return range.upperBound > range.lowerBound ? range : nil }
        var lower = Double.infinity
        var upper = -Double.infinity
        for value in values where scale.accepts(value) {
            lower = min(lower, value)
            upper = max(upper, value)
        }
        return lower < upper ? lower...upper : nil
    }

    /// Ticks for `domain`.
    func ticks(for domain: ClosedRange<Double>, tickCount: Int) -> [Double] {
        switch scale {
        case .linear: AxisTicks.linear(from: domain.lowerBound, to: domain.upperBound, count: tickCount)
        case .logarithmic: AxisTicks.logarithmic(from: domain.lowerBound, to: domain.upperBound)
        }
    }

    private func widened(_ value: Double) -> ClosedRange<Double> {
        switch scale {
        case .linear:
            let half = value == 0 ? 1 : abs(value) * 0.1
            return AxisTicks.niceDomain((value - half)...(value + half), count: 4)
        case .logarithmic:
            return AxisTicks.niceLogarithmicDomain((value / 10)...(value * 10))
        }
    }
}
