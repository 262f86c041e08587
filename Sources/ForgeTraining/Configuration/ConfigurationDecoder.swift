/// Decodes `Decodable` Swift types from a ``ConfigurationValue`` tree with errors that name the full
/// key path, the value found and the type expected.
///
/// ```swift
/// struct Optimizer: Decodable { var name: String; var lr: Double }
/// let optimizer = try ConfigurationDecoder().decode(Optimizer.self, from: configuration[path: "optimizer"]!)
/// // a bad value throws: optimizer.lr: expected a number, found "fast"
/// ```
///
/// Conversions: integers decode as floating-point numbers; a number decodes as an integer only when it
/// is integral and in range; strings decode from any scalar (so `name: 123` is the string `"123"`);
/// nothing else is converted. Optional properties accept an absent key or `null`.
public struct ConfigurationDecoder: Sendable {
    /// Key-path components to put in front of every error path (for decoding a subtree).
    public var pathPrefix: [String]

    /// Creates a decoder; `pathPrefix` is prepended to error paths when decoding a subtree.
    public init(pathPrefix: [String] = []) {
        self.pathPrefix = pathPrefix
    }

    /// Decodes a value of the given type.
    /// - Throws: ``ConfigurationError`` with code `typeMismatch` or `keyNotFound` and the key path.
    public func decode<T: Decodable>(_ type: T.Type, from value: ConfigurationValue) throws -> T {
        try T(from: TreeDecoder(value: value, codingPath: [], prefix: pathPrefix))
    }
}

extension ConfigurationValue {
    /// Decodes the tree (or the subtree at `keyPath`) into a `Decodable` type.
    /// - Throws: ``ConfigurationError`` naming the key path, the value found and the type expected.
    public func decode<T: Decodable>(_ type: T.Type, at keyPath: String = "") throws -> T {
        let components = ConfigurationPath.components(keyPath)
        guard let subtree = value(at: components) else {
            throw ConfigurationError(.keyNotFound, "required key is missing", keyPath: keyPath)
        }
        return try ConfigurationDecoder(pathPrefix: components).decode(type, from: subtree)
    }
}

/// A coding key for sequence positions and dynamic keys.
struct ConfigurationCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue }
    init(intValue: Int) {
        self.stringValue = String(intValue)
        self.intValue = intValue
    }
}

struct TreeDecoder: Decoder {
    let value: ConfigurationValue
    let codingPath: [any CodingKey]
    let prefix: [String]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    var keyPath: String { ConfigurationPath.joined(prefix + codingPath.map(\.stringValue)) }

    func mismatch(_ expected: String) -> ConfigurationError {
        ConfigurationError(.typeMismatch, "expected \(expected), found \(Self.found(value))", keyPath: keyPath)
    }

    static func found(_ value: ConfigurationValue) -> String {
        switch value {
        case .string(let text): return "\"\(text)\""
        case .mapping, .sequence: return value.kindDescription
        default: return value.scalarText ?? value.kindDescription
        }
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .mapping(let mapping) = value else { throw mismatch("a mapping") }
        return KeyedDecodingContainer(KeyedContainer<Key>(mapping: mapping, decoder: self))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .sequence(let elements) = value else { throw mismatch("a sequence") }
        return UnkeyedContainer(elements: elements, decoder: self)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { SingleValueContainer(decoder: self) }

    func child(_ value: ConfigurationValue, key: any CodingKey) -> TreeDecoder {
        TreeDecoder(value: value, codingPath: codingPath + [key], prefix: prefix)
    }
}

private struct KeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let mapping: ConfigurationMapping
    let decoder: TreeDecoder
    var codingPath: [any CodingKey] { decoder.codingPath }
    var allKeys: [Key] { mapping.keys.compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool { mapping[key.stringValue] != nil }

    func childDecoder(_ key: Key) throws -> TreeDecoder {
        guard let value = mapping[key.stringValue] else {
            let path = ConfigurationPath.joined(decoder.prefix + (codingPath + [key]).map(\.stringValue))
            throw ConfigurationError(.keyNotFound, "required key is missing", keyPath: path)
        }
        return decoder.child(value, key: key)
    }

    func decodeNil(forKey key: Key) throws -> Bool { (mapping[key.stringValue] ?? .null) == .null }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try SingleValueContainer(decoder: childDecoder(key)).decode(type)
    }

