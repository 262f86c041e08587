/// One bar: a category label and its value.
public struct Bar: Sendable, Hashable {
    /// The category label.
    public var label: String
    /// The value; NaN or infinite values leave the slot empty.
    public var value: Double
    /// The colour, or nil for the chart's colour.
    public var color: ChartColor?

    /// Creates a bar.
    public init(label: String, value: Double, color: ChartColor? = nil) {
        self.label = label
        self.value = value
        self.color = color
    }
}

/// Bars for categories, vertical or horizontal (horizontal suits long labels, such as parameter names).
///
/// ```swift
/// let importances = BarChart(
///     title: "Parameter importances",
///     bars: [Bar(label: "lr", value: 0.71), Bar(label: "batch_size", value: 0.22)],
///     valueAxis: ChartAxis("importance"), orientation: .horizontal)
/// ```
public struct BarChart: Chart, Hashable {
    /// Which way the bars grow.
    public enum Orientation: Sendable, Hashable {
        /// Bars grow upwards from the baseline; labels under the plot.
        case vertical
        /// Bars grow rightwards; labels to the left of the plot.
        case horizontal
    }

    /// The title; nil for none.
    public var title: String?
    /// The bars, in drawing order (top to bottom when horizontal, left to right when vertical).
    public var bars: [Bar]
    /// The value axis; only a linear scale is supported (a logarithmic request is drawn linear).
    public var valueAxis: ChartAxis
    /// Which way the bars grow.
    public var orientation: Orientation
    /// The default bar colour.
    public var color: ChartColor
    /// Whether to print each value at the end of its bar.
    public var showsValues: Bool
    /// The size of the SVG.
    public var size: ChartSize

    /// Creates a bar chart.
    public init(
        title: String? = nil, bars: [Bar], valueAxis: ChartAxis = ChartAxis(), orientation: Orientation = .vertical,
        color: ChartColor = ChartColor.series(0), showsValues: Bool = true, size: ChartSize = .standard
    ) {
        self.title = title
        self.bars = bars
        self.valueAxis = ChartAxis(valueAxis.title, scale: .linear, range: valueAxis.range)
        self.orientation = orientation
        self.color = color
        self.showsValues = showsValues
        self.size = size
    }

