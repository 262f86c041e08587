/// A strict RFC 8259 JSON tokenizer over header bytes.
///
/// The safetensors reader walks the header with it member by member, keeping only the fields it
/// needs, instead of building a generic JSON tree: a hostile 100 MB header of nested arrays cannot
/// make the reader allocate many times its size or recurse without bound.
struct JSONScanner {
    /// A JSON number: a non-negative integer that fits in `UInt64`, or anything else (kept as text).
    enum Number: Equatable {
        case unsignedInteger(UInt64)
        case other(String)
    }

    /// The deepest nesting ``skipValue(depth:)`` accepts.
    static let maximumDepth = 64

    private let bytes: [UInt8]
    /// The index of the next unread byte.
    private(set) var position = 0
    /// The position of `bytes[0]` in the file, for error locations.
    private let baseOffset: Int
    private let path: String?

    /// Scans `bytes`, which start at `baseOffset` in the file at `path`.
    init(bytes: [UInt8], baseOffset: Int, path: String?) {
        self.bytes = bytes
        self.baseOffset = baseOffset
        self.path = path
    }

    /// The position in the file of the next unread byte.
    var fileOffset: Int { baseOffset + position }

    /// An `invalidHeader` error at the current position.
    func syntaxError(_ message: String) -> TensorFileError {
        TensorFileError(code: .invalidHeader, message: "header JSON: \(message)", path: path, byteOffset: fileOffset)
    }

    /// Skips spaces, tabs, carriage returns and newlines.
    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    /// The next byte after whitespace, without consuming it; `nil` at the end.
    mutating func peek() -> UInt8? {
        skipWhitespace()
        return position < bytes.count ? bytes[position] : nil
    }

    /// A short description of the next byte for error messages.
    private mutating func found() -> String {
        guard let byte = peek() else { return "the end of the header" }
        if byte >= 0x20 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        return "byte 0x\(String(byte, radix: 16))"
    }

    /// Consumes `byte` (after whitespace) or throws, naming `context`.
    mutating func expect(_ byte: UInt8, in context: String) throws {
        guard peek() == byte else {
            throw syntaxError("expected '\(Character(Unicode.Scalar(byte)))' \(context), found \(found())")
        }
        position += 1
    }

    /// Throws unless only whitespace is left.
    mutating func expectEnd() throws {
        if peek() != nil { throw syntaxError("unexpected \(found()) after the top-level object") }
    }

    /// Advances to the next member of an object whose `{` was consumed and returns its key (the `:` is
    /// consumed too), or returns `nil` after consuming the closing `}`.
    mutating func nextMemberKey(isFirst: Bool, in context: String) throws -> String? {
        if peek() == UInt8(ascii: "}") {
            position += 1
            return nil
        }
        if !isFirst { try expect(UInt8(ascii: ","), in: "or '}' between members of \(context)") }
        guard peek() == UInt8(ascii: "\"") else {
            throw syntaxError("expected a string key in \(context), found \(found())")
        }
        let key = try parseString()
        try expect(UInt8(ascii: ":"), in: "after key \"\(key)\" in \(context)")
        return key
    }

    /// Returns whether another element of an array whose `[` was consumed follows (consuming the
    /// separating `,`), or `false` after consuming the closing `]`.
    mutating func nextElement(isFirst: Bool, in context: String) throws -> Bool {
        if peek() == UInt8(ascii: "]") {
            position += 1
            return false
        }
        if !isFirst { try expect(UInt8(ascii: ","), in: "or ']' between elements of \(context)") }
        return true
    }

    /// Parses a string literal, decoding escapes; the contents must be valid UTF-8.
    mutating func parseString() throws -> String {
        try expect(UInt8(ascii: "\""), in: "to start a string")
        var utf8: [UInt8] = []
        while true {
            guard position < bytes.count else { throw syntaxError("unterminated string") }
            let byte = bytes[position]
            position += 1
            switch byte {
            case UInt8(ascii: "\""):
                guard let string = String(validating: utf8, as: UTF8.self) else {
                    throw syntaxError("a string is not valid UTF-8")
                }
                return string
            case UInt8(ascii: "\\"):
                try parseEscape(into: &utf8)
            case 0..<0x20:
                position -= 1
                throw syntaxError("control character 0x\(String(byte, radix: 16)) inside a string")
            default:
                utf8.append(byte)
            }
        }
    }

