/// What ``Module/load(stateDict:strict:)`` found when it matched a state dict against a module.
///
/// Keys are dotted names (`features.0.weight`), each list sorted.
public struct StateDictLoadReport: Sendable, Hashable, CustomStringConvertible {
    /// A key present on both sides with different shapes.
    public struct ShapeMismatch: Sendable, Hashable, CustomStringConvertible {
        /// The dotted name.
        public let key: String
        /// The shape the module's parameter or buffer has.
        public let expected: [Int]
        /// The shape the state dict holds.
        public let found: [Int]

        /// Creates a mismatch record.
        public init(key: String, expected: [Int], found: [Int]) {
            self.key = key
            self.expected = expected
            self.found = found
        }

        /// `0.weight: expected [4, 1, 3, 3], found [4, 1, 5, 5]`.
        public var description: String { "\(key): expected \(expected), found \(found)" }
    }

    /// Keys copied into the module.
    public internal(set) var loadedKeys: [String] = []
    /// The module's keys the state dict lacks (left unchanged).
    public internal(set) var missingKeys: [String] = []
    /// The state dict's keys the module does not have (ignored).
    public internal(set) var unexpectedKeys: [String] = []
    /// Keys on both sides whose shapes differ (left unchanged).
    public internal(set) var shapeMismatches: [ShapeMismatch] = []

    /// Whether every key matched by name and shape: nothing missing, unexpected or mismatched.
    public var isExact: Bool { missingKeys.isEmpty && unexpectedKeys.isEmpty && shapeMismatches.isEmpty }

    /// One line per kind of problem, naming the keys, or `all N keys matched`.
    public var description: String {
        if isExact { return "all \(loadedKeys.count) keys matched" }
        var lines: [String] = []
        if !missingKeys.isEmpty { lines.append("missing keys: " + missingKeys.joined(separator: ", ")) }
        if !unexpectedKeys.isEmpty { lines.append("unexpected keys: " + unexpectedKeys.joined(separator: ", ")) }
        if !shapeMismatches.isEmpty {
            lines.append("shape mismatches: " + shapeMismatches.map(\.description).joined(separator: "; "))
        }
        return lines.joined(separator: "\n")
    }
}

/// A state dict that does not fit a module under strict loading; the module was left unchanged.
///
/// ```swift
/// do {
///     try model.load(stateDict: weights)
/// } catch let error as StateDictError {
///     print(error.report.missingKeys, error.report.shapeMismatches)
/// }
/// ```
public struct StateDictError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Every missing, unexpected and shape-mismatched key.
    public let report: StateDictLoadReport
    /// The checkpoint file, when the state dict came from one.
    public let path: String?

    /// Creates the error.
    public init(report: StateDictLoadReport, path: String? = nil) {
        self.report = report
        self.path = path
    }

    /// What did not match and where, e.g. `state dict does not match the module (model.safetensors):
    /// missing keys: 1.running_mean`.
    public var description: String {
        "state dict does not match the module" + (path.map { " (\($0))" } ?? "") + ":\n" + report.description
    }
}
