/// The rectangle, in SVG pixels, where a chart draws its data.
public struct PlotArea: Sendable, Hashable {
    /// The left edge.
    public var left: Double
    /// The top edge.
    public var top: Double
    /// The width.
    public var width: Double
    /// The height.
    public var height: Double

    /// Creates a plot area.
    public init(left: Double, top: Double, width: Double, height: Double) {
        self.left = left
        self.top = top
        self.width = width
        self.height = height
    }

    /// The right edge.
    public var right: Double { left + width }
    /// The bottom edge.
    public var bottom: Double { top + height }
}

/// The size of a chart in SVG pixels.
public struct ChartSize: Sendable, Hashable {
    /// The width.
    public var width: Double
    /// The height.
    public var height: Double

    /// Creates a size; both dimensions must be at least 120 pixels so the axes fit.
    public init(width: Double, height: Double) {
        precondition(
            width >= 120 && height >= 120 && width.isFinite && height.isFinite,
            "ChartSize: \(width) × \(height) is too small; charts need at least 120 × 120 pixels")
        self.width = width
        self.height = height
    }

    /// 640 × 400, the default for line, scatter and bar charts.
    public static let standard = ChartSize(width: 640, height: 400)
}

/// The margins around a plot area, computed from what the chart shows.
struct ChartMargins {
    var left = 64.0
    var right = 20.0
    var top = 16.0
    var bottom = 48.0

    /// Margins for a chart with an optional title, a right-hand panel (legend or colour bar) and axis titles.
    static func cartesian(hasTitle: Bool, sidePanelWidth: Double, hasXTitle: Bool, hasYTitle: Bool) -> ChartMargins {
        var margins = ChartMargins()
        if hasTitle { margins.top += 24 }
        margins.right += sidePanelWidth
        margins.bottom = hasXTitle ? 48 : 32
        margins.left = hasYTitle ? 68 : 52
        return margins
    }

    /// The plot area these margins leave inside `size`.
    func plotArea(in size: ChartSize) -> PlotArea {
        PlotArea(
            left: left, top: top,
            width: max(20, size.width - left - right),
            height: max(20, size.height - top - bottom))
    }
}
