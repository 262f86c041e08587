/// Where a chart with x and y axes puts its plot area, how it maps data to pixels, and its ticks.
///
/// Line, scatter, ROC and precision-recall charts expose their layout so that callers (and tests) can find
/// where a data point lands: `layout.x.position(of: value)` is the pixel column of `value`.
public struct CartesianLayout: Sendable, Hashable {
    /// The data rectangle.
    public var plotArea: PlotArea
    /// Maps x values to pixel columns (left to right).
    public var x: ScaleMapping
    /// Maps y values to pixel rows (bottom to top).
    public var y: ScaleMapping
    /// The x-axis ticks, in data units.
    public var xTicks: [Double]
    /// The y-axis ticks, in data units.
    public var yTicks: [Double]

    /// Lays out a chart of `size` whose data spans `xValues` and `yValues`.
    static func make(
        size: ChartSize, title: String?, sidePanelWidth: Double,
        xAxis: ChartAxis, yAxis: ChartAxis, xValues: [Double], yValues: [Double]
    ) -> CartesianLayout {
        let margins = ChartMargins.cartesian(
            hasTitle: !(title ?? "").isEmpty, sidePanelWidth: sidePanelWidth,
            hasXTitle: !xAxis.title.isEmpty, hasYTitle: !yAxis.title.isEmpty)
        let area = margins.plotArea(in: size)
        let xCount = min(10, max(2, Int(area.width / 90)))
        let yCount = min(10, max(2, Int(area.height / 50)))
        let xDomain = xAxis.resolvedDomain(for: xValues, tickCount: xCount)
        let yDomain = yAxis.resolvedDomain(for: yValues, tickCount: yCount)
        return CartesianLayout(
            plotArea: area,
            x: ScaleMapping(domain: xDomain, start: area.left, end: area.right, scale: xAxis.scale),
            y: ScaleMapping(domain: yDomain, start: area.bottom, end: area.top, scale: yAxis.scale),
            xTicks: xAxis.ticks(for: xDomain, tickCount: xCount),
            yTicks: yAxis.ticks(for: yDomain, tickCount: yCount))
    }

    /// The pixel position of a data point, or nil when either coordinate cannot be shown.
    public func position(x xValue: Double, y yValue: Double) -> (x: Double, y: Double)? {
        guard let px = x.position(of: xValue), let py = y.position(of: yValue) else { return nil }
        return (px, py)
    }
}
