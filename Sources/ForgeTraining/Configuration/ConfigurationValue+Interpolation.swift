extension ConfigurationValue {
    /// The tree with every `${key.path}` reference replaced by the value it names.
    ///
    /// A string that is exactly one reference takes the referenced value with its type
    /// (`lr: ${optimizer.lr}` stays a number; a reference to a mapping copies the mapping). References
    /// inside longer text are replaced by the referenced scalar's text
    /// (`name: run-${seed}` → `"run-7"`). References are absolute paths from the root and may chain;
    /// `\${` writes a literal `${`.
    /// - Throws: ``ConfigurationError`` with code `interpolation` for a missing key, a cycle, an
    ///   unclosed `${`, or a collection spliced into text, naming the key that holds the reference.
    public func resolvingInterpolations() throws -> ConfigurationValue {
        var resolver = InterpolationResolver(root: self)
        return try resolver.resolve(self, path: [])
    }
}

/// Resolves `${…}` references against a root tree, detecting cycles.
private struct InterpolationResolver {
    let root: ConfigurationValue
    var inProgress: [String] = []

    mutating func resolve(_ value: ConfigurationValue, path: [String]) throws -> ConfigurationValue {
        switch value {
        case .mapping(let mapping):
            var result = ConfigurationMapping()
            for (key, child) in mapping { result[key] = try resolve(child, path: path + [key]) }
            return .mapping(result)
        case .sequence(let elements):
            return .sequence(try elements.enumerated().map { try resolve($1, path: path + [String($0)]) })
        case .string(let text) where text.contains("${"):
            return try interpolate(text, path: path)
        default:
            return value
        }
    }

    private mutating func interpolate(_ text: String, path: [String]) throws -> ConfigurationValue {
        let location = ConfigurationPath.joined(path)
        let segments = try Self.segments(of: text, keyPath: location)
        if segments.count == 1, case .reference(let reference) = segments[0] {
            return try lookUp(reference, from: location)
        }
        var output = ""
        for segment in segments {
            switch segment {
            case .text(let literal):
                output += literal
            case .reference(let reference):
                let value = try lookUp(reference, from: location)
                guard let scalar = value.scalarText else {
                    throw ConfigurationError(
                        .interpolation, "cannot insert \(value.kindDescription) '${\(reference)}' into text '\(text)'",
                        keyPath: location)
                }
                output += scalar
            }
        }
        return .string(output)
    }

    private mutating func lookUp(_ reference: String, from location: String) throws -> ConfigurationValue {
        guard !inProgress.contains(reference) else {
            throw ConfigurationError(
                .interpolation,
                "interpolation cycle: " + (inProgress + [reference]).map { "${\($0)}" }.joined(separator: " → "),
                keyPath: location)
        }
        let components = ConfigurationPath.components(reference)
        guard let target = root.value(at: components) else {
            throw ConfigurationError(
                .interpolation, "'${\(reference)}' refers to a key that does not exist", keyPath: location)
        }
        inProgress.append(reference)
        defer { inProgress.removeLast() }
        return try resolve(target, path: components)
    }

    enum Segment {
        case text(String)
        case reference(String)
    }

    static func segments(of text: String, keyPath: String) throws -> [Segment] {
        var segments: [Segment] = []
        var literal = ""
        var index = text.startIndex
        while index < text.endIndex {
            let rest = text[index...]
            if rest.hasPrefix("\\${") {
                literal += "${"
                index = text.index(index, offsetBy: 3)
            } else if rest.hasPrefix("${") {
                guard let close = rest.firstIndex(of: "}") else {
                    throw ConfigurationError(.interpolation, "unclosed '${' in '\(text)'", keyPath: keyPath)
                }
                let reference = String(rest[rest.index(index, offsetBy: 2)..<close]).trimmingWhitespace()
                guard !reference.isEmpty else {
                    throw ConfigurationError(.interpolation, "empty reference '${}' in '\(text)'", keyPath: keyPath)
                }
                if !literal.isEmpty { segments.append(.text(literal)) }
                literal = ""
                segments.append(.reference(reference))
                index = text.index(after: close)
            } else {
                literal.append(text[index])
                index = text.index(after: index)
            }
        }
        if !literal.isEmpty || segments.isEmpty { segments.append(.text(literal)) }
        return segments
    }
}
