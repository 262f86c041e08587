/// One vertical axis of a parallel-coordinates chart.
public struct ParallelAxis: Sendable, Hashable {
    /// What the axis holds.
    public enum Kind: Sendable, Hashable {
        /// Numbers, on a linear or logarithmic scale, with a fixed range or (nil) the records' extent.
        case numeric(scale: AxisScale, range: ClosedRange<Double>?)
        /// Categories, spaced evenly in the order given (values not listed are appended in order of appearance).
        case categorical(labels: [String])
    }

    /// The axis name, printed above it.
    public var name: String
    /// Numeric or categorical.
    public var kind: Kind

    /// Creates an axis.
    public init(name: String, kind: Kind) {
        self.name = name
        self.kind = kind
    }

    /// A numeric axis.
    public static func numeric(_ name: String, scale: AxisScale = .linear, range: ClosedRange<Double>? = nil)
        -> ParallelAxis
    {
        ParallelAxis(name: name, kind: .numeric(scale: scale, range: range))
    }

    /// A categorical axis.
    public static func categorical(_ name: String, labels: [String] = []) -> ParallelAxis {
        ParallelAxis(name: name, kind: .categorical(labels: labels))
    }
}

/// One value of a record on one axis.
public enum ParallelValue: Sendable, Hashable {
    /// A number, for a numeric axis.
    case number(Double)
    /// A category, for a categorical axis.
    case category(String)
    /// No value: the record's line breaks at this axis.
    case missing
}

/// One polyline of a parallel-coordinates chart: a value per axis and the objective that colours it.
public struct ParallelRecord: Sendable, Hashable {
    /// One value per axis, in axis order.
    public var values: [ParallelValue]
    /// The value that colours the line (NaN draws it grey).
    public var objective: Double
    /// A label for the line's tooltip (a run or trial name).
    public var label: String

    /// Creates a record.
    public init(values: [ParallelValue], objective: Double, label: String = "") {
        self.values = values
        self.objective = objective
        self.label = label
    }
}

/// Parallel coordinates: one vertical axis per dimension, one polyline per record coloured by its objective,
/// with a colour bar. The objective is also drawn as the last axis unless `showsObjectiveAxis` is false.
///
/// ```swift
/// let chart = ParallelCoordinatesChart(
///     axes: [.numeric("lr", scale: .logarithmic), .categorical("optimizer"), .numeric("layers")],
///     records: trials.map { ParallelRecord(values: [.number($0.lr), .category($0.optimizer),
///                                                  .number($0.layers)], objective: $0.loss) },
///     objectiveName: "loss")
/// ```
public struct ParallelCoordinatesChart: Chart, Hashable {
    /// The title; nil for none.
    public var title: String?
    /// The axes, left to right.
    public var axes: [ParallelAxis]
    /// The records.
    public var records: [ParallelRecord]
    /// The objective's name (colour bar and objective axis title).
    public var objectiveName: String
    /// Whether to add the objective as the rightmost axis.
    public var showsObjectiveAxis: Bool
    /// The colour scale for the objective.
    public var colorScale: ColorScale
    /// The size of the SVG.
    public var size: ChartSize

    /// Creates a parallel-coordinates chart; every record needs one value per axis.
    public init(
        title: String? = nil, axes: [ParallelAxis], records: [ParallelRecord], objectiveName: String = "objective",
        showsObjectiveAxis: Bool = true, colorScale: ColorScale = .viridis,
        size: ChartSize = ChartSize(width: 800, height: 420)
    ) {
        for (index, record) in records.enumerated() {
            precondition(
                record.values.count == axes.count,
                "ParallelCoordinatesChart: record \(index) has \(record.values.count) values for \(axes.count) axes")
        }
        self.title = title
        self.axes = axes
        self.records = records
        self.objectiveName = objectiveName
        self.showsObjectiveAxis = showsObjectiveAxis
        self.colorScale = colorScale
        self.size = size
    }

    /// The axes drawn, with the objective axis appended when shown, and each record's values to match.
    func drawnAxes() -> (axes: [ParallelAxis], rows: [[ParallelValue]]) {
        guard showsObjectiveAxis else { return (axes, records.map(\.values)) }
        return (axes + [.numeric(objectiveName)], records.map { $0.values + [.number($0.objective)] })
    }

