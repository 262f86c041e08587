/// One command-line override in Hydra's grammar.
///
/// | text | effect |
/// |---|---|
/// | `optimizer.lr=3e-4` | set an existing key (error if it does not exist) |
/// | `+trainer.seed=1` | add a new key (error if it exists) |
/// | `++trainer.seed=1` | set, adding the key if needed |
/// | `~model.dropout` | delete a key (`~key=value` deletes only if the value matches) |
///
/// Values are YAML flow text typed by the YAML 1.2 core schema: `3e-4` is a number, `[128,64]` a
/// sequence, `'3'` a string, `null` null, and an empty value the empty string.
public struct ConfigurationOverride: Sendable, Equatable, CustomStringConvertible {
    /// What the override does.
    public enum Operation: String, Sendable, Equatable {
        /// `key=value`: the key must exist.
        case set
        /// `+key=value`: the key must not exist.
        case add
        /// `++key=value`: set or add.
        case forceSet
        /// `~key` or `~key=value`.
        case delete
    }

    /// What the override does.
    public var operation: Operation
    /// The dotted key path.
    public var keyPath: String
    /// The new value (for delete: the value that must match, or `nil`).
    public var value: ConfigurationValue?
    /// The text as written.
    public var text: String

    /// The text as written.
    public var description: String { text }

    /// Parses one override; a value with top-level commas (a sweep) is rejected — see ``parseSweep(_:)``.
    /// - Throws: ``ConfigurationError`` with code `invalidOverride` naming the override.
    public static func parse(_ text: String) throws -> ConfigurationOverride {
        let alternatives = try parseSweep(text)
        guard alternatives.count == 1, let override = alternatives.first else {
            throw ConfigurationError(
                .invalidOverride,
                "override '\(text)' lists \(alternatives.count) values; a comma-separated list is a multirun sweep "
                    + "(quote the value to use a comma in a string)")
        }
        return override
    }

    /// Parses an override whose value may be a comma-separated sweep (`lr=1e-3,1e-4`), one override per value.
    /// - Throws: ``ConfigurationError`` with code `invalidOverride`.
    public static func parseSweep(_ text: String) throws -> [ConfigurationOverride] {
        var body = Substring(text.trimmingWhitespace())
        let operation: Operation
        if body.hasPrefix("++") {
            operation = .forceSet
            body = body.dropFirst(2)
        } else if body.hasPrefix("+") {
            operation = .add
            body = body.dropFirst()
        } else if body.hasPrefix("~") {
            operation = .delete
            body = body.dropFirst()
        } else {
            operation = .set
        }
        let key: Substring
        let valueText: Substring?
        if let equals = body.firstIndex(of: "=") {
            key = body[..<equals]
            valueText = body[body.index(after: equals)...]
        } else {
            key = body
            valueText = nil
        }
        let keyPath = String(key)
        let components = ConfigurationPath.components(keyPath)
        guard !components.isEmpty, components.allSatisfy({ !$0.isEmpty && !$0.contains(where: \.isWhitespace) }) else {
            throw ConfigurationError(.invalidOverride, "override '\(text)' has no valid key (expected key.path=value)")
        }
        guard let valueText else {
            guard operation == .delete else {
                throw ConfigurationError(
                    .invalidOverride, "override '\(text)' has no '=value' (use ~\(keyPath) to delete)")
            }
            return [ConfigurationOverride(operation: .delete, keyPath: keyPath, value: nil, text: text)]
        }
        let pieces = try splitTopLevel(valueText, override: text)
        let prefix = text.prefix(text.count - valueText.count)
        return try pieces.map { piece in
            ConfigurationOverride(
                operation: operation, keyPath: keyPath, value: try parseValue(piece, override: text),
                text: pieces.count == 1 ? text : prefix + piece)
        }
    }

