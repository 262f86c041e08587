import Yams

extension ConfigurationValue {
    /// The tree as a YAML document, keys in order; strings that would read back as another type are quoted.
    ///
    /// Sequences of scalars are written in flow style (`hidden: [128, 64]`), so a dump reads like a
    /// hand-written config and parses back to the same tree.
    /// - Throws: ``ConfigurationError`` (`unrepresentable`) if the YAML emitter fails.
    public func yamlString() throws -> String {
        do {
            return try Yams.serialize(node: node(), indent: 2, width: -1, sortKeys: false)
        } catch {
            throw ConfigurationError(.unrepresentable, "cannot write YAML: \(error)")
        }
    }

    /// The leaves as dotted keys → text, for logging a resolved configuration as run parameters.
    ///
    /// Mappings become dotted prefixes; scalars their YAML text (strings unquoted); sequences and empty
    /// mappings their flow form (`"[128, 64]"`, `"{}"`).
    ///
    /// ```swift
    /// let configuration: ConfigurationValue = ["optimizer": ["lr": 0.001], "model": ["hidden": [128, 64]]]
    /// configuration.flattened()  // ["optimizer.lr": "0.001", "model.hidden": "[128, 64]"]
    /// ```
    public func flattened() -> [String: String] {
        var result: [String: String] = [:]
        func visit(_ value: ConfigurationValue, prefix: String) {
            if case .mapping(let mapping) = value, mapping.count > 0 {
                for (key, child) in mapping { visit(child, prefix: prefix.isEmpty ? key : prefix + "." + key) }
            } else {
                result[prefix.isEmpty ? "<root>" : prefix] = value.flowText(quoted: false)
            }
        }
        visit(self, prefix: "")
        return result
    }

    /// Scalar text for YAML and logs.
    var scalarText: String? {
        switch self {
        case .string(let string): return string
        case .int(let integer): return String(integer)
        case .double(let number):
            if number.isNaN { return ".nan" }
            if number.isInfinite { return number > 0 ? ".inf" : "-.inf" }
            return String(number)
        case .bool(let flag): return flag ? "true" : "false"
        case .null: return "null"
        case .mapping, .sequence: return nil
        }
    }

    /// One-line flow form: `[1, 2]`, `{a: 1}`, scalars as text (strings quoted inside collections when needed).
    func flowText(quoted: Bool) -> String {
        switch self {
        case .sequence(let elements):
            return "[" + elements.map { $0.flowText(quoted: true) }.joined(separator: ", ") + "]"
        case .mapping(let mapping):
            return "{" + mapping.map { "\($0.key): \($0.value.flowText(quoted: true))" }.joined(separator: ", ") + "}"
        case .string(let string):
            let needsQuotes =
                !ScalarResolver.isPlainString(string) || string.contains(where: { ",[]{}:#\"'".contains($0) })
            return quoted && needsQuotes ? "\"" + string.replacingOccurrences(of: "\"", with: "\\\"") + "\"" : string
        default:
            return scalarText ?? ""
        }
    }

    private func node() -> Node {
        switch self {
        case .mapping(let mapping):
            let pairs = mapping.map { (Node($0.key), $0.value.node()) }
            return .mapping(Node.Mapping(pairs, .implicit, mapping.count == 0 ? .flow : .block))
        case .sequence(let elements):
            let isFlat = elements.allSatisfy { $0.scalarText != nil }
            return .sequence(Node.Sequence(elements.map { $0.node() }, .implicit, isFlat ? .flow : .block))
        case .string(let string):
            // Quote when the plain text would resolve to another type under YAML 1.2 or YAML 1.1.
            let plainIsString =
                ScalarResolver.isPlainString(string) && Resolver.default.resolveTag(of: Node(string)) == .str
            return .scalar(Node.Scalar(string, Tag(.str), plainIsString ? .any : .doubleQuoted))
        default:
            return .scalar(Node.Scalar(scalarText ?? "null", .implicit, .plain))
        }
    }
}