    func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type, forKey key: Key
    ) throws -> KeyedDecodingContainer<NestedKey> {
        try childDecoder(key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try childDecoder(key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder { decoder }
    func superDecoder(forKey key: Key) throws -> any Decoder { try childDecoder(key) }
}

private struct UnkeyedContainer: UnkeyedDecodingContainer {
    let elements: [ConfigurationValue]
    let decoder: TreeDecoder
    var currentIndex = 0
    var codingPath: [any CodingKey] { decoder.codingPath }
    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    init(elements: [ConfigurationValue], decoder: TreeDecoder) {
        self.elements = elements
        self.decoder = decoder
    }

    mutating func next() throws -> TreeDecoder {
        guard !isAtEnd else {
            throw ConfigurationError(
                .keyNotFound, "sequence has only \(elements.count) elements", keyPath: decoder.keyPath)
        }
        defer { currentIndex += 1 }
        return decoder.child(elements[currentIndex], key: ConfigurationCodingKey(intValue: currentIndex))
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, elements[currentIndex] == .null else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try SingleValueContainer(decoder: next()).decode(type)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<
        NestedKey
    > {
        try next().container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { try next().unkeyedContainer() }
    mutating func superDecoder() throws -> any Decoder { try next() }
}

private struct SingleValueContainer: SingleValueDecodingContainer {
    let decoder: TreeDecoder
    var codingPath: [any CodingKey] { decoder.codingPath }

    func decodeNil() -> Bool { decoder.value == .null }

    func decode(_ type: Bool.Type) throws -> Bool {
        guard case .bool(let flag) = decoder.value else { throw decoder.mismatch("a boolean (true or false)") }
        return flag
    }

    func decode(_ type: String.Type) throws -> String {
        switch decoder.value {
        case .null, .mapping, .sequence: throw decoder.mismatch("a string")
        default: return decoder.value.scalarText ?? ""
        }
    }

    func decode(_ type: Double.Type) throws -> Double {
        switch decoder.value {
        case .double(let number): return number
        case .int(let integer): return Double(integer)
        default: throw decoder.mismatch("a number")
        }
    }

    func decode(_ type: Float.Type) throws -> Float { Float(try decode(Double.self)) }

    func integer<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        let expected = T.self == Int.self ? "an integer" : "an integer (\(T.self))"
        switch decoder.value {
        case .int(let integer):
            guard let value = T(exactly: integer) else { throw decoder.mismatch("\(expected) in \(T.min)...\(T.max)") }
            return value
        case .double(let number):
            guard let value = T(exactly: number) else { throw decoder.mismatch(expected) }
            return value
        default:
            throw decoder.mismatch(expected)
        }
    }

    func decode(_ type: Int.Type) throws -> Int { try integer(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try integer(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try integer(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try integer(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try integer(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try integer(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(type) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        do {
            return try T(from: decoder)
        } catch let error as DecodingError {
            throw Self.translate(error, decoder: decoder)
        }
    }

    /// Errors thrown by a type's own `init(from:)` (for example an enum's unknown raw value).
    static func translate(_ error: DecodingError, decoder: TreeDecoder) -> ConfigurationError {
        switch error {
        case .dataCorrupted(let context):
            if context.debugDescription.contains("Cannot initialize"), case .string = decoder.value,
                let enumName = context.debugDescription.split(separator: " ").dropFirst(2).first
            {
                return decoder.mismatch("one of the cases of \(enumName)")
            }
            return ConfigurationError(.typeMismatch, context.debugDescription, keyPath: decoder.keyPath)
        default:
            return ConfigurationError(.typeMismatch, "\(error)", keyPath: decoder.keyPath)
        }
    }
}
