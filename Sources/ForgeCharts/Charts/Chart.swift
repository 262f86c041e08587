/// A chart that renders itself as a self-contained SVG document.
///
/// Rendering is deterministic: the same chart value always produces byte-identical SVG, with coordinates
/// printed to two decimals and no scripts, fonts or other external assets.
///
/// ```swift
/// let chart = LineChart(title: "loss", series: [LineSeries(name: "train", values: [0.9, 0.5, 0.3])])
/// let svg = chart.renderSVG()    // "<svg xmlns=\"http://www.w3.org/2000/svg\" …</svg>"
/// ```
public protocol Chart: Sendable {
    /// The SVG document for this chart.
    func renderSVG() -> String
}

/// One (x, y) data point.
public struct ChartPoint: Sendable, Hashable {
    /// The horizontal value.
    public var x: Double
    /// The vertical value.
    public var y: Double

    /// Creates a point.
    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }
}

/// Pairs up x and y values, trapping with a message naming `operation` when the counts differ.
func zipPoints(x: [Double], y: [Double], operation: String) -> [ChartPoint] {
    precondition(x.count == y.count, "\(operation): \(x.count) x values but \(y.count) y values")
    return zip(x, y).map { ChartPoint(x: $0, y: $1) }
}
