/// One named series of a line chart.
public struct LineSeries: Sendable, Hashable {
    /// The name shown in the legend.
    public var name: String
    /// The points, drawn in order; points with NaN or infinite coordinates leave a gap.
    public var points: [ChartPoint]
    /// The colour, or nil for the next palette colour.
    public var color: ChartColor?
    /// Whether to draw the line dashed.
    public var isDashed: Bool
    /// Whether to connect the points; when false only markers are drawn (a scatter within a line chart,
    /// such as the individual trials under a best-so-far line).
    public var drawsLine: Bool

    /// Creates a series from points.
    public init(
        name: String, points: [ChartPoint], color: ChartColor? = nil, isDashed: Bool = false, drawsLine: Bool = true
    ) {
        self.name = name
        self.points = points
        self.color = color
        self.isDashed = isDashed
        self.drawsLine = drawsLine
    }

    /// Creates a series from parallel arrays of x and y values (their counts must match).
    public init(
        name: String, x: [Double], y: [Double], color: ChartColor? = nil, isDashed: Bool = false,
        drawsLine: Bool = true
    ) {
        self.init(
            name: name, points: zipPoints(x: x, y: y, operation: "LineSeries \"\(name)\""), color: color,
            isDashed: isDashed, drawsLine: drawsLine)
    }

    /// Creates a series whose x values are the indices 0, 1, 2, …
    public init(name: String, values: [Double], color: ChartColor? = nil) {
        self.init(
            name: name, points: values.enumerated().map { ChartPoint(x: Double($0.offset), y: $0.element) },
            color: color)
    }
}

/// Several named series of (x, y) points drawn as lines, with nice ticks, optional log axes and a legend.
///
/// Non-finite points (and non-positive ones on a log axis) leave gaps instead of failing; a chart with no
/// drawable point renders an empty frame labelled "no data".
///
/// ```swift
/// var chart = LineChart(
///     title: "loss",
///     series: [LineSeries(name: "train", x: [0, 1, 2], y: [0.9, 0.4, 0.2]),
///              LineSeries(name: "validation", x: [0, 1, 2], y: [1.0, 0.6, 0.5])],
///     xAxis: ChartAxis("step"), yAxis: ChartAxis("loss", scale: .logarithmic))
/// chart.showsMarkers = true
/// try chart.renderSVG().write(to: url, atomically: true, encoding: .utf8)
/// ```
public struct LineChart: Chart, Hashable {
    /// The title above the chart; nil for none.
    public var title: String?
    /// The series, drawn in order.
    public var series: [LineSeries]
    /// The horizontal axis.
    public var xAxis: ChartAxis
    /// The vertical axis.
    public var yAxis: ChartAxis
    /// Whether to draw a dot at every point.
    public var showsMarkers: Bool
    /// Whether to draw the legend (when there is at least one named series).
    public var showsLegend: Bool
    /// The size of the SVG.
    public var size: ChartSize

    /// Creates a line chart.
    /// - Parameters:
    ///   - title: The title; nil for none.
    ///   - series: The series.
    ///   - xAxis: The x axis (title, scale, range).
    ///   - yAxis: The y axis.
    ///   - showsMarkers: Whether to mark every point with a dot.
    ///   - showsLegend: Whether to show the legend.
    ///   - size: The SVG size.
    public init(
        title: String? = nil, series: [LineSeries], xAxis: ChartAxis = ChartAxis(), yAxis: ChartAxis = ChartAxis(),
        showsMarkers: Bool = false, showsLegend: Bool = true, size: ChartSize = .standard
    ) {
        self.title = title
        self.series = series
        self.xAxis = xAxis
        self.yAxis = yAxis
        self.showsMarkers = showsMarkers
        self.showsLegend = showsLegend
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

    private func renderer() -> CartesianRenderer {
        var layers: [CartesianRenderer.Layer] = []
        var legend: [LegendEntry] = []
        var hasData = false
        for (index, line) in series.enumerated() {
            let color = line.color ?? ChartColor.series(index)
            if line.drawsLine {
                layers.append(
                    .line(
                        points: line.points, color: color, width: 2, dashed: line.isDashed,
                        markers: showsMarkers))
                legend.append(LegendEntry(label: line.name, color: color, swatch: .line(dashed: line.isDashed)))
            } else {
                layers.append(
                    .dots(
                        points: line.points, colors: Array(repeating: color, count: line.points.count),
                        radius: 3.5, tooltips: nil))
                legend.append(LegendEntry(label: line.name, color: color, swatch: .marker))
            }
            hasData = hasData || line.points.contains { xAxis.scale.accepts($0.x) && yAxis.scale.accepts($0.y) }
        }
        let named = series.contains { !$0.name.isEmpty }
        return CartesianRenderer(
            title: title, size: size, xAxis: xAxis, yAxis: yAxis, layers: layers,
            legend: showsLegend && named ? legend : [], colorBar: nil, hasData: hasData)
    }
}
