/// A confusion matrix as a heat map: true classes down the rows, predicted classes across the columns.
///
/// Cells are coloured by count (or by row fraction when normalized) and annotated with their value in black
/// or white, whichever contrasts more with the cell colour.
///
/// ```swift
/// let chart = ConfusionMatrixChart(
///     labels: ["cat", "dog"], counts: [[40, 10], [5, 45]], normalization: .byRow)
/// ```
public struct ConfusionMatrixChart: Chart, Hashable {
    /// How cell values are shown.
    public enum Normalization: Sendable, Hashable {
        /// Raw counts.
        case none
        /// Each row divided by its total: the fraction of each true class predicted as each class (recall on
        /// the diagonal).
        case byRow
    }

    /// The title; nil for none.
    public var title: String?
    /// The class labels, in row and column order.
    public var labels: [String]
    /// `counts[trueClass][predictedClass]`.
    public var counts: [[Int]]
    /// Raw counts or row fractions.
    public var normalization: Normalization
    /// The colour scale, low to high.
    public var colorScale: ColorScale
    /// Whether each cell prints its value.
    public var showsValues: Bool
    /// The size of the SVG, or nil to size it from the number of classes.
    public var size: ChartSize?

    /// Creates a confusion-matrix chart.
    /// - Parameters:
    ///   - title: The title; nil for none.
    ///   - labels: The class labels.
    ///   - counts: A square matrix with one row and one column per label (`counts[true][predicted]`).
    ///   - normalization: `.none` for counts, `.byRow` for row fractions.
    ///   - colorScale: The cell colours (default: white to blue).
    ///   - showsValues: Whether to print values in cells.
    ///   - size: A fixed size, or nil for one that fits the classes.
    public init(
        title: String? = nil, labels: [String], counts: [[Int]], normalization: Normalization = .none,
        colorScale: ColorScale = .blues, showsValues: Bool = true, size: ChartSize? = nil
    ) {
        precondition(
            counts.count == labels.count && counts.allSatisfy { $0.count == labels.count },
            "ConfusionMatrixChart: counts must be \(labels.count) × \(labels.count) for \(labels.count) labels, "
                + "got \(counts.count) rows of lengths \(counts.map(\.count))")
        self.title = title
        self.labels = labels
        self.counts = counts
        self.normalization = normalization
        self.colorScale = colorScale
        self.showsValues = showsValues
        self.size = size
    }

    /// The value each cell shows: the count, or the count over its row total (0 for an empty row).
    public func cellValue(row: Int, column: Int) -> Double {
        let count = Double(counts[row][column])
        switch normalization {
        case .none: return count
        case .byRow:
            // Summed as Double: counts come from stored data and must not overflow.
            let total = counts[row].reduce(0.0) { $0 + Double($1) }
            return total > 0 ? count / total : 0
        }
    }

    /// The SVG document.
    public func renderSVG() -> String {
        let classCount = labels.count
        let longest = labels.map { estimatedTextWidth(truncated($0, to: 20), fontSize: 11) }.max() ?? 0
        let hasTitle = !(title ?? "").isEmpty
        let left = 40 + longest
        let top = (hasTitle ? 40.0 : 16) + 20
        let bottom = 36 + longest * 0.72
        let colorBarWidth = 74.0
        // Cells shrink from 44 px towards 12 px as classes grow, so 100 classes still fit about 1 200 px.
        let automaticCell = min(44, max(12, 640 / Double(max(classCount, 1))))
        let size =
            self.size
            ?? ChartSize(
                width: left + Double(max(classCount, 2)) * automaticCell + colorBarWidth + 36,
                height: max(200, top + Double(max(classCount, 2)) * automaticCell + bottom))
        var svg = SVGBuilder(width: size.width, height: size.height, title: title)
        if let title, hasTitle {
            svg.text(
                title, x: size.width / 2, y: 24, anchor: "middle", size: 14, fill: "#111111", weight: "bold",
                className: "chart-title")
        }
        let available = min(size.width - left - colorBarWidth - 36, size.height - top - bottom)
        guard classCount > 0, available > 0 else {
            svg.text(
                "no data", x: size.width / 2, y: size.height / 2, anchor: "middle", size: 14, fill: "#888888",
                className: "no-data")
            return svg.finish()
        }
        let cell = available / Double(classCount)
        let gridSize = cell * Double(classCount)
        var maximum = 0.0
        for row in 0..<classCount {
            for column in 0..<classCount { maximum = max(maximum, cellValue(row: row, column: column)) }
        }
        let range = 0...(normalization == .byRow ? 1 : max(1, maximum))
        let fontSize = min(12, max(7, cell * 0.3))
        svg.open("g", [("class", "cells")])
        for row in 0..<classCount {
            for column in 0..<classCount {
                let value = cellValue(row: row, column: column)
                let fill = colorScale.color(for: value, in: range)
                let x = left + Double(column) * cell
                let y = top + Double(row) * cell
                let tooltip = "true \(labels[row]), predicted \(labels[column]): \(counts[row][column])"
                svg.rect(
                    x: x, y: y, width: cell, height: cell, fill: fill.hexString, stroke: "#ffffff",
                    className: "cell", tooltip: tooltip)
                guard showsValues, cell >= 14 else { continue }
                let text =
                    normalization == .byRow
                    ? ChartNumberFormat.fixed(value, fractionDigits: 2) : String(counts[row][column])
                svg.text(
                    text, x: x + cell / 2, y: y + cell / 2 + fontSize * 0.35, anchor: "middle", size: fontSize,
                    fill: fill.contrastingTextColor.hexString, className: "cell-value")
            }
        }
        svg.close("g")
        for (index, label) in labels.enumerated() {
            let center = Double(index) * cell + cell / 2
            svg.text(
                truncated(label, to: 20), x: left - 6, y: top + center + 4, anchor: "end", size: 11,
                className: "row-label")
            svg.text(
                truncated(label, to: 20), x: left + center, y: top + gridSize + 14, anchor: "end", size: 11,
                rotation: -45, className: "column-label")
        }
        svg.text(
            "predicted", x: left + gridSize / 2, y: top - 8, anchor: "middle", size: 12, fill: "#222222",
            className: "axis-title")
        svg.text(
            "true", x: 14, y: top + gridSize / 2, anchor: "middle", size: 12, fill: "#222222", rotation: -90,
            className: "axis-title")
        let bar = ColorBar(
            title: normalization == .byRow ? "fraction of row" : "count", scale: colorScale,
            range: range)
        bar.draw(x: left + gridSize + 20, top: top, bottom: top + gridSize, into: &svg)
        return svg.finish()
    }
}
