public import Foundation

/// A self-contained HTML report: headings, paragraphs, tables and SVG figures, with inline CSS and no scripts.
///
/// All text is HTML-escaped, and the output is also well-formed XML (XHTML-compatible), so it can be
/// checked with an XML parser. Figures are inline SVG; nothing is loaded from elsewhere.
///
/// ```swift
/// var report = HTMLDocument(title: "Run 7f3a")
/// report.addHeading("Parameters")
/// report.addTable(.keyValue([("lr", "0.001"), ("optimizer", "adam")]))
/// report.addFigure(LineChart(series: [LineSeries(name: "loss", values: losses)]), caption: "Training loss")
/// try report.write(to: URL(fileURLWithPath: "report.html"))
/// ```
public struct HTMLDocument: Sendable, Hashable {
    /// One piece of the document body, in order.
    public enum Block: Sendable, Hashable {
        /// A heading of level 1 through 4.
        case heading(String, level: Int)
        /// A paragraph of plain text.
        case paragraph(String)
        /// A short note in muted text.
        case note(String)
        /// A table.
        case table(HTMLTable)
        /// An SVG figure (a chart's SVG document) with an optional caption.
        case figure(svg: String, caption: String?)
        /// A flowing row of figures that wraps to the page width.
        case figureGrid([Figure])
    }

    /// A rendered chart and its caption.
    public struct Figure: Sendable, Hashable {
        /// The SVG document.
        public var svg: String
        /// The caption, or nil.
        public var caption: String?

        /// Creates a figure from a chart.
        public init(_ chart: some Chart, caption: String? = nil) {
            self.svg = chart.renderSVG()
            self.caption = caption
        }
    }

    /// The document title (the `<title>` and the first heading).
    public var title: String
    /// The body, in order.
    public var blocks: [Block]
    /// Extra CSS appended after the default style sheet.
    public var extraCSS: String

    /// Creates an empty document.
    public init(title: String, extraCSS: String = "") {
        self.title = title
        self.blocks = []
        self.extraCSS = extraCSS
    }

    /// Appends a heading (level 2 by default; the title is the only level 1).
    public mutating func addHeading(_ text: String, level: Int = 2) {
        blocks.append(.heading(text, level: min(4, max(1, level))))
    }

    /// Appends a paragraph.
    public mutating func addParagraph(_ text: String) {
        blocks.append(.paragraph(text))
    }

    /// Appends a short muted note.
    public mutating func addNote(_ text: String) {
        blocks.append(.note(text))
    }

    /// Appends a table.
    public mutating func addTable(_ table: HTMLTable) {
        blocks.append(.table(table))
    }

    /// Appends a two-column key–value table.
    public mutating func addKeyValueTable(_ pairs: [(key: String, value: String)], caption: String? = nil) {
        blocks.append(.table(.keyValue(pairs, caption: caption)))
    }

    /// Appends a chart as a figure with an optional caption.
    public mutating func addFigure(_ chart: some Chart, caption: String? = nil) {
        blocks.append(.figure(svg: chart.renderSVG(), caption: caption))
    }

    /// Appends several figures that flow side by side.
    public mutating func addFigureGrid(_ figures: [Figure]) {
        guard !figures.isEmpty else { return }
        blocks.append(.figureGrid(figures))
    }

    /// The complete HTML document.
    public func render() -> String {
        var html = "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\"><head>"
        html += "<meta charset=\"utf-8\"/>"
        html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>"
        html += "<meta name=\"generator\" content=\"ForgeCharts\"/>"
        html += "<title>" + escapeXML(title) + "</title>"
        html += "<style>" + Self.styleSheet + sanitizedCSS(extraCSS) + "</style>"
        html += "</head>\n<body><main>\n<h1>" + escapeXML(title) + "</h1>\n"
        for block in blocks {
            render(block, into: &html)
            html += "\n"
        }
        html += "</main></body></html>\n"
        return html
    }

    /// Writes the document atomically as UTF-8.
    /// - Throws: The file system's error when the file cannot be written.
    public func write(to url: URL) throws {
        try Data(render().utf8).write(to: url, options: .atomic)
    }

    private func render(_ block: Block, into html: inout String) {
        switch block {
        case .heading(let text, let level):
            html += "<h\(level)>" + escapeXML(text) + "</h\(level)>"
        case .paragraph(let text):
            html += "<p>" + escapeXML(text) + "</p>"
        case .note(let text):
            html += "<p class=\"note\">" + escapeXML(text) + "</p>"
        case .table(let table):
            html += "<div class=\"table-wrap\">"
            table.render(into: &html)
            html += "</div>"
        case .figure(let svg, let caption):
            renderFigure(svg: svg, caption: caption, into: &html)
        case .figureGrid(let figures):
            html += "<div class=\"figure-grid\">"
            for figure in figures { renderFigure(svg: figure.svg, caption: figure.caption, into: &html) }
            html += "</div>"
        }
    }

    private func renderFigure(svg: String, caption: String?, into html: inout String) {
        html += "<figure>" + svg
        if let caption { html += "<figcaption>" + escapeXML(caption) + "</figcaption>" }
        html += "</figure>"
    }

    /// Extra CSS cannot close the style element or introduce markup.
    private func sanitizedCSS(_ css: String) -> String {
        css.replacingOccurrences(of: "<", with: "").replacingOccurrences(of: "&", with: "")
    }

    /// The default style sheet: readable type, zebra tables, highlighted and best cells, flowing figures.
    static let styleSheet = """
        body{margin:0;background:#f6f7f9;color:#1d2329;font:14px/1.45 -apple-system,'Segoe UI',Helvetica,Arial,\
        sans-serif}\
        main{max-width:1240px;margin:0 auto;padding:24px 32px 48px;background:#ffffff}\
        h1{font-size:24px;margin:8px 0 16px}h2{font-size:19px;margin:28px 0 10px;border-bottom:1px solid #e3e6ea;\
        padding-bottom:4px}h3{font-size:16px;margin:20px 0 8px}h4{font-size:14px;margin:16px 0 6px}\
        p.note{color:#69727d;font-size:13px}\
        .table-wrap{overflow-x:auto;margin:8px 0 16px}\
        table{border-collapse:collapse;font-size:13px}\
        caption{text-align:left;font-weight:bold;padding:4px 0}\
        th,td{border:1px solid #e3e6ea;padding:4px 10px;text-align:left;vertical-align:top;max-width:420px;\
        overflow-wrap:anywhere}\
        thead th{background:#eef1f4}tbody th{background:#f8f9fa;font-weight:600}\
        tbody tr:nth-child(even) td{background:#fafbfc}\
        td.number{text-align:right;font-variant-numeric:tabular-nums}\
        td.highlight,th.highlight{background:#fff3c4 !important}\
        td.best{font-weight:bold;color:#1a7f37}\
        figure{display:inline-block;margin:8px 16px 16px 0;vertical-align:top}\
        figure svg{display:block;max-width:100%;height:auto;border:1px solid #e3e6ea}\
        figcaption{font-size:13px;color:#4b545e;margin-top:4px}\
        .figure-grid{display:flex;flex-wrap:wrap;gap:0}
        """
}
