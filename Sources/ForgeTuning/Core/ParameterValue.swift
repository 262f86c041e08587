/// One value a trial's parameter takes, as the objective sees it.
///
/// Float parameters are `.double`, integer parameters `.int`, and a categorical parameter is one of its
/// choices, which may be any of the four cases.
///
/// ```swift
/// let optimizer = try await trial.suggestCategorical("optimizer", [.string("adam"), .string("sgd")])
/// ```
public enum ParameterValue: Sendable, Hashable, Codable, CustomStringConvertible {
    /// A floating-point value.
    case double(Double)
    /// An integer value.
    case int(Int)
    /// A string value.
    case string(String)
    /// A Boolean value.
    case bool(Bool)

    /// The value as a `Double` when it is numeric (`.double` or `.int`), else `nil`.
    public var doubleValue: Double? {
        switch self {
        case .double(let value): value
        case .int(let value): Double(value)
        case .string, .bool: nil
        }
    }

    /// The value as an `Int` when it is `.int`, else `nil`.
    public var intValue: Int? {
        if case .int(let value) = self { return value }
        return nil
    }

    /// The value as a `String` when it is `.string`, else `nil`.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The value as a `Bool` when it is `.bool`, else `nil`.
    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The value written as a plain literal (`0.01`, `64`, `adam`, `true`).
    public var description: String {
        switch self {
        case .double(let value): "\(value)"
        case .int(let value): "\(value)"
        case .string(let value): value
        case .bool(let value): "\(value)"
        }
    }

    /// The value as a JSON value (`.double` stays a float even when integral).
    public var attributeValue: AttributeValue {
        switch self {
        case .double(let value): .double(value)
        case .int(let value): .int(value)
        case .string(let value): .string(value)
        case .bool(let value): .bool(value)
        }
    }

    /// Creates a parameter value from a JSON scalar; arrays, objects and `null` give `nil`.
    public init?(_ attribute: AttributeValue) {
        switch attribute {
        case .double(let value): self = .double(value)
        case .int(let value): self = .int(value)
        case .string(let value): self = .string(value)
        case .bool(let value): self = .bool(value)
        case .null, .array, .object: return nil
        }
    }

    /// Decodes a JSON scalar (Boolean, integer, float or string).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .int(value)
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else {
            self = .string(try container.decode(String.self))
        }
    }

    /// Encodes the value as a JSON scalar.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .double(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        }
    }
}

extension ParameterValue: ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral, ExpressibleByStringLiteral,
    ExpressibleByBooleanLiteral
{
    /// Creates a `.double` from a float literal.
    public init(floatLiteral value: Double) { self = .double(value) }
    /// Creates an `.int` from an integer literal.
    public init(integerLiteral value: Int) { self = .int(value) }
    /// Creates a `.string` from a string literal.
    public init(stringLiteral value: String) { self = .string(value) }
    /// Creates a `.bool` from a Boolean literal.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}
