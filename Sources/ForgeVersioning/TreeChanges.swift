/// A path that moved: same content, new path.
public struct Rename: Hashable, Sendable {
    /// The old path.
    public var from: String
    /// The new path.
    public var to: String

    /// Creates a rename.
    public init(from: String, to: String) {
        self.from = from
        self.to = to
    }
}

/// What differs between two trees (a version and a working directory, or two versions).
///
/// Content decides: a path is modified when its bytes (or kind) changed; a removed path whose exact
/// content reappears under an added path is reported as a rename instead. Permission bits are ignored.
public struct TreeChanges: Hashable, Sendable, CustomStringConvertible {
    /// Paths only in the newer tree.
    public var added: [String] = []
    /// Paths only in the older tree.
    public var removed: [String] = []
    /// Paths in both with different content.
    public var modified: [String] = []
    /// Paths whose content moved.
    public var renamed: [Rename] = []

    /// Creates a change set.
    public init(added: [String] = [], removed: [String] = [], modified: [String] = [], renamed: [Rename] = []) {
        self.added = added
        self.removed = removed
        self.modified = modified
        self.renamed = renamed
    }

    /// True when nothing changed.
    public var isClean: Bool { added.isEmpty && removed.isEmpty && modified.isEmpty && renamed.isEmpty }

    /// `git status --short`-style lines (`A path`, `D path`, `M path`, `R old -> new`).
    public var description: String {
        let lines = added.map { "A \($0)" } + removed.map { "D \($0)" } + modified.map { "M \($0)" }
            + renamed.map { "R \($0.from) -> \($0.to)" }
        return lines.isEmpty ? "clean" : lines.joined(separator: "\n")
    }

    /// The changes from `old` to `new`.
    public static func between(_ old: [ManifestEntry], _ new: [ManifestEntry]) -> TreeChanges {
        let oldByPath = Dictionary(old.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        let newByPath = Dictionary(new.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        var changes = TreeChanges()
        var added: [ManifestEntry] = []
        for entry in new {
            if let before = oldByPath[entry.path] {
                if before.object != entry.object || before.kind != entry.kind { changes.modified.append(entry.path) }
            } else {
                added.append(entry)
            }
        }
        var removedByObject: [ObjectID: [String]] = [:]
        var removed: [String] = []
        for entry in old where newByPath[entry.path] == nil {
            removedByObject[entry.object, default: []].append(entry.path)
            removed.append(entry.path)
        }
        var renamedFrom = Set<String>()
        for entry in added {
            if var candidates = removedByObject[entry.object], !candidates.isEmpty {
                let from = candidates.removeFirst()
                removedByObject[entry.object] = candidates
                renamedFrom.insert(from)
                changes.renamed.append(Rename(from: from, to: entry.path))
            } else {
                changes.added.append(entry.path)
            }
        }
        changes.removed = removed.filter { !renamedFrom.contains($0) }
        return changes
    }
}
