/// One cell of an ``HTMLTable``.
public struct HTMLTableCell: Sendable, Hashable, ExpressibleByStringLiteral {
    /// How a cell stands out.
    public enum Emphasis: Sendable, Hashable {
        /// Plain.
        case none
        /// Highlighted background (for example a parameter that differs between runs).
        case highlighted
        /// Bold and green (for example the best value in a column).
        case best
    }

    /// The text, escaped when rendered.
    public var text: String
    /// Whether the cell holds a number (right-aligned, tabular digits).
    public var isNumeric: Bool
    /// How the cell stands out.
    public var emphasis: Emphasis

    /// Creates a cell.
    public init(_ text: String, isNumeric: Bool = false, emphasis: Emphasis = .none) {
        self.text = text
        self.isNumeric = isNumeric
        self.emphasis = emphasis
    }

    /// Creates a numeric cell printed with ``ChartNumberFormat/string(_:significantDigits:)``.
    public init(number: Double, significantDigits: Int = 6, emphasis: Emphasis = .none) {
        self.init(
            ChartNumberFormat.string(number, significantDigits: significantDigits), isNumeric: true,
            emphasis: emphasis)
    }

    /// Creates a plain text cell from a string literal.
    public init(stringLiteral value: String) {
        self.init(value)
    }

    var classAttribute: String? {
        var classes: [String] = []
        if isNumeric { classes.append("number") }
        switch emphasis {
        case .none: break
        case .highlighted: classes.append("highlight")
        case .best: classes.append("best")
        }
        return classes.isEmpty ? nil : classes.joined(separator: " ")
    }
}

/// A data table: a header row and rows of cells.
///
/// ```swift
/// let table = HTMLTable(headers: ["metric", "latest", "best"],
///                       rows: [["loss", HTMLTableCell(number: 0.21), HTMLTableCell(number: 0.19, emphasis: .best)]])
/// ```
public struct HTMLTable: Sendable, Hashable {
    /// The column headers.
    public var headers: [String]
    /// The rows; each may be shorter than the header (missing cells render empty).
    public var rows: [[HTMLTableCell]]
    /// A caption above the table, or nil.
    public var caption: String?

    /// Creates a table.
    public init(headers: [String], rows: [[HTMLTableCell]], caption: String? = nil) {
        self.headers = headers
        self.rows = rows
        self.caption = caption
    }

    /// Two columns, "key" and "value", one row per pair, keeping the pairs' order.
    public static func keyValue(_ pairs: [(key: String, value: String)], caption: String? = nil) -> HTMLTable {
        HTMLTable(headers: [], rows: pairs.map { [HTMLTableCell($0.key), HTMLTableCell($0.value)] }, caption: caption)
    }

    func render(into html: inout String) {
        let width = max(headers.count, rows.map(\.count).max() ?? 0)
        html += "<table>"
        if let caption { html += "<caption>" + escapeXML(caption) + "</caption>" }
        if !headers.isEmpty {
            html += "<thead><tr>"
            for index in 0..<width {
                html += "<th>" + escapeXML(index < headers.count ? headers[index] : "") + "</th>"
            }
            html += "</tr></thead>"
        }
        html += "<tbody>"
        for row in rows {
            html += "<tr>"
            for index in 0..<width {
                let cell = index < row.count ? row[index] : HTMLTableCell("")
                // A key-value table (no headers) shows its first column as row headers.
                let tag = headers.isEmpty && index == 0 ? "th" : "td"
                html += "<" + tag
                if let classes = cell.classAttribute { html += " class=\"" + classes + "\"" }
                if tag == "th" { html += " scope=\"row\"" }
                html += ">" + escapeXML(cell.text) + "</" + tag + ">"
            }
            html += "</tr>"
        }
        html += "</tbody></table>"
    }
}
