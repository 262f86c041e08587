/// Validation of names and relative paths that come from outside (users, manifests, DVC files).
public enum TreePath {
    /// Throws ``VersioningError/invalidPath(_:reason:)`` unless `path` is a clean relative path:
    /// non-empty, not absolute, no empty, `.` or `..` component, no NUL byte.
    public static func validate(_ path: String) throws {
        func reject(_ reason: String) -> VersioningError { .invalidPath(path, reason: reason) }
        if path.isEmpty { throw reject("empty") }
        if path.hasPrefix("/") { throw reject("absolute paths are not allowed") }
        if path.utf8.contains(0) { throw reject("contains a NUL byte") }
        for component in path.split(separator: "/", omittingEmptySubsequences: false) {
            if component.isEmpty { throw reject("empty component") }
            if component == "." { throw reject("'.' component") }
            if component == ".." { throw reject("'..' escapes the tree") }
        }
    }

    /// Throws ``VersioningError/invalidName(_:reason:)`` unless `name` is 1–200 characters of letters,
    /// digits, `.`, `_`, `-`, not starting with `.` or `-` (used for version names and tags).
    public static func validateName(_ name: String) throws {
        func reject(_ reason: String) -> VersioningError { .invalidName(name, reason: reason) }
        if name.isEmpty || name.utf8.count > 200 { throw reject("must be 1 to 200 characters") }
        if name.hasPrefix(".") || name.hasPrefix("-") { throw reject("must not start with '.' or '-'") }
        let allowed = name.utf8.allSatisfy { byte in
            (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122)
                || byte == 46 || byte == 95 || byte == 45
        }
        if !allowed { throw reject("only letters, digits, '.', '_' and '-' are allowed") }
    }

    /// Whether a symlink at `linkPath` (relative to the tree root) pointing at `target` stays inside.
    static func symlinkStaysInside(linkPath: String, target: String) -> Bool {
        if target.hasPrefix("/") || target.isEmpty { return false }
        var depth = linkPath.split(separator: "/").count - 1  // the link's folder depth
        for component in target.split(separator: "/") {
            if component == ".." {
                depth -= 1
                if depth < 0 { return false }
            } else if component != "." {
                depth += 1
            }
        }
        return true
    }
}
