/// One group of points in a scatter chart.
public struct ScatterSeries: Sendable, Hashable {
    /// The name shown in the legend.
    public var name: String
    /// The points; non-finite ones are skipped.
    public var points: [ChartPoint]
    /// Values that colour each point through the chart's colour scale, or nil for one series colour.
    public var colorValues: [Double]?
    /// The colour when not coloured by value; nil for the next palette colour.
    public var color: ChartColor?

    /// Creates a series.
    /// - Parameters:
    ///   - name: The legend name.
    ///   - points: The points.
    ///   - colorValues: One value per point to colour it by (its count must match), or nil.
    ///   - color: A fixed colour; nil picks the next palette colour.
    public init(name: String, points: [ChartPoint], colorValues: [Double]? = nil, color: ChartColor? = nil) {
        if let colorValues {
            precondition(
                colorValues.count == points.count,
                "ScatterSeries \"\(name)\": \(colorValues.count) colour values for \(points.count) points")
        }
        self.name = name
        self.points = points
        self.colorValues = colorValues
        self.color = color
    }

    /// Creates a series from parallel x and y arrays.
    public init(name: String, x: [Double], y: [Double], colorValues: [Double]? = nil, color: ChartColor? = nil) {
        self.init(
            name: name, points: zipPoints(x: x, y: y, operation: "ScatterSeries \"\(name)\""),
            colorValues: colorValues, color: color)
    }
}

/// Points in the plane, coloured per series (with a legend) or by a value (with a colour bar).
///
/// ```swift
/// let chart = ScatterChart(
///     title: "learning rate vs loss",
///     series: [ScatterSeries(name: "trials", x: learningRates, y: losses, colorValues: trialNumbers)],
///     xAxis: ChartAxis("lr", scale: .logarithmic), yAxis: ChartAxis("loss"), colorTitle: "trial")
/// ```
public struct ScatterChart: Chart, Hashable {
    /// The title; nil for none.
    public var title: String?
    /// The point groups.
    public var series: [ScatterSeries]
    /// The horizontal axis.
    public var xAxis: ChartAxis
    /// The vertical axis.
    public var yAxis: ChartAxis
    /// The scale for points with colour values.
    public var colorScale: ColorScale
    /// The colour bar's title.
    public var colorTitle: String
    /// The dot radius in pixels.
    public var markerRadius: Double
    /// The size of the SVG.
    public var size: ChartSize

    /// Creates a scatter chart. When any series has colour values, a colour bar replaces the legend.
    public init(
        title: String? = nil, series: [ScatterSeries], xAxis: ChartAxis = ChartAxis(),
        yAxis: ChartAxis = ChartAxis(), colorScale: ColorScale = .viridis, colorTitle: String = "",
        markerRadius: Double = 4, size: ChartSize = .standard
    ) {
        self.title = title
        self.series = series
        self.xAxis = xAxis
        self.yAxis = yAxis
        self.colorScale = colorScale
        self.colorTitle = colorTitle
        self.markerRadius = markerRadius
        self.size = size
    }

    /// Where the plot area is and how data maps to pixels.
    public func layout() -> CartesianLayout {
        renderer().layout()
    }

    /// The SVG document.
    public func renderSVG() -> String {
        renderer().render()
    }

    /// The range of all finite colour values, or nil when no series is coloured by value.
    var colorRange: ClosedRange<Double>? {
        let values = series.flatMap { $0.colorValues ?? [] }.filter(\.isFinite)
        guard let low = values.min(), let high = values.max() else { return nil }
        return low...high
    }

    private func renderer() -> CartesianRenderer {
        let range = colorRange
        var layers: [CartesianRenderer.Layer] = []
        var legend: [LegendEntry] = []
        var hasData = false
        for (index, group) in series.enumerated() {
            let fixed = group.color ?? ChartColor.series(index)
            let colors: [ChartColor]
            if let values = group.colorValues, let range {
                colors = values.map { colorScale.color(for: $0, in: range) }
            } else {
                colors = Array(repeating: fixed, count: group.points.count)
            }
            let tooltips = group.points.map {
                "(\(ChartNumberFormat.string($0.x)), \(ChartNumberFormat.string($0.y)))"
            }
            layers.append(.dots(points: group.points, colors: colors, radius: markerRadius, tooltips: tooltips))
            legend.append(LegendEntry(label: group.name, color: fixed, swatch: .marker))
            hasData = hasData || group.points.contains { xAxis.scale.accepts($0.x) && yAxis.scale.accepts($0.y) }
        }
        let colorBar = range.map { ColorBar(title: colorTitle, scale: colorScale, range: $0) }
        return CartesianRenderer(
            title: title, size: size, xAxis: xAxis, yAxis: yAxis, layers: layers,
            legend: series.contains { !$0.name.isEmpty } ? legend : [], colorBar: colorBar, hasData: hasData)
    }
}
