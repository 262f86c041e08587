/// An error from loading, composing, overriding or decoding a configuration, saying what and where.
///
/// ``description`` starts with the location: `file:line:column:` for YAML syntax errors, the dotted key
/// path for problems with a value — for example `optimizer.lr: expected a number, found "fast"`.
public struct ConfigurationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What kind of problem it is.
    public enum Code: String, Sendable, Equatable {
        /// The YAML text could not be parsed.
        case yamlSyntax
        /// A file could not be read.
        case fileNotReadable
        /// A document or value that must be a mapping is not one.
        case notAMapping
        /// The `defaults:` list is malformed.
        case invalidDefaults
        /// A config group option (`model: mlp` → `model/mlp.yaml`) does not exist.
        case groupOptionNotFound
        /// A command-line override is malformed.
        case invalidOverride
        /// An override sets a key that does not exist, without `+`.
        case missingKey
        /// An override adds (`+`) a key that already exists.
        case keyExists
        /// A value has the wrong type for the Swift property it decodes into.
        case typeMismatch
        /// A required key is absent when decoding.
        case keyNotFound
        /// An `${…}` interpolation refers to a missing key, forms a cycle or is malformed.
        case interpolation
        /// A value could not be represented (for example a Codable value that does not encode to a mapping).
        case unrepresentable
    }

    /// What kind of problem it is.
    public var code: Code
    /// What went wrong, without the location.
    public var message: String
    /// The file, when the problem is in a file.
    public var file: String?
    /// 1-based line in ``file`` (or in the YAML string), when known.
    public var line: Int?
    /// 1-based column, when known.
    public var column: Int?
    /// The dotted key path of the value concerned, when there is one.
    public var keyPath: String?

    /// Creates an error.
    public init(
        _ code: Code, _ message: String, file: String? = nil, line: Int? = nil, column: Int? = nil,
        keyPath: String? = nil
    ) {
        self.code = code
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        self.keyPath = keyPath
    }

    /// `location: message`, the location being `file:line:column` and/or the key path.
    public var description: String {
        var location: [String] = []
        if file != nil || line != nil {
            var position = file ?? "<string>"
            if let line { position += ":\(line)" }
            if let column { position += ":\(column)" }
            location.append(position)
        }
        if let keyPath { location.append(keyPath) }
        return location.isEmpty ? message : location.joined(separator: ": ") + ": " + message
    }
}
