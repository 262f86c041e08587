/// A configuration tree: the value Hydra-style composition builds and Codable decoding reads.
///
/// Mappings keep their key order (the order of the YAML files), so dumps read like the sources.
///
/// ```swift
/// var configuration: ConfigurationValue = ["optimizer": ["name": "adam", "lr": 0.001]]
/// configuration[path: "optimizer.lr"] = .double(3e-4)
/// configuration[path: "optimizer.lr"]  // .double(0.0003)
/// ```
public enum ConfigurationValue: Sendable, Equatable {
    /// Keyed children, in insertion order.
    case mapping(ConfigurationMapping)
    /// An ordered list.
    case sequence([ConfigurationValue])
    /// Text.
    case string(String)
    /// An integer.
    case int(Int)
    /// A floating-point number.
    case double(Double)
    /// A boolean.
    case bool(Bool)
    /// An explicit null (`null`, `~` or an empty value in YAML).
    case null

    /// An empty mapping.
    public static var emptyMapping: ConfigurationValue { .mapping(ConfigurationMapping()) }

    /// The mapping, if this is one.
    public var mapping: ConfigurationMapping? {
        if case .mapping(let mapping) = self { return mapping }
        return nil
    }

    /// A short name of the value's kind for error messages ("a mapping", "a string", …).
    public var kindDescription: String {
        switch self {
        case .mapping: return "a mapping"
        case .sequence: return "a sequence"
        case .string: return "a string"
        case .int: return "an integer"
        case .double: return "a number"
        case .bool: return "a boolean"
        case .null: return "null"
        }
    }

    /// The value at a dotted path (`"model.hidden.0"`; numeric components index sequences), or `nil`.
    public subscript(path path: String) -> ConfigurationValue? {
        get { value(at: ConfigurationPath.components(path)) }
        set {
            let components = ConfigurationPath.components(path)
            if let newValue { setValue(newValue, at: components[...]) } else { removeValue(at: components[...]) }
        }
    }

    /// The value at a path given as components.
    public func value(at components: [String]) -> ConfigurationValue? {
        var current = self
        for component in components {
            switch current {
            case .mapping(let mapping):
                guard let child = mapping[component] else { return nil }
                current = child
            case .sequence(let elements):
                guard let index = Int(component), elements.indices.contains(index) else { return nil }
                current = elements[index]
            default:
                return nil
            }
        }
        return current
    }

    /// Sets a value, creating intermediate mappings where the path does not exist yet (a scalar in the
    /// way is replaced by a mapping).
    mutating func setValue(_ newValue: ConfigurationValue, at components: ArraySlice<String>) {
        guard let first = components.first else {
            self = newValue
            return
        }
        switch self {
        case .sequence(var elements):
            if let index = Int(first), elements.indices.contains(index) {
                elements[index].setValue(newValue, at: components.dropFirst())
                self = .sequence(elements)
                return
            }
            var mapping = ConfigurationMapping()
            var child = ConfigurationValue.emptyMapping
            child.setValue(newValue, at: components.dropFirst())
            mapping[first] = child
            self = .mapping(mapping)
        case .mapping(var mapping):
            var child = mapping[first] ?? .emptyMapping
            child.setValue(newValue, at: components.dropFirst())
            mapping[first] = child
            self = .mapping(mapping)
        default:
            var mapping = ConfigurationMapping()
            var child = ConfigurationValue.emptyMapping
            child.setValue(newValue, at: components.dropFirst())
            mapping[first] = child
            self = .mapping(mapping)
        }
    }

