import Foundation

/// "Nice" axis ticks: steps of 1, 2 or 5 × 10^k on linear axes, powers of ten on logarithmic ones.
///
/// ```swift
/// AxisTicks.linear(from: 0, to: 1, count: 5)          // [0, 0.2, 0.4, 0.6, 0.8, 1]
/// AxisTicks.niceDomain(-3.7...12.2, count: 5)          // -5...15
/// AxisTicks.logarithmic(from: 0.001, to: 10)          // [0.001, 0.01, 0.1, 1, 10]
/// ```
public enum AxisTicks {
    /// A tick step `mantissa × 10^exponent` with mantissa 1, 2 or 5.
    public struct Step: Sendable, Hashable {
        /// 1, 2 or 5.
        public var mantissa: Int
        /// The power of ten.
        public var exponent: Int

        /// The step as a number.
        public var value: Double { Double(mantissa) * pow10(exponent) }

        /// The tick `index × step`, computed so that decimal ticks print exactly (0.6, not 0.6000000000000001).
        public func tick(_ index: Int) -> Double {
            exponent >= 0
                ? Double(index * mantissa) * pow10(exponent)
                : Double(index * mantissa) / pow10(-exponent)
        }
    }

    /// The nice step that cuts `lower...upper` into about `count` intervals.
    public static func step(from lower: Double, to upper: Double, count: Int) -> Step {
        let span = upper - lower
        guard span > 0, span.isFinite, count > 0 else { return Step(mantissa: 1, exponent: 0) }
        let raw = span / Double(count)
        let exponent = Int(raw.log10Floor)
        let fraction = raw / pow10(exponent)
        // Thresholds at the geometric means of neighbouring nice steps pick the closest one.
        if fraction >= 50.0.squareRoot() { return Step(mantissa: 1, exponent: exponent + 1) }
        if fraction >= 10.0.squareRoot() { return Step(mantissa: 5, exponent: exponent) }
        if fraction >= 2.0.squareRoot() { return Step(mantissa: 2, exponent: exponent) }
        return Step(mantissa: 1, exponent: exponent)
    }

    /// Ticks at multiples of the nice step that lie within `lower...upper`.
    public static func linear(from lower: Double, to upper: Double, count: Int) -> [Double] {
        guard lower.isFinite, upper.isFinite, lower <= upper else { return [] }
        if lower == upper { return [lower] }
        let step = step(from: lower, to: upper, count: count)
        // NOTE: a span that overflows (-1e308...1e308) has no usable step; the indices would not fit an Int.
        let low = lower / step.value
        let high = upper / step.value
        guard abs(low) < 1e15, abs(high) < 1e15 else { return [] }
        let first = Int((low - 1e-9).rounded(.up))
        let last = Int((high + 1e-9).rounded(.down))
        guard last >= first, last - first <= 1000 else { return [] }
        return (first...last).map { step.tick($0) }
    }

    /// Widens `domain` outwards to multiples of its nice step, so the axis starts and ends on a tick.
    public static func niceDomain(_ domain: ClosedRange<Double>, count: Int) -> ClosedRange<Double> {
        guard domain.lowerBound.isFinite, domain.upperBound.isFinite, domain.upperBound > domain.lowerBound else {
            return domain
        }
        let step = step(from: domain.lowerBound, to: domain.upperBound, count: count)
        let low = domain.lowerBound / step.value
        let high = domain.upperBound / step.value
        guard abs(low) < 1e15, abs(high) < 1e15 else { return domain }
        let first = Int((low + 1e-9).rounded(.down))
        let last = Int((high - 1e-9).rounded(.up))
        return step.tick(first)...step.tick(last)
    }

    /// Ticks for a logarithmic axis: every power of ten in range, plus 2× and 5× when the range spans
    /// fewer than three decades (so a short log axis still has labels); thinned to at most about 10 ticks.
    public static func logarithmic(from lower: Double, to upper: Double) -> [Double] {
        guard lower > 0, upper >= lower, lower.isFinite, upper.isFinite else { return [] }
        let firstDecade = Int(lower.log10Floor)
        let lastDecade = Int(upper.log10Floor)
        let decades = lastDecade - firstDecade
        let multipliers: [Double] = decades < 3 ? [1, 2, 5] : [1]
        let stride = max(1, (decades + 9) / 10)
        var ticks: [Double] = []
        for decade in firstDecade...lastDecade where (decade - firstDecade) % stride == 0 {
            for multiplier in multipliers {
                let tick = multiplier * pow10(decade)
                if tick >= lower * (1 - 1e-12) && tick <= upper * (1 + 1e-12) { ticks.append(tick) }
            }
        }
        return ticks
    }

    /// Widens a positive domain outwards to whole powers of ten.
    public static func niceLogarithmicDomain(_ domain: ClosedRange<Double>) -> ClosedRange<Double> {
        guard domain.lowerBound > 0, domain.upperBound.isFinite else { return domain }
        let lower = pow10(Int(domain.lowerBound.log10Floor))
        var upperExponent = Int(domain.upperBound.log10Floor)
        if pow10(upperExponent) < domain.upperBound { upperExponent += 1 }
        let upper = pow10(upperExponent)
        return upper > lower ? lower...upper : lower...(lower * 10)
    }

    /// Labels for ticks, all printed with the decimals the step needs (so 0, 0.5, 1 read "0", "0.5", "1").
    public static func labels(for ticks: [Double], scale: AxisScale) -> [String] {
        guard scale == .linear, ticks.count >= 2 else {
            return ticks.map { ChartNumberFormat.string($0, significantDigits: 3) }
        }
        let step = abs(ticks[1] - ticks[0])
        let largest = ticks.map(abs).max() ?? 0
        if largest >= 1e9 || (step > 0 && step < 1e-4) {
            let digits = max(1, min(6, Int(largest.log10Floor) - Int(step.log10Floor) + 1))
            return ticks.map { ChartNumberFormat.scientific($0, significantDigits: digits) }
        }
        let decimals = step > 0 ? max(0, -Int(step.log10Floor)) : 0
        return ticks.map { ChartNumberFormat.fixed($0, fractionDigits: min(15, decimals + 1)) }
    }
}