    /// The horizontal position of each drawn axis and the vertical position of every record on every axis
    /// (nil where the value is missing or cannot be shown), for a plot between `top` and `bottom`.
    public func positions(top: Double, bottom: Double, left: Double, right: Double)
        -> (axisX: [Double], recordY: [[Double?]])
    {
        let (drawn, rows) = drawnAxes()
        let count = drawn.count
        let axisX = (0..<count).map {
            count == 1 ? (left + right) / 2 : left + (right - left) * Double($0) / Double(count - 1)
        }
        let placers = drawn.enumerated().map { index, axis in
            ParallelAxisPlacer(axis: axis, column: rows.map { $0[index] }, top: top, bottom: bottom)
        }
        let recordY = rows.map { row in row.enumerated().map { placers[$0.offset].position(of: $0.element) } }
        return (axisX, recordY)
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
        let (drawn, rows) = drawnAxes()
        let top = (hasTitle ? 40.0 : 16) + 28
        let bottom = size.height - 28
        let left = 56.0
        let colorBarWidth = 74.0
        let right = size.width - colorBarWidth - 56
        guard !drawn.isEmpty, !records.isEmpty else {
            svg.text(
                "no data", x: size.width / 2, y: size.height / 2, anchor: "middle", size: 14, fill: "#888888",
                className: "no-data")
            return svg.finish()
        }
        let (axisX, recordY) = positions(top: top, bottom: bottom, left: left, right: right)
        let objectives = records.map(\.objective).filter(\.isFinite)
        let range = (objectives.min() ?? 0)...(objectives.max() ?? 1)
        // Draw lines from low to high objective so the extreme colours end on top; NaN objectives first.
        let order = records.indices.sorted {
            let a = records[$0].objective.isFinite ? records[$0].objective : -.infinity
            let b = records[$1].objective.isFinite ? records[$1].objective : -.infinity
            return a == b ? $0 < $1 : a < b
        }
        svg.open("g", [("class", "records"), ("fill", "none"), ("stroke-width", "1.5"), ("stroke-opacity", "0.75")])
        for index in order {
            var path = PolylinePath()
            for (axis, y) in recordY[index].enumerated() {
                path.add(y.map { (axisX[axis], $0) })
            }
            guard !path.d.isEmpty else { continue }
            let color = colorScale.color(for: records[index].objective, in: range)
            var attributes = [("class", "record"), ("d", path.d), ("stroke", color.hexString)]
            if records[index].label.isEmpty {
                svg.element("path", attributes)
            } else {
                attributes.append(("fill", "none"))
                svg.open("path", attributes)
                svg.element("title", [], text: records[index].label)
                svg.close("path")
            }
        }
        svg.close("g")
        for (index, axis) in drawn.enumerated() {
            let placer = ParallelAxisPlacer(axis: axis, column: rows.map { $0[index] }, top: top, bottom: bottom)
            placer.draw(name: axis.name, x: axisX[index], into: &svg)
        }
        ColorBar(title: objectiveName, scale: colorScale, range: range)
            .draw(x: size.width - colorBarWidth - 8, top: top, bottom: bottom, into: &svg)
        return svg.finish()
    }
}

/// Places the values of one parallel axis vertically and draws the axis.
struct ParallelAxisPlacer {
    enum Placement {
        case numeric(ScaleMapping, ticks: [Double])
        case categorical(labels: [String], top: Double, bottom: Double)
    }

    let placement: Placement

    init(axis: ParallelAxis, column: [ParallelValue], top: Double, bottom: Double) {
        switch axis.kind {
        case .numeric(let scale, let range):
            let values = column.compactMap { value -> Double? in
                if case .number(let number) = value { return number }
                return nil
            }
            let description = ChartAxis(axis.name, scale: scale, range: range)
            let tickCount = max(2, Int((bottom - top) / 60))
            // Each axis spans exactly its records' extent (as Optuna and Plotly draw them), so lines use the
            // full height; ticks fall on nice values inside.
            let domain =
                description.exactDomain(for: values)
                ?? description.resolvedDomain(for: values, tickCount: tickCount)
            placement = .numeric(
                ScaleMapping(domain: domain, start: bottom, end: top, scale: scale),
                ticks: description.ticks(for: domain, tickCount: tickCount))
        case .categorical(let given):
            var labels = given
            var known = Set(given)
            for case .category(let label) in column where !known.contains(label) {
                labels.append(label)
                known.insert(label)
            }
            placement = .categorical(labels: labels, top: top, bottom: bottom)
        }
    }

    func position(of value: ParallelValue) -> Double? {
        switch (placement, value) {
        case (.numeric(let mapping, _), .number(let number)):
            return mapping.position(of: number)
        case (.categorical(let labels, let top, let bottom), .category(let label)):
            guard let index = labels.firstIndex(of: label) else { return nil }
            if labels.count == 1 { return (top + bottom) / 2 }
            return bottom - (bottom - top) * Double(index) / Double(labels.count - 1)
        default:
            return nil
        }
    }

    func draw(name: String, x: Double, into svg: inout SVGBuilder) {
        svg.open("g", [("class", "parallel-axis")])
        let (top, bottom): (Double, Double)
        var marks: [(Double, String)] = []
        switch placement {
        case .numeric(let mapping, let ticks):
            (top, bottom) = (mapping.end, mapping.start)
            let labels = AxisTicks.labels(for: ticks, scale: mapping.scale)
            for (tick, label) in zip(ticks, labels) {
                if let y = mapping.position(of: tick) { marks.append((y, label)) }
            }
        case .categorical(let labels, let categoryTop, let categoryBottom):
            (top, bottom) = (categoryTop, categoryBottom)
            for label in labels {
                if let y = position(of: .category(label)) { marks.append((y, truncated(label, to: 14))) }
            }
        }
        svg.line(x1: x, y1: top, x2: x, y2: bottom, stroke: "#333333", width: 1.5, className: "axis-line")
        for (y, label) in marks {
            svg.line(x1: x - 4, y1: y, x2: x, y2: y, stroke: "#333333")
            svg.text(label, x: x - 6, y: y + 4, anchor: "end", size: 10, fill: "#333333", halo: true)
        }
        svg.text(
            truncated(name, to: 18), x: x, y: top - 12, anchor: "middle", size: 11, fill: "#111111",
            weight: "bold", className: "axis-name", halo: true)
        svg.close("g")
    }
}
