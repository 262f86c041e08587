/// A value of the Python literal subset that NumPy `.npy` headers are written in.
enum PythonLiteral {
    case dictionary([(key: PythonLiteral, value: PythonLiteral)])
    case tuple([PythonLiteral])
    case list([PythonLiteral])
    case string(String)
    case integer(Int)
    case boolean(Bool)
    case none

    /// A short name of the value's kind, for error messages.
    var kindName: String {
        switch self {
        case .dictionary: "a dict"
        case .tuple: "a tuple"
        case .list: "a list"
        case .string: "a string"
        case .integer: "an integer"
        case .boolean: "a bool"
        case .none: "None"
        }
    }
}

/// A recursive-descent parser for the Python literals of `.npy` headers: dicts, tuples, lists, strings
/// (single or double quoted, with the common escapes), integers (with the `L` suffix of Python 2),
/// `True`, `False` and `None` — what NumPy's own `safe_eval` of the header accepts in practice.
/// Anything else (expressions, names, floats) is an error, never evaluated.
struct PythonLiteralParser {
    /// The deepest nesting accepted.
    static let maximumDepth = 32

    private let bytes: [UInt8]
    private var position = 0
    private let baseOffset: Int
    private let path: String?
    /// Whether string bytes are UTF-8 (format 3.0) rather than Latin-1 (formats 1.0 and 2.0).
    private let isUTF8: Bool

    /// Parses `bytes` (which start at `baseOffset` in the file at `path`) as a single literal followed
    /// only by whitespace.
    static func parse(_ bytes: [UInt8], isUTF8: Bool, baseOffset: Int, path: String?) throws -> PythonLiteral {
        var parser = PythonLiteralParser(bytes: bytes, baseOffset: baseOffset, path: path, isUTF8: isUTF8)
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        guard parser.position == bytes.count else { throw parser.syntaxError("unexpected text after the header dict") }
        return value
    }

    private init(bytes: [UInt8], baseOffset: Int, path: String?, isUTF8: Bool) {
        self.bytes = bytes
        self.baseOffset = baseOffset
        self.path = path
        self.isUTF8 = isUTF8
    }

    private func syntaxError(_ message: String) -> TensorFileError {
        TensorFileError(
            code: .invalidHeader, message: "header literal: \(message)", path: path, byteOffset: baseOffset + position)
    }

    private mutating func skipWhitespace() {
        while position < bytes.count, [0x20, 0x09, 0x0A, 0x0D, 0x0B, 0x0C].contains(bytes[position]) {
            position += 1
        }
    }

    private mutating func peek() -> UInt8? {
        skipWhitespace()
        return position < bytes.count ? bytes[position] : nil
    }

    private mutating func parseValue(depth: Int) throws -> PythonLiteral {
        guard depth < Self.maximumDepth else { throw syntaxError("nested deeper than \(Self.maximumDepth)") }
        guard let byte = peek() else { throw syntaxError("expected a value, found the end of the header") }
        switch byte {
        case UInt8(ascii: "{"):
            position += 1
            var members: [(key: PythonLiteral, value: PythonLiteral)] = []
            while try nextItem(closing: UInt8(ascii: "}"), isFirst: members.isEmpty) {
                let key = try parseValue(depth: depth + 1)
                guard peek() == UInt8(ascii: ":") else { throw syntaxError("expected ':' after a dict key") }
                position += 1
                members.append((key, try parseValue(depth: depth + 1)))
            }
            return .dictionary(members)
        case UInt8(ascii: "["):
            position += 1
            var elements: [PythonLiteral] = []
            while try nextItem(closing: UInt8(ascii: "]"), isFirst: elements.isEmpty) {
                elements.append(try parseValue(depth: depth + 1))
            }
            return .list(elements)
        case UInt8(ascii: "("):
            position += 1
            var elements: [PythonLiteral] = []
            var sawComma = false
            while try nextItem(closing: UInt8(ascii: ")"), isFirst: elements.isEmpty, sawComma: &sawComma) {
                elements.append(try parseValue(depth: depth + 1))
            }
            // `(x)` is a parenthesized value, `(x,)` a one-element tuple, `()` the empty tuple.
            if elements.count == 1 && !sawComma { return elements[0] }
            return .tuple(elements)
        case UInt8(ascii: "'"), UInt8(ascii: "\""):
            return .string(try parseString())
        case UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .integer(try parseInteger())
        default:
            for (word, value) in [("True", PythonLiteral.boolean(true)), ("False", .boolean(false)), ("None", .none)]
            where bytes[position...].starts(with: word.utf8) {
                let end = position + word.utf8.count
                if end < bytes.count && isIdentifierByte(bytes[end]) { break }  // `Truest` is a name
                position = end
                return value
            }
            let excerpt = String(decoding: bytes[position..<min(position + 12, bytes.count)], as: UTF8.self)
            throw syntaxError("unsupported syntax at '\(excerpt)'")
        }
    }

