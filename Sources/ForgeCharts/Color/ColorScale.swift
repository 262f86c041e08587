/// A continuous colour scale: evenly spaced colour stops interpolated linearly in sRGB.
///
/// ```swift
/// let scale = ColorScale.viridis
/// scale.color(at: 0)      // dark purple
/// scale.color(at: 1)      // yellow
/// ```
public struct ColorScale: Sendable, Hashable {
    /// The colour stops from the low end (0) to the high end (1).
    public var stops: [ChartColor]

    /// Creates a scale from at least two stops, spaced evenly over 0...1.
    public init(stops: [ChartColor]) {
        precondition(stops.count >= 2, "ColorScale: needs at least 2 stops, got \(stops.count)")
        self.stops = stops
    }

    /// The colour at `fraction` in 0...1 (clamped); NaN gives ``ChartColor/gray``.
    public func color(at fraction: Double) -> ChartColor {
        guard !fraction.isNaN else { return .gray }
        let t = min(1, max(0, fraction)) * Double(stops.count - 1)
        let index = min(stops.count - 2, Int(t))
        return stops[index].interpolated(to: stops[index + 1], fraction: t - Double(index))
    }

    /// The colour for `value` within `range`, the low end mapping to the first stop.
    public func color(for value: Double, in range: ClosedRange<Double>) -> ChartColor {
        guard value.isFinite else { return .gray }
        let span = range.upperBound - range.lowerBound
        return color(at: span > 0 ? (value - range.lowerBound) / span : 0.5)
    }

    /// The same colours in the opposite order.
    public var reversed: ColorScale {
        ColorScale(stops: stops.reversed())
    }

    /// Perceptually uniform purple → green → yellow (matplotlib's viridis), for objectives and values.
    public static let viridis = ColorScale(
        stops: [0x440154, 0x472D7B, 0x3B528B, 0x2C728E, 0x21918C, 0x28AE80, 0x5EC962, 0xADDC30, 0xFDE725]
            .map { ChartColor(hex: $0) })

    /// White → dark blue (ColorBrewer Blues), for counts such as a confusion matrix.
    public static let blues = ColorScale(
        stops: [0xF7FBFF, 0xDEEBF7, 0xC6DBEF, 0x9ECAE1, 0x6BAED6, 0x4292C6, 0x2171B5, 0x08519C, 0x08306B]
            .map { ChartColor(hex: $0) })

    /// Dark blue → yellow through magenta (matplotlib's plasma).
    public static let plasma = ColorScale(
        stops: [0x0D0887, 0x46039F, 0x7201A8, 0x9C179E, 0xBD3786, 0xD8576B, 0xED7953, 0xFB9F3A, 0xF0F921]
            .map { ChartColor(hex: $0) })
}
