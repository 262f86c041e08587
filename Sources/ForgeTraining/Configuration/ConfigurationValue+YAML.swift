public import Foundation
import Yams

extension ConfigurationValue {
    /// Parses a YAML document (an empty document is an empty mapping).
    ///
    /// Plain scalars are typed by the YAML 1.2 core schema (see the Configuration article); quoted
    /// scalars are strings. Anchors and aliases are expanded.
    /// - Parameters:
    ///   - yaml: the YAML text.
    ///   - file: the file name to put in error messages, if the text came from a file.
    /// - Throws: ``ConfigurationError`` with code `yamlSyntax` and the line and column of the problem.
    public init(yaml: String, file: String? = nil) throws {
        let node: Node?
        do {
            node = try Yams.compose(yaml: yaml, .basic)
        } catch let error as YamlError {
            throw Self.syntaxError(error, file: file)
        }
        guard let node else {
            self = .emptyMapping
            return
        }
        self = try Self.value(of: node, file: file, path: [])
    }

    /// Loads a YAML file.
    /// - Throws: ``ConfigurationError`` (`fileNotReadable`, `yamlSyntax` with file, line and column).
    public init(contentsOf url: URL) throws {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw ConfigurationError(
                .fileNotReadable, "cannot read file: \(error.localizedDescription)", file: url.path)
        }
        try self.init(yaml: text, file: url.path)
    }

    /// The tree of an `Encodable` value (for example a struct of default hyperparameters).
    /// - Throws: ``ConfigurationError`` (`unrepresentable`) when the value cannot be encoded.
    public init(encoding value: some Encodable) throws {
        let yaml: String
        do {
            yaml = try YAMLEncoder().encode(value)
        } catch {
            throw ConfigurationError(.unrepresentable, "cannot encode \(type(of: value)): \(error)")
        }
        try self.init(yaml: yaml)
    }

    private static func value(of node: Node, file: String?, path: [String]) throws -> ConfigurationValue {
        switch node {
        case .scalar(let scalar):
            switch scalar.style {
            case .plain, .any: return ScalarResolver.resolve(scalar.string)
            default: return .string(scalar.string)
            }
        case .sequence(let sequence):
            return .sequence(
                try sequence.enumerated().map { try value(of: $1, file: file, path: path + [String($0)]) })
        case .mapping(let mapping):
            var result = ConfigurationMapping()
            for (keyNode, valueNode) in mapping {
                guard case .scalar(let key) = keyNode else {
                    throw ConfigurationError(
                        .notAMapping, "mapping keys must be scalars", file: file, line: keyNode.mark?.line,
                        column: keyNode.mark?.column, keyPath: ConfigurationPath.joined(path))
                }
                result[key.string] = try value(of: valueNode, file: file, path: path + [key.string])
            }
            return .mapping(result)
        case .alias(let alias):
            throw ConfigurationError(
                .yamlSyntax, "unresolved alias *\(alias.anchor.rawValue)", file: file, line: alias.mark?.line,
                column: alias.mark?.column)
        }
    }

    private static func syntaxError(_ error: YamlError, file: String?) -> ConfigurationError {
        switch error {
        case .scanner(let context, let problem, let mark, _),
            .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let detail = context.map { "\(problem) (\($0.text))" } ?? problem
            return ConfigurationError(.yamlSyntax, detail, file: file, line: mark.line, column: mark.column)
        case .duplicatedKeysInMapping(let duplicates, let context):
            return ConfigurationError(
                .yamlSyntax, "duplicate keys \(duplicates.joined(separator: ", ")) in a mapping", file: file,
                line: context.mark.line, column: context.mark.column)
        default:
            return ConfigurationError(.yamlSyntax, "\(error)", file: file)
        }
    }
}
