public import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How ``VersionStore/checkout(_:to:strategy:removingOthers:)`` puts whole-file objects into place.
public enum MaterializeStrategy: Sendable {
    /// A kernel copy, which clones the file (no data copied) on file systems that support it
    /// (Btrfs, XFS, APFS) and copies otherwise. Files are writable.
    case copy
    /// A hard link to the store's read-only object when on the same file system (instant, no space),
    /// falling back to ``copy``. Linked files are read-only: edit a copy, never the link.
    case hardLink
}

extension VersionStore {
    /// Materializes a version into `directory`, writing only files whose content differs.
    ///
    /// Each file is written to a temporary next to it and renamed into place. Chunked files are
    /// reassembled from their chunks. Afterwards the stat cache knows every file, so `status` is clean
    /// without hashing.
    ///
    /// - Parameters:
    ///   - reference: the version (`digits@v2`, `digits@prod`, an id, …).
    ///   - directory: the target directory (created when missing).
    ///   - strategy: copy/clone (default) or hard links.
    ///   - removingOthers: delete files under `directory` that the version does not have.
    /// - Throws: ``VersioningError`` for unknown references, missing or corrupt objects, or paths that
    ///   would be written through a symlink.
    public func checkout(
        _ reference: String, to directory: URL, strategy: MaterializeStrategy = .copy, removingOthers: Bool = false
    ) throws {
        let manifest = try manifest(of: resolve(reference))
        let directoryPath = directory.standardizedFileURL.path
        try FileSystem.makeDirectories(directoryPath)
        let present = try workingEntries(of: directory)
        let presentByPath = Dictionary(present.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        for entry in manifest.entries {
            if let existing = presentByPath[entry.path], existing.object == entry.object, existing.kind == entry.kind {
                continue
            }
            try materialize(entry, into: directoryPath, strategy: strategy)
        }
        if removingOthers {
            let wanted = manifest.entriesByPath
            for entry in present where wanted[entry.path] == nil { unlink(directoryPath + "/" + entry.path) }
        }
        _ = try workingEntries(of: directory)  // refreshes the stat cache for the new files
    }

    private func materialize(_ entry: ManifestEntry, into root: String, strategy: MaterializeStrategy) throws {
        try ensureRealDirectories(for: entry.path, under: root)
        let destination = root + "/" + entry.path
        let temporary = destination + ".forge-\(UUID().uuidString.prefix(8))"
        switch entry.kind {
        case .symlink:
            let target = String(decoding: try readObject(entry.object), as: UTF8.self)
            guard TreePath.symlinkStaysInside(linkPath: entry.path, target: target) else {
                throw VersioningError.symlinkEscapesTree(path: entry.path, target: target)
            }
            guard symlink(target, temporary) == 0 else { throw FileSystem.error("symlink", temporary) }
        case .file:
            let source = objectPath(entry.object)
            guard containsObject(entry.object) else {
                throw VersioningError.missingObject(id: entry.object.hex, path: source)
            }
            if verifyReads { _ = try readObject(entry.object, verify: true) }
            if strategy == .hardLink, link(source, temporary) == 0 { break }
            try FileSystem.copyFile(from: source, to: temporary, mode: mode_t(entry.mode))
        case .chunkedFile:
            try assemble(entry, to: temporary)
        }
        guard rename(temporary, destination) == 0 else {
            let failure = FileSystem.error("rename", destination)
            unlink(temporary)
            throw failure
        }
    }

    private func assemble(_ entry: ManifestEntry, to path: String) throws {
        let list = try chunkList(entry.object)
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode_t(entry.mode))
        guard fd >= 0 else { throw FileSystem.error("create", path) }
        defer { close(fd) }
        for id in list.ids {
            let chunk = try readObject(id)
            try chunk.withUnsafeBytes { try FileSystem.writeFully(fd, $0, path: path) }
        }
    }

    /// Creates the parent folders of `path` under `root`, refusing to go through a symlink.
    private func ensureRealDirectories(for path: String, under root: String) throws {
        var current = root
        for component in path.split(separator: "/").dropLast() {
            current += "/" + component
            if let info = FileSystem.linkStatus(current) {
                guard info.st_mode & S_IFMT == S_IFDIR else {
                    throw VersioningError.invalidPath(path, reason: "'\(current)' is not a real directory")
                }
            } else if mkdir(current, 0o755) != 0 && errno != EEXIST {
                throw FileSystem.error("mkdir", current)
            }
        }
    }
}
