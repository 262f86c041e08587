/// Draws everything a chart with x and y axes shares: title, grid, axes, ticks, a clipped data layer,
/// and a legend or colour bar. Line, scatter, ROC and precision-recall charts describe their data as layers.
struct CartesianRenderer {
    enum Layer {
        /// A polyline with gaps at unplottable points, optionally with a marker at every point.
        case line(points: [ChartPoint], color: ChartColor, width: Double, dashed: Bool, markers: Bool)
        /// Dots, each with its own colour.
        case dots(points: [ChartPoint], colors: [ChartColor], radius: Double, tooltips: [String]?)
    }

    var title: String?
    var size: ChartSize
    var xAxis: ChartAxis
    var yAxis: ChartAxis
    var layers: [Layer]
    var legend: [LegendEntry]
    var colorBar: ColorBar?
    /// Whether the chart has any point to draw; when false it shows an empty frame labelled "no data".
    var hasData: Bool

    func layout() -> CartesianLayout {
        var xValues: [Double] = []
        var yValues: [Double] = []
        for layer in layers {
            switch layer {
            case .line(let points, _, _, _, _), .dots(let points, _, _, _):
                for point in points where xAxis.scale.accepts(point.x) && yAxis.scale.accepts(point.y) {
                    xValues.append(point.x)
                    yValues.append(point.y)
                }
            }
        }
        return CartesianLayout.make(
            size: size, title: title, sidePanelWidth: sidePanelWidth, xAxis: xAxis, yAxis: yAxis,
            xValues: xValues, yValues: yValues)
    }

    private var sidePanelWidth: Double {
        if let colorBar { return colorBar.width }
        return hasData ? LegendRenderer.width(for: legend) : 0
    }

    func render() -> String {
        let layout = layout()
        let area = layout.plotArea
        var svg = SVGBuilder(width: size.width, height: size.height, title: title)
        if let title, !title.isEmpty {
            svg.text(
                title, x: size.width / 2, y: 24, anchor: "middle", size: 14, fill: "#111111",
                weight: "bold", className: "chart-title")
        }
        svg.rect(
            x: area.left, y: area.top, width: area.width, height: area.height, fill: "#ffffff",
            stroke: "#cccccc", className: "plot-frame")
        AxisRenderer.drawTitles(xAxis: xAxis, yAxis: yAxis, area: area, into: &svg)
        guard hasData else {
            svg.text(
                "no data", x: area.left + area.width / 2, y: area.top + area.height / 2 + 5,
                anchor: "middle", size: 14, fill: "#888888", className: "no-data")
            return svg.finish()
        }
        AxisRenderer.drawGridAndTicks(layout: layout, into: &svg)
        // A nested viewport with the same coordinates clips the data to the plot area without element ids.
        let box = [area.left, area.top, area.width, area.height].map(ChartNumberFormat.coordinate)
        svg.open(
            "svg",
            [
                ("class", "data"), ("x", box[0]), ("y", box[1]), ("width", box[2]), ("height", box[3]),
                ("viewBox", box.joined(separator: " ")), ("overflow", "hidden"),
            ])
        for layer in layers { draw(layer, layout: layout, into: &svg) }
        svg.close("svg")
        let panelX = area.right + 16
        if let colorBar {
            colorBar.draw(x: panelX, top: area.top, bottom: area.bottom, into: &svg)
        } else {
            LegendRenderer.draw(legend, x: panelX, y: area.top, bottom: area.bottom, into: &svg)
        }
        return svg.finish()
    }

    private func draw(_ layer: Layer, layout: CartesianLayout, into svg: inout SVGBuilder) {
        switch layer {
        case .line(let points, let color, let width, let dashed, let markers):
            var path = PolylinePath()
            for point in points { path.add(layout.position(x: point.x, y: point.y)) }
            svg.path(
                path.d, stroke: color.hexString, width: width, dash: dashed ? "6 4" : nil,
                className: dashed ? "reference-line" : "series-line")
            if markers {
                for point in points {
                    guard let position = layout.position(x: point.x, y: point.y) else { continue }
                    svg.circle(cx: position.x, cy: position.y, radius: 3, fill: color.hexString, className: "marker")
                }
            }
        case .dots(let points, let colors, let radius, let tooltips):
            for (index, point) in points.enumerated() {
                guard let position = layout.position(x: point.x, y: point.y) else { continue }
                svg.circle(
                    cx: position.x, cy: position.y, radius: radius, fill: colors[index].hexString,
                    className: "dot", tooltip: tooltips?[index])
            }
        }
    }
}

/// Draws axis titles, grid lines, tick marks and tick labels.
enum AxisRenderer {
    static func drawTitles(xAxis: ChartAxis, yAxis: ChartAxis, area: PlotArea, into svg: inout SVGBuilder) {
        if !xAxis.title.isEmpty {
            svg.text(
                truncated(xAxis.title, to: 80), x: area.left + area.width / 2, y: area.bottom + 40,
                anchor: "middle", size: 12, fill: "#222222", className: "axis-title")
        }
        if !yAxis.title.isEmpty {
            let x = area.left - 52
            let y = area.top + area.height / 2
            svg.text(
                truncated(yAxis.title, to: 60), x: x, y: y, anchor: "middle", size: 12, fill: "#222222",
                rotation: -90, className: "axis-title")
        }
    }

    static func drawGridAndTicks(layout: CartesianLayout, into svg: inout SVGBuilder) {
        let area = layout.plotArea
        svg.open("g", [("class", "axes")])
        let xLabels = AxisTicks.labels(for: layout.xTicks, scale: layout.x.scale)
        for (tick, label) in zip(layout.xTicks, xLabels) {
            guard let x = layout.x.position(of: tick) else { continue }
            svg.line(x1: x, y1: area.top, x2: x, y2: area.bottom, stroke: "#ececec", className: "grid")
            svg.line(x1: x, y1: area.bottom, x2: x, y2: area.bottom + 5, stroke: "#555555", className: "tick-x")
            svg.text(label, x: x, y: area.bottom + 18, anchor: "middle", size: 11, fill: "#444444")
        }
        let yLabels = AxisTicks.labels(for: layout.yTicks, scale: layout.y.scale)
        for (tick, label) in zip(layout.yTicks, yLabels) {
            guard let y = layout.y.position(of: tick) else { continue }
            svg.line(x1: area.left, y1: y, x2: area.right, y2: y, stroke: "#ececec", className: "grid")
            svg.line(x1: area.left - 5, y1: y, x2: area.left, y2: y, stroke: "#555555", className: "tick-y")
            svg.text(label, x: area.left - 8, y: y + 4, anchor: "end", size: 11, fill: "#444444")
        }
        svg.line(x1: area.left, y1: area.bottom, x2: area.right, y2: area.bottom, stroke: "#555555")
        svg.line(x1: area.left, y1: area.top, x2: area.left, y2: area.bottom, stroke: "#555555")
        svg.close("g")
    }
}