    private func isIdentifierByte(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "_") || (byte >= 0x30 && byte <= 0x39) || ((byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A)
    }

    /// Consumes a separating `,` (or the `closing` bracket) and returns whether another item follows.
    private mutating func nextItem(closing: UInt8, isFirst: Bool) throws -> Bool {
        var sawComma = false
        return try nextItem(closing: closing, isFirst: isFirst, sawComma: &sawComma)
    }

    private mutating func nextItem(closing: UInt8, isFirst: Bool, sawComma: inout Bool) throws -> Bool {
        if peek() == closing {
            position += 1
            return false
        }
        if isFirst { return true }
        guard peek() == UInt8(ascii: ",") else {
            throw syntaxError("expected ',' or '\(Character(Unicode.Scalar(closing)))'")
        }
        position += 1
        sawComma = true
        if peek() == closing {  // a trailing comma
            position += 1
            return false
        }
        return true
    }

    private mutating func parseString() throws -> String {
        let quote = bytes[position]
        position += 1
        var content: [UInt8] = []
        while true {
            guard position < bytes.count else { throw syntaxError("unterminated string") }
            var byte = bytes[position]
            position += 1
            if byte == quote { break }
            if byte == 0x0A { throw syntaxError("newline inside a string") }
            if byte == UInt8(ascii: "\\") {
                guard position < bytes.count else { throw syntaxError("unterminated string") }
                let escaped = bytes[position]
                position += 1
                switch escaped {
                case UInt8(ascii: "\\"), UInt8(ascii: "'"), UInt8(ascii: "\""): byte = escaped
                case UInt8(ascii: "n"): byte = 0x0A
                case UInt8(ascii: "t"): byte = 0x09
                case UInt8(ascii: "r"): byte = 0x0D
                case UInt8(ascii: "0"): byte = 0x00
                default: throw syntaxError("unsupported escape in a string")
                }
            }
            content.append(byte)
        }
        if isUTF8 {
            guard let string = String(validating: content, as: UTF8.self) else {
                throw syntaxError("a string is not valid UTF-8")
            }
            return string
        }
        var string = ""
        string.unicodeScalars.append(contentsOf: content.map { Unicode.Scalar($0) })  // Latin-1
        return string
    }

    private mutating func parseInteger() throws -> Int {
        let start = position
        var negative = false
        if bytes[position] == UInt8(ascii: "-") || bytes[position] == UInt8(ascii: "+") {
            negative = bytes[position] == UInt8(ascii: "-")
            position += 1
        }
        var value = 0
        var digits = 0
        while position < bytes.count, bytes[position] >= 0x30, bytes[position] <= 0x39 {
            let (product, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = product.addingReportingOverflow(Int(bytes[position] - 0x30))
            if overflow1 || overflow2 {
                throw TensorFileError(
                    code: .sizeOverflow, message: "an integer in the header does not fit in 64 bits", path: path,
                    byteOffset: baseOffset + start)
            }
            value = sum
            digits += 1
            position += 1
        }
        guard digits > 0 else { throw syntaxError("expected digits") }
        if position < bytes.count && (bytes[position] | 0x20) == UInt8(ascii: "l") { position += 1 }  // Python 2 long
        if position < bytes.count && (isIdentifierByte(bytes[position]) || bytes[position] == UInt8(ascii: ".")) {
            throw syntaxError("unsupported number syntax (only integers are allowed)")
        }
        return negative ? -value : value
    }
}
