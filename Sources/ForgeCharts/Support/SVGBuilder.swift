/// Builds one SVG document as a string, element by element, with escaped text and compact numbers.
///
/// Every chart renders through this builder, so the output has a fixed attribute order and number format:
/// the same chart always produces the same bytes.
struct SVGBuilder {
    private(set) var output: String

    /// Starts an SVG document of the given size with an optional accessible title and a white background.
    init(width: Double, height: Double, title: String?) {
        let w = ChartNumberFormat.coordinate(width)
        let h = ChartNumberFormat.coordinate(height)
        output = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(w)\" height=\"\(h)\" viewBox=\"0 0 \(w) \(h)\""
        output += " font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\" role=\"img\">"
        if let title, !title.isEmpty {
            output += "<title>\(escapeXML(title))</title>"
        }
        rect(x: 0, y: 0, width: width, height: height, fill: "#ffffff", className: "background")
    }

    /// Opens an element that will contain others.
    mutating func open(_ name: String, _ attributes: [(String, String)] = []) {
        output += "<" + name
        appendAttributes(attributes)
        output += ">"
    }

    /// Closes an element opened with ``open(_:_:)``.
    mutating func close(_ name: String) {
        output += "</" + name + ">"
    }

    /// Appends an element, self-closed when it has no text.
    mutating func element(_ name: String, _ attributes: [(String, String)], text: String? = nil) {
        output += "<" + name
        appendAttributes(attributes)
        if let text {
            output += ">" + escapeXML(text) + "</" + name + ">"
        } else {
            output += "/>"
        }
    }

    /// Appends a rectangle.
    mutating func rect(
        x: Double, y: Double, width: Double, height: Double, fill: String,
        stroke: String? = nil, className: String? = nil, tooltip: String? = nil
    ) {
        var attributes: [(String, String)] = []
        if let className { attributes.append(("class", className)) }
        attributes += [
            ("x", number(x)), ("y", number(y)), ("width", number(max(0, width))),
            ("height", number(max(0, height))), ("fill", fill),
        ]
        if let stroke { attributes.append(("stroke", stroke)) }
        if let tooltip {
            open("rect", attributes)
            element("title", [], text: tooltip)
            close("rect")
        } else {
            element("rect", attributes)
        }
    }

    /// Appends a straight line.
    mutating func line(
        x1: Double, y1: Double, x2: Double, y2: Double, stroke: String,
        width: Double = 1, dash: String? = nil, className: String? = nil
    ) {
        var attributes: [(String, String)] = []
        if let className { attributes.append(("class", className)) }
        attributes += [
            ("x1", number(x1)), ("y1", number(y1)), ("x2", number(x2)), ("y2", number(y2)),
            ("stroke", stroke), ("stroke-width", number(width)),
        ]
        if let dash { attributes.append(("stroke-dasharray", dash)) }
        element("line", attributes)
    }

    /// Appends a circle.
    mutating func circle(
        cx: Double, cy: Double, radius: Double, fill: String, className: String? = nil, tooltip: String? = nil
    ) {
        var attributes: [(String, String)] = []
        if let className { attributes.append(("class", className)) }
        attributes += [("cx", number(cx)), ("cy", number(cy)), ("r", number(radius)), ("fill", fill)]
        if let tooltip {
            open("circle", attributes)
            element("title", [], text: tooltip)
            close("circle")
        } else {
            element("circle", attributes)
        }
    }

    /// Appends a text label.
    mutating func text(
        _ string: String, x: Double, y: Double, anchor: String = "start", size: Double = 11,
        fill: String = "#333333", weight: String? = nil, rotation: Double? = nil, className: String? = nil,
        halo: Bool = false
    ) {
        var attributes: [(String, String)] = []
        if let className { attributes.append(("class", className)) }
        attributes += [
            ("x", number(x)), ("y", number(y)), ("text-anchor", anchor),
            ("font-size", number(size)), ("fill", fill),
        ]
        if let weight { attributes.append(("font-weight", weight)) }
        if halo {
            // A white outline under the glyphs keeps labels readable over lines.
            attributes += [
                ("stroke", "#ffffff"), ("stroke-width", "3"), ("stroke-linejoin", "round"),
                ("paint-order", "stroke"),
            ]
        }
        if let rotation {
            attributes.append(("transform", "rotate(\(number(rotation)) \(number(x)) \(number(y)))"))
        }
        element("text", attributes, text: string)
    }

    /// Appends a path from a `d` attribute; nothing when the path is empty.
    mutating func path(
        _ d: String, stroke: String, width: Double = 1.5, fill: String = "none",
        dash: String? = nil, opacity: Double? = nil, className: String? = nil
    ) {
        guard !d.isEmpty else { return }
        var attributes: [(String, String)] = []
        if let className { attributes.append(("class", className)) }
        attributes += [
            ("d", d), ("fill", fill), ("stroke", stroke), ("stroke-width", number(width)),
            ("stroke-linejoin", "round"), ("stroke-linecap", "round"),
        ]
        if let dash { attributes.append(("stroke-dasharray", dash)) }
        if let opacity { attributes.append(("stroke-opacity", number(opacity))) }
        element("path", attributes)
    }

    /// Closes the document and returns it.
    mutating func finish() -> String {
        output += "</svg>"
        return output
    }

    private mutating func appendAttributes(_ attributes: [(String, String)]) {
        for (key, value) in attributes {
            output += " " + key + "=\"" + escapeXML(value) + "\""
        }
    }

    private func number(_ value: Double) -> String {
        ChartNumberFormat.coordinate(value)
    }
}

/// Builds an SVG path `d` attribute from polylines, starting a new sub-path at every gap.
struct PolylinePath {
    private(set) var d = ""
    private var penDown = false

    /// Adds a point, or lifts the pen when `point` is nil (a NaN, infinity or off-scale value).
    mutating func add(_ point: (x: Double, y: Double)?) {
        guard let point else {
            penDown = false
            return
        }
        if !d.isEmpty { d += " " }
        d +=
            (penDown ? "L" : "M") + ChartNumberFormat.coordinate(point.x) + " "
            + ChartNumberFormat.coordinate(point.y)
        penDown = true
    }
}
