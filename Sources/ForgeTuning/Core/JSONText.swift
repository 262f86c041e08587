/// A small JSON writer and reader that keeps integers and floats apart and accepts Python's
/// `NaN`/`Infinity`, which `json.dumps` writes and Optuna's journal may contain.
package enum JSONText {
    /// Writes `value` as compact JSON; object keys are sorted so output is deterministic.
    /// With `compact`, no spaces after `,` and `:` (Python's `separators=(",", ":")`).
    package static func encode(_ value: AttributeValue, compact: Bool = false) -> String {
        var output = ""
        write(value, to: &output, compact: compact)
        return output
    }

    /// Parses one JSON document.
    /// - Throws: ``TuningError/malformedJSON(reason:)`` naming the offset of the first bad character.
    package static func decode(_ text: String) throws(TuningError) -> AttributeValue {
        var parser = Parser(bytes: Array(text.utf8))
        parser.skipWhitespace()
        let value = try parser.parseValue()
        parser.skipWhitespace()
        guard parser.index == parser.bytes.count else {
            throw .malformedJSON(reason: "unexpected text after the value at offset \(parser.index)")
        }
        return value
    }

    /// Writes a double the way Python's `json.dumps` does (`2.0`, `1e-05`, `NaN`, `Infinity`).
    package static func formatDouble(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "Infinity" : "-Infinity" }
        return "\(value)"
    }

    private static func write(_ value: AttributeValue, to output: inout String, compact: Bool) {
        switch value {
        case .null: output += "null"
        case .bool(let flag): output += flag ? "true" : "false"
        case .int(let number): output += String(number)
        case .double(let number): output += formatDouble(number)
        case .string(let text): writeString(text, to: &output)
        case .array(let elements):
            output += "["
            for (offset, element) in elements.enumerated() {
                if offset > 0 { output += compact ? "," : ", " }
                write(element, to: &output, compact: compact)
            }
            output += "]"
        case .object(let members):
            output += "{"
            for (offset, key) in members.keys.sorted().enumerated() {
                if offset > 0 { output += compact ? "," : ", " }
                writeString(key, to: &output)
                output += compact ? ":" : ": "
                write(members[key] ?? .null, to: &output, compact: compact)
            }
            output += "}"
        }
    }

    private static func writeString(_ text: String, to output: inout String) {
        output += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        output += "\""
    }

    private struct Parser {
        let bytes: [UInt8]
        var index = 0

        mutating func skipWhitespace() {
            while index < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[index]) { index += 1 }
        }

        func fail(_ what: String) -> TuningError {
            .malformedJSON(reason: "\(what) at offset \(index)")
        }

        mutating func consume(_ literal: String) -> Bool {
            let utf8 = Array(literal.utf8)
            guard index + utf8.count <= bytes.count, Array(bytes[index..<index + utf8.count]) == utf8 else {
                return false
            }
            index += utf8.count
            return true
        }

        mutating func parseValue() throws(TuningError) -> AttributeValue {
            guard index < bytes.count else { throw fail("unexpected end of text") }
            switch bytes[index] {
            case UInt8(ascii: "{"): return try parseObject()
            case UInt8(ascii: "["): return try parseArray()
            case UInt8(ascii: "\""): return .string(try parseString())
            default:
                if consume("null") { return .null }
                if consume("true") { return .bool(true) }
                if consume("false") { return .bool(false) }
                if consume("NaN") { return .double(.nan) }
                if consume("Infinity") { return .double(.infinity) }
                if consume("-Infinity") { return .double(-.infinity) }
                return try parseNumber()
            }
        }

        mutating func parseObject() throws(TuningError) -> AttributeValue {
            index += 1
            var members: [String: AttributeValue] = [:]
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
                index += 1
                return .object(members)
            }
            while true {
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw fail("expected a key") }
                let key = try parseString()
                skipWhitespace()
                guard consume(":") else { throw fail("expected ':'") }
                skipWhitespace()
                members[key] = try parseValue()
                skipWhitespace()
                if consume(",") { continue }
                if consume("}") { return .object(members) }
                throw fail("expected ',' or '}'")
            }
        }

        mutating func parseArray() throws(TuningError) -> AttributeValue {
            index += 1
            var elements: [AttributeValue] = []
            skipWhitespace()
            if consume("]") { return .array(elements) }
            while true {
                skipWhitespace()
                elements.append(try parseValue())
                skipWhitespace()
                if consume(",") { continue }
                if consume("]") { return .array(elements) }
                throw fail("expected ',' or ']'")
            }
        }

        mutating func parseString() throws(TuningError) -> String {
            index += 1
            var scalars = String.UnicodeScalarView()
            var raw: [UInt8] = []
            func flush() {
                if !raw.isEmpty {
                    scalars.append(contentsOf: String(decoding: raw, as: UTF8.self).unicodeScalars)
                    raw.removeAll(keepingCapacity: true)
                }
            }
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                if byte == UInt8(ascii: "\"") {
                    flush()
                    return String(scalars)
                }
                guard byte == UInt8(ascii: "\\") else {
                    raw.append(byte)
                    continue
                }
                flush()
                guard index < bytes.count else { break }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "n"): scalars.append("\n")
                case UInt8(ascii: "t"): scalars.append("\t")
                case UInt8(ascii: "r"): scalars.append("\r")
                case UInt8(ascii: "b"): scalars.append("\u{8}")
                case UInt8(ascii: "f"): scalars.append("\u{C}")
                case UInt8(ascii: "u"):
                    var code = try parseHex4()
                    if (0xD800..<0xDC00).contains(code), consume("\\u") {
                        let low = try parseHex4()
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    }
                    scalars.append(Unicode.Scalar(code) ?? "\u{FFFD}")
                default: scalars.append(Unicode.Scalar(escape))
                }
            }
            throw fail("unterminated string")
        }

        mutating func parseHex4() throws(TuningError) -> UInt32 {
            guard index + 4 <= bytes.count,
                let code = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16)
            else { throw fail("bad \\u escape") }
            index += 4
            return code
        }

        mutating func parseNumber() throws(TuningError) -> AttributeValue {
            let start = index
            var isFloat = false
            while index < bytes.count {
                let byte = bytes[index]
                if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-")
                    || byte == UInt8(ascii: "+")
                {
                    index += 1
                } else if byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
                    isFloat = true
                    index += 1
                } else {
                    break
                }
            }
            let text = String(decoding: bytes[start..<index], as: UTF8.self)
            if !isFloat, let integer = Int(text) { return .int(integer) }
            guard !text.isEmpty, let number = Double(text) else {
                index = start
                throw fail("unexpected character")
            }
            return .double(number)
        }
    }
}
