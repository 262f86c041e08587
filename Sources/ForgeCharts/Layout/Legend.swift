/// One legend row: a swatch in the series style and its name.
struct LegendEntry {
    enum Swatch {
        case line(dashed: Bool)
        case marker
        case block
    }

    var label: String
    var color: ChartColor
    var swatch: Swatch
}

/// Draws a legend as a column to the right of the plot area.
enum LegendRenderer {
    static let maximumLabelLength = 32
    static let rowHeight = 18.0

    /// The width the legend needs for `entries` (0 when there is nothing to show).
    static func width(for entries: [LegendEntry]) -> Double {
        guard !entries.isEmpty else { return 0 }
        let longest =
            entries.map { estimatedTextWidth(truncated($0.label, to: maximumLabelLength), fontSize: 11) }
            .max() ?? 0
        return min(240, 34 + longest)
    }

    /// Draws the entries starting at the top-left corner `(x, y)`, as many as fit above `bottom`.
    static func draw(_ entries: [LegendEntry], x: Double, y: Double, bottom: Double, into svg: inout SVGBuilder) {
        guard !entries.isEmpty else { return }
        svg.open("g", [("class", "legend")])
        var rowTop = y
        for (index, entry) in entries.enumerated() {
            if rowTop + rowHeight > bottom + 4 {
                svg.text("+\(entries.count - index) more", x: x + 4, y: rowTop + 12, size: 10, fill: "#666666")
                break
            }
            let middle = rowTop + rowHeight / 2
            switch entry.swatch {
            case .line(let dashed):
                svg.line(
                    x1: x + 4, y1: middle, x2: x + 24, y2: middle, stroke: entry.color.hexString, width: 2,
                    dash: dashed ? "5 3" : nil)
            case .marker:
                svg.circle(cx: x + 14, cy: middle, radius: 4, fill: entry.color.hexString)
            case .block:
                svg.rect(x: x + 6, y: middle - 5, width: 16, height: 10, fill: entry.color.hexString)
            }
            svg.text(
                truncated(entry.label, to: maximumLabelLength), x: x + 30, y: middle + 4, size: 11,
                className: "legend-label")
            rowTop += rowHeight
        }
        svg.close("g")
    }
}
