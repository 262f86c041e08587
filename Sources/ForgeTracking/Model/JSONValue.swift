public import Foundation

/// A JSON document as a Swift value: the shape of configurations, attributes and free-form metadata.
///
/// Numbers are `Double`, as in JSON itself. Encodes to and decodes from plain JSON, so a value written by
/// one store reads back identically from any other.
///
/// ```swift
/// let config: JSONValue = ["optimizer": ["name": "adam", "lr": 0.001], "epochs": 30]
/// config["optimizer"]?["lr"]   // .number(0.001)
/// ```
public enum JSONValue: Sendable, Hashable, Codable {
    /// JSON `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number.
    case number(Double)
    /// A string.
    case string(String)
    /// An ordered list.
    case array([JSONValue])
    /// An object; keys are unordered in JSON, encoded here with sorted keys for stable output.
    case object([String: JSONValue])

    /// Decodes any JSON value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    /// Encodes the value as plain JSON.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    /// The member `key` of an object, or nil for other values and absent keys.
    public subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    /// The value as a flat list of dotted keys and display strings (`optimizer.lr` → `0.001`), the way
    /// a hierarchical configuration is logged as run parameters. Arrays render as JSON (`[128,64]`).
    public func flattened(prefix: String = "") -> [String: String] {
        switch self {
        case .object(let members):
            var result: [String: String] = [:]
            for (key, value) in members {
                let path = prefix.isEmpty ? key : "\(prefix).\(key)"
                result.merge(value.flattened(prefix: path)) { _, new in new }
            }
            return result
        default:
            return [prefix: displayString]
        }
    }

    /// A compact human-readable rendering: strings unquoted at top level, everything else as JSON.
    public var displayString: String {
        switch self {
        case .null: return "null"
        case .bool(let value): return value ? "true" : "false"
        case .number(let value): return JSONValue.format(value)
        case .string(let value): return value
        case .array, .object: return jsonString
        }
    }

    /// The value serialized as compact JSON with sorted keys.
    public var jsonString: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(self), let text = String(data: data, encoding: .utf8) else {
            return "null"
        }
        return text
    }

    /// Formats a number without a trailing `.0` for integral values (`30`, `0.001`).
    static func format(_ value: Double) -> String {
        if value.isFinite, value == value.rounded(), abs(value) < 1e15 {
            return String(Int64(value))
        }
        return "\(value)"
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    /// A string literal.
    public init(stringLiteral value: String) { self = .string(value) }
    /// A floating-point literal.
    public init(floatLiteral value: Double) { self = .number(value) }
    /// An integer literal.
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    /// A Boolean literal.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    /// An array literal.
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    /// A dictionary literal.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
    /// `nil` as JSON `null`.
    public init(nilLiteral: ()) { self = .null }
}
