import Foundation
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// One parsed XML element with its attributes and direct text.
struct ParsedElement {
    var name: String
    var attributes: [String: String]
    var text: String

    var className: String? { attributes["class"] }

    func number(_ attribute: String) -> Double? {
        attributes[attribute].flatMap(Double.init)
    }
}

/// Collects every element of a document in document order.
final class ElementCollector: NSObject, XMLParserDelegate {
    var elements: [ParsedElement] = []
    private var open: [Int] = []

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        open.append(elements.count)
        elements.append(ParsedElement(name: elementName, attributes: attributes, text: ""))
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if let index = open.last { elements[index].text += string }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        open.removeLast()
    }
}

struct MalformedXML: Error, CustomStringConvertible {
    var description: String
}

/// Parses `text` as XML with Foundation's XMLParser, throwing when it is not well-formed.
func parseXML(_ text: String) throws -> [ParsedElement] {
    let parser = XMLParser(data: Data(text.utf8))
    let collector = ElementCollector()
    parser.delegate = collector
    guard parser.parse() else {
        let error = parser.parserError.map { "\($0)" } ?? "unknown error"
        throw MalformedXML(
            description: "not well-formed at line \(parser.lineNumber), column \(parser.columnNumber): \(error)")
    }
    return collector.elements
}

extension [ParsedElement] {
    func withClass(_ name: String) -> [ParsedElement] {
        filter { ($0.className ?? "").split(separator: " ").contains(Substring(name)) }
    }

    func named(_ name: String) -> [ParsedElement] {
        filter { $0.name == name }
    }
}

/// Counts the sub-paths (`M` commands) in an SVG path.
func subpathCount(_ d: String) -> Int {
    d.filter { $0 == "M" }.count
}

/// The (x, y) pairs of an SVG path made of M and L commands.
func pathPoints(_ d: String) -> [(Double, Double)] {
    let tokens = d.split(separator: " ")
    var points: [(Double, Double)] = []
    var index = 0
    while index + 1 < tokens.count {
        let x = Double(tokens[index].dropFirst()) ?? .nan
        let y = Double(tokens[index + 1]) ?? .nan
        points.append((x, y))
        index += 2
    }
    return points
}

/// SVG coordinates are printed with two decimals.
let pixelTolerance = 0.006