    /// The SVG document.
    public func renderSVG() -> String {
        var svg = SVGBuilder(width: size.width, height: size.height, title: title)
        let hasTitle = !(title ?? "").isEmpty
        if let title, hasTitle {
            svg.text(
                title, x: size.width / 2, y: 24, anchor: "middle", size: 14, fill: "#111111", weight: "bold",
                className: "chart-title")
        }
        let longestLabel = bars.map { estimatedTextWidth(truncated($0.label, to: 28), fontSize: 11) }.max() ?? 0
        var margins = ChartMargins(left: 56, right: 24, top: hasTitle ? 40 : 16, bottom: 40)
        switch orientation {
        case .horizontal: margins.left = max(56, min(220, longestLabel + 16))
        case .vertical: margins.bottom = max(40, min(140, longestLabel * 0.72 + 24))
        }
        if !valueAxis.title.isEmpty {
            if orientation == .vertical { margins.left += 14 } else { margins.bottom += 18 }
        }
        let area = margins.plotArea(in: size)
        svg.rect(
            x: area.left, y: area.top, width: area.width, height: area.height, fill: "#ffffff",
            stroke: "#cccccc", className: "plot-frame")
        let values = bars.map(\.value).filter(\.isFinite)
        guard !values.isEmpty else {
            svg.text(
                "no data", x: area.left + area.width / 2, y: area.top + area.height / 2 + 5, anchor: "middle",
                size: 14, fill: "#888888", className: "no-data")
            return svg.finish()
        }
        let horizontal = orientation == .horizontal
        let tickCount = min(10, max(2, Int((horizontal ? area.width : area.height) / 70)))
        // Bars start at zero, so the domain always includes it.
        let domain = valueAxis.resolvedDomain(for: values + [0], tickCount: tickCount)
        let mapping =
            horizontal
            ? ScaleMapping(domain: domain, start: area.left, end: area.right, scale: .linear)
            : ScaleMapping(domain: domain, start: area.bottom, end: area.top, scale: .linear)
        let ticks = valueAxis.ticks(for: domain, tickCount: tickCount)
        drawValueAxis(ticks: ticks, mapping: mapping, area: area, into: &svg)
        let slot = (horizontal ? area.height : area.width) / Double(bars.count)
        let thickness = min(slot * 0.7, 40)
        let baseline = mapping.position(of: min(max(0, domain.lowerBound), domain.upperBound)) ?? mapping.start
        for (index, bar) in bars.enumerated() {
            let center = (horizontal ? area.top : area.left) + slot * (Double(index) + 0.5)
            let label = truncated(bar.label, to: 28)
            if horizontal {
                svg.text(label, x: area.left - 6, y: center + 4, anchor: "end", size: 11, className: "bar-label")
            } else {
                svg.text(
                    label, x: center, y: area.bottom + 14, anchor: "end", size: 11, rotation: -45,
                    className: "bar-label")
            }
            guard let end = mapping.position(of: bar.value) else { continue }
            let fill = (bar.color ?? color).hexString
            let tooltip = "\(bar.label): \(ChartNumberFormat.string(bar.value))"
            if horizontal {
                svg.rect(
                    x: min(baseline, end), y: center - thickness / 2, width: abs(end - baseline),
                    height: thickness, fill: fill, className: "bar", tooltip: tooltip)
                if showsValues {
                    let outside = bar.value >= 0 ? end + 4 : end - 4
                    svg.text(
                        ChartNumberFormat.string(bar.value, significantDigits: 3), x: outside, y: center + 4,
                        anchor: bar.value >= 0 ? "start" : "end", size: 10, fill: "#444444")
                }
            } else {
                svg.rect(
                    x: center - thickness / 2, y: min(baseline, end), width: thickness,
                    height: abs(end - baseline), fill: fill, className: "bar", tooltip: tooltip)
                if showsValues {
                    let outside = bar.value >= 0 ? end - 4 : end + 12
                    svg.text(
                        ChartNumberFormat.string(bar.value, significantDigits: 3), x: center, y: outside,
                        anchor: "middle", size: 10, fill: "#444444")
                }
            }
        }
        return svg.finish()
    }

    private func drawValueAxis(ticks: [Double], mapping: ScaleMapping, area: PlotArea, into svg: inout SVGBuilder) {
        let labels = AxisTicks.labels(for: ticks, scale: .linear)
        svg.open("g", [("class", "axes")])
        for (tick, label) in zip(ticks, labels) {
            guard let position = mapping.position(of: tick) else { continue }
            if orientation == .horizontal {
                svg.line(
                    x1: position, y1: area.top, x2: position, y2: area.bottom, stroke: "#ececec",
                    className: "grid")
                svg.text(label, x: position, y: area.bottom + 16, anchor: "middle", size: 11, fill: "#444444")
            } else {
                svg.line(
                    x1: area.left, y1: position, x2: area.right, y2: position, stroke: "#ececec",
                    className: "grid")
                svg.text(label, x: area.left - 6, y: position + 4, anchor: "end", size: 11, fill: "#444444")
            }
        }
        svg.close("g")
        guard !valueAxis.title.isEmpty else { return }
        if orientation == .horizontal {
            svg.text(
                valueAxis.title, x: area.left + area.width / 2, y: area.bottom + 34, anchor: "middle", size: 12,
                fill: "#222222", className: "axis-title")
        } else {
            svg.text(
                valueAxis.title, x: area.left - 50, y: area.top + area.height / 2, anchor: "middle", size: 12,
                fill: "#222222", rotation: -90, className: "axis-title")
        }
    }
}