    /// Removes the value at a path; returns whether something was removed.
    @discardableResult
    mutating func removeValue(at components: ArraySlice<String>) -> Bool {
        guard let first = components.first else { return false }
        switch self {
        case .mapping(var mapping):
            if components.count == 1 {
                guard mapping.removeValue(forKey: first) != nil else { return false }
                self = .mapping(mapping)
                return true
            }
            guard var child = mapping[first], child.removeValue(at: components.dropFirst()) else { return false }
            mapping[first] = child
            self = .mapping(mapping)
            return true
        case .sequence(var elements):
            guard let index = Int(first), elements.indices.contains(index) else { return false }
            if components.count == 1 {
                elements.remove(at: index)
            } else if !elements[index].removeValue(at: components.dropFirst()) {
                return false
            }
            self = .sequence(elements)
            return true
        default:
            return false
        }
    }

    /// `other` merged into `self`: mappings merge key by key (recursively), anything else is replaced.
    public func merging(_ other: ConfigurationValue) -> ConfigurationValue {
        guard case .mapping(var base) = self, case .mapping(let overlay) = other else { return other }
        for (key, value) in overlay {
            base[key] = base[key].map { $0.merging(value) } ?? value
        }
        return .mapping(base)
    }
}

/// An insertion-ordered mapping from keys to configuration values.
public struct ConfigurationMapping: Sendable, Equatable, Sequence {
    /// The keys in insertion order.
    public private(set) var keys: [String] = []
    private var storage: [String: ConfigurationValue] = [:]

    /// An empty mapping.
    public init() {}

    /// A mapping with the given pairs in order (a repeated key keeps its first position and last value).
    public init(_ pairs: [(String, ConfigurationValue)]) {
        for (key, value) in pairs { self[key] = value }
    }

    /// The number of keys.
    public var count: Int { keys.count }

    /// The value for a key; setting `nil` removes the key, setting a new key appends it.
    public subscript(key: String) -> ConfigurationValue? {
        get { storage[key] }
        set {
            if let newValue {
                if storage.updateValue(newValue, forKey: key) == nil { keys.append(key) }
            } else {
                removeValue(forKey: key)
            }
        }
    }

    /// Removes a key and returns its value.
    @discardableResult
    public mutating func removeValue(forKey key: String) -> ConfigurationValue? {
        guard let value = storage.removeValue(forKey: key) else { return nil }
        keys.removeAll { $0 == key }
        return value
    }

    /// Iterates `(key, value)` pairs in key order.
    public func makeIterator() -> AnyIterator<(key: String, value: ConfigurationValue)> {
        var index = 0
        return AnyIterator {
            guard index < keys.count else { return nil }
            defer { index += 1 }
            return (keys[index], storage[keys[index]] ?? .null)
        }
    }

    /// Two mappings are equal when they hold the same keys and values, in any order.
    public static func == (lhs: ConfigurationMapping, rhs: ConfigurationMapping) -> Bool {
        lhs.storage == rhs.storage
    }
}

/// Dotted-path helpers.
enum ConfigurationPath {
    /// Splits `"a.b.c"` into components (an empty path is the root).
    static func components(_ path: String) -> [String] {
        path.isEmpty ? [] : path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    }

    /// Joins components, `"<root>"` for none.
    static func joined(_ components: [String]) -> String {
        components.isEmpty ? "<root>" : components.joined(separator: ".")
    }
}

extension ConfigurationValue: ExpressibleByDictionaryLiteral, ExpressibleByArrayLiteral, ExpressibleByStringLiteral,
    ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral, ExpressibleByBooleanLiteral, ExpressibleByNilLiteral
{
    /// A mapping literal, keys in the written order.
    public init(dictionaryLiteral elements: (String, ConfigurationValue)...) {
        self = .mapping(ConfigurationMapping(elements))
    }
    /// A sequence literal.
    public init(arrayLiteral elements: ConfigurationValue...) { self = .sequence(elements) }
    /// A string literal.
    public init(stringLiteral value: String) { self = .string(value) }
    /// An integer literal.
    public init(integerLiteral value: Int) { self = .int(value) }
    /// A floating-point literal.
    public init(floatLiteral value: Double) { self = .double(value) }
    /// A boolean literal.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    /// `nil` is ``null``.
    public init(nilLiteral: ()) { self = .null }
}
