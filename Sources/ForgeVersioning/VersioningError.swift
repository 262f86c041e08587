import Foundation

/// An error from ForgeVersioning: what went wrong and where (a path, a name, an object id).
///
/// Every failure caused by outside input — a file on disk, a name typed by a user, a remote's
/// answer — is reported with one of these cases; the store is never left half-written by them.
public enum VersioningError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A relative path inside a tree was rejected (empty, absolute, contains `..`, or a bad character).
    case invalidPath(String, reason: String)
    /// A version name or tag was rejected (allowed: letters, digits, `.`, `_`, `-`; not starting with `.`).
    case invalidName(String, reason: String)
    /// A symbolic link inside a snapshotted tree points outside the tree.
    case symlinkEscapesTree(path: String, target: String)
    /// A reference (`name`, `name@v3`, `name@tag`, or a version id) does not resolve to a version.
    case unknownReference(String)
    /// The object with this id is not in the store (or remote) at `path`.
    case missingObject(id: String, path: String)
    /// The object at `path` does not hash to its id: it was corrupted on disk or in transit.
    case corruptObject(id: String, path: String, actualID: String)
    /// A stored record (manifest, version, chunk list, lineage, name log) could not be parsed.
    case malformedRecord(kind: String, location: String, reason: String)
    /// A file-system call failed.
    case fileSystem(operation: String, path: String, code: Int32)
    /// The store directory does not exist or is not a Forge store.
    case notAStore(path: String)
    /// A remote answered with an HTTP status that means failure.
    case remoteFailure(operation: String, key: String, status: Int, message: String)
    /// A DVC file or cache entry was malformed or missing.
    case dvc(path: String, reason: String)

    /// A one-line human-readable description naming what failed and where.
    public var description: String {
        switch self {
        case .invalidPath(let path, let reason): "invalid path '\(path)': \(reason)"
        case .invalidName(let name, let reason): "invalid name '\(name)': \(reason)"
        case .symlinkEscapesTree(let path, let target): "symlink '\(path)' -> '\(target)' escapes the tree"
        case .unknownReference(let reference): "unknown version reference '\(reference)'"
        case .missingObject(let id, let path): "missing object \(id) (expected at \(path))"
        case .corruptObject(let id, let path, let actual):
            "corrupt object \(id) at \(path): content hashes to \(actual)"
        case .malformedRecord(let kind, let location, let reason): "malformed \(kind) at \(location): \(reason)"
        case .fileSystem(let operation, let path, let code):
            "\(operation) failed for \(path): \(String(cString: strerror(code))) (errno \(code))"
        case .notAStore(let path): "not a Forge versioning store: \(path)"
        case .remoteFailure(let operation, let key, let status, let message):
            "remote \(operation) of '\(key)' failed with HTTP \(status): \(message)"
        case .dvc(let path, let reason): "DVC data at \(path): \(reason)"
        }
    }
}