    /// Decodes the escape after a backslash and appends its UTF-8 bytes.
    private mutating func parseEscape(into utf8: inout [UInt8]) throws {
        guard position < bytes.count else { throw syntaxError("unterminated escape") }
        let byte = bytes[position]
        position += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(byte)
        case UInt8(ascii: "b"): utf8.append(0x08)
        case UInt8(ascii: "f"): utf8.append(0x0C)
        case UInt8(ascii: "n"): utf8.append(0x0A)
        case UInt8(ascii: "r"): utf8.append(0x0D)
        case UInt8(ascii: "t"): utf8.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try parseHexQuad()
            if (0xD800..<0xDC00).contains(scalar) {
                // A high surrogate must be followed by an escaped low surrogate.
                guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"),
                    bytes[position + 1] == UInt8(ascii: "u")
                else { throw syntaxError("unpaired surrogate in a \\u escape") }
                position += 2
                let low = try parseHexQuad()
                guard (0xDC00..<0xE000).contains(low) else { throw syntaxError("unpaired surrogate in a \\u escape") }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            }
            guard let unicode = Unicode.Scalar(scalar) else {
                throw syntaxError("unpaired surrogate in a \\u escape")
            }
            utf8.append(contentsOf: String(Character(unicode)).utf8)
        default:
            position -= 1
            throw syntaxError("invalid escape '\\\(Character(Unicode.Scalar(byte)))'")
        }
    }

    /// Parses four hexadecimal digits.
    private mutating func parseHexQuad() throws -> UInt32 {
        guard position + 4 <= bytes.count else { throw syntaxError("truncated \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let digit = hexValue(bytes[position]) else { throw syntaxError("invalid hex digit in a \\u escape") }
            value = value << 4 | digit
            position += 1
        }
        return value
    }

    private func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    /// Parses a number literal (JSON grammar: `-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?`).
    mutating func parseNumber() throws -> Number {
        _ = peek()
        let start = position
        func isDigit(_ index: Int) -> Bool {
            index < bytes.count && bytes[index] >= UInt8(ascii: "0") && bytes[index] <= UInt8(ascii: "9")
        }
        if position < bytes.count && bytes[position] == UInt8(ascii: "-") { position += 1 }
        guard isDigit(position) else { throw syntaxError("expected a digit") }
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
            if isDigit(position) { throw syntaxError("a number has a leading zero") }
        } else {
            while isDigit(position) { position += 1 }
        }
        var isPlainInteger = bytes[start] != UInt8(ascii: "-")
        if position < bytes.count && bytes[position] == UInt8(ascii: ".") {
            isPlainInteger = false
            position += 1
            guard isDigit(position) else { throw syntaxError("expected a digit after '.'") }
            while isDigit(position) { position += 1 }
        }
        if position < bytes.count && (bytes[position] | 0x20) == UInt8(ascii: "e") {
            isPlainInteger = false
            position += 1
            if position < bytes.count && (bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-"))
            {
                position += 1
            }
            guard isDigit(position) else { throw syntaxError("expected a digit in an exponent") }
            while isDigit(position) { position += 1 }
        }
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        if isPlainInteger, let value = UInt64(text) { return .unsignedInteger(value) }
        return .other(text)
    }

    /// Skips one value of any type, nested at most ``maximumDepth`` deep.
    mutating func skipValue(depth: Int = 0) throws {
        guard depth < Self.maximumDepth else { throw syntaxError("values nested deeper than \(Self.maximumDepth)") }
        switch peek() {
        case UInt8(ascii: "{"):
            position += 1
            var isFirst = true
            while try nextMemberKey(isFirst: isFirst, in: "an object") != nil {
                try skipValue(depth: depth + 1)
                isFirst = false
            }
        case UInt8(ascii: "["):
            position += 1
            var isFirst = true
            while try nextElement(isFirst: isFirst, in: "an array") {
                try skipValue(depth: depth + 1)
                isFirst = false
            }
        case UInt8(ascii: "\""):
            _ = try parseString()
        case let byte? where Self.startsNumber(byte):
            _ = try parseNumber()
        default:
            for literal in ["true", "false", "null"] where bytes[position...].starts(with: literal.utf8) {
                position += literal.utf8.count
                return
            }
            throw syntaxError("expected a value, found \(found())")
        }
    }

    /// Whether `byte` can start a number literal.
    static func startsNumber(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    /// Parses `null` if it comes next and returns whether it did.
    mutating func parseNull() -> Bool {
        guard peek() == UInt8(ascii: "n"), bytes[position...].starts(with: "null".utf8) else { return false }
        position += 4
        return true
    }
}
