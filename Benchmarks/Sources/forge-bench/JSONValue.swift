/// A JSON value whose objects keep their keys in insertion order.
///
/// The report must list keys the way the Python peers do (`"128"`, `"256"`, …, `"1024"` — not sorted
/// as strings), and Foundation's `JSONSerialization` only offers unordered or lexicographically sorted
/// output, so the harness renders its few value kinds itself.
enum JSONValue: Sendable {
    case string(String)
    case integer(Int)
    case number(Double)
    case bool(Bool)
    case object([(key: String, value: JSONValue)])

    /// A number rounded to `places` decimals, as the peers round theirs.
    static func rounded(_ value: Double, places: Int) -> JSONValue {
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        return .number((value * scale).rounded() / scale)
    }

    /// The value as JSON text, objects indented by one space per level like Python's `indent=1`.
    func rendered(indentation: Int = 0) -> String {
        switch self {
        case .string(let text): return JSONValue.quoted(text)
        case .integer(let value): return String(value)
        case .number(let value): return value.isFinite ? String(value) : "null"
        case .bool(let value): return value ? "true" : "false"
        case .object(let members):
            if members.isEmpty { return "{}" }
            let inner = String(repeating: " ", count: indentation + 1)
            let lines = members.map { member in
                inner + JSONValue.quoted(member.key) + ": " + member.value.rendered(indentation: indentation + 1)
            }
            return "{\n" + lines.joined(separator: ",\n") + "\n" + String(repeating: " ", count: indentation) + "}"
        }
    }

    /// `text` as a JSON string literal.
    private static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }
}