    /// Parses a value as YAML flow text.
    static func parseValue(_ text: String, override: String) throws -> ConfigurationValue {
        let trimmed = text.trimmingWhitespace()
        if trimmed.isEmpty { return .string("") }
        do {
            let value = try ConfigurationValue(yaml: trimmed)
            if case .mapping = value, !(trimmed.hasPrefix("{")) {
                // `a: b` would parse as a mapping; as an override value it is a string with a colon.
                return .string(trimmed)
            }
            return value
        } catch let error as ConfigurationError {
            throw ConfigurationError(
                .invalidOverride, "override '\(override)': value '\(trimmed)' is not valid YAML (\(error.message))")
        }
    }

    /// Splits at commas outside brackets, braces and quotes.
    static func splitTopLevel(_ text: Substring, override: String) throws -> [String] {
        var pieces: [String] = []
        var current = ""
        var depth = 0
        var quote: Character?
        for character in text {
            if let open = quote {
                if character == open { quote = nil }
                current.append(character)
                continue
            }
            switch character {
            case "'", "\"": quote = character
            case "[", "{": depth += 1
            case "]", "}": depth -= 1
            case "," where depth == 0:
                pieces.append(current)
                current = ""
                continue
            default: break
            }
            guard depth >= 0 else {
                throw ConfigurationError(.invalidOverride, "override '\(override)' has an unbalanced bracket")
            }
            current.append(character)
        }
        guard depth == 0, quote == nil else {
            throw ConfigurationError(.invalidOverride, "override '\(override)' has an unclosed bracket or quote")
        }
        pieces.append(current)
        return pieces
    }

    /// Applies the override to a tree.
    /// - Throws: ``ConfigurationError``: `missingKey` when setting an absent key without `+`, `keyExists`
    ///   when adding a present key, `missingKey` when deleting an absent key or a value that does not match.
    public func apply(to configuration: inout ConfigurationValue) throws {
        let components = ConfigurationPath.components(keyPath)
        let existing = configuration.value(at: components)
        if existing == nil, operation == .add || operation == .forceSet {
            // A new key can only go into a mapping: never turn a list or a scalar into a mapping.
            var ancestor = components.dropLast()
            while configuration.value(at: Array(ancestor)) == nil { ancestor = ancestor.dropLast() }
            if let parent = configuration.value(at: Array(ancestor)), parent.mapping == nil {
                throw ConfigurationError(
                    .invalidOverride,
                    "cannot add '\(text)': '\(ConfigurationPath.joined(Array(ancestor)))' is \(parent.kindDescription), "
                        + "not a mapping",
                    keyPath: keyPath)
            }
        }
        switch operation {
        case .set:
            guard existing != nil else {
                throw ConfigurationError(
                    .missingKey,
                    "cannot override '\(text)': the key does not exist; to add it write +\(text)", keyPath: keyPath)
            }
            configuration.setValue(value ?? .null, at: components[...])
        case .add:
            guard existing == nil else {
                throw ConfigurationError(
                    .keyExists, "cannot add '\(text)': the key already exists; to change it write \(text.dropFirst())",
                    keyPath: keyPath)
            }
            configuration.setValue(value ?? .null, at: components[...])
        case .forceSet:
            configuration.setValue(value ?? .null, at: components[...])
        case .delete:
            guard let existing else {
                throw ConfigurationError(
                    .missingKey, "cannot delete '\(text)': the key does not exist", keyPath: keyPath)
            }
            if let value, value != existing {
                throw ConfigurationError(
                    .missingKey, "cannot delete '\(text)': the value is \(existing.flowText(quoted: true))",
                    keyPath: keyPath)
            }
            configuration.removeValue(at: components[...])
        }
    }
}

extension ConfigurationValue {
    /// The tree with command-line overrides applied in order.
    ///
    /// ```swift
    /// let tuned = try configuration.applying(overrides: ["optimizer.lr=3e-4", "model.hidden=[128,64]", "+seed=1"])
    /// ```
    /// - Throws: ``ConfigurationError`` from parsing or applying an override.
    public func applying(overrides: [String]) throws -> ConfigurationValue {
        var result = self
        for text in overrides { try ConfigurationOverride.parse(text).apply(to: &result) }
        return result
    }
}

extension StringProtocol {
    /// The text without leading and trailing whitespace.
    func trimmingWhitespace() -> String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
