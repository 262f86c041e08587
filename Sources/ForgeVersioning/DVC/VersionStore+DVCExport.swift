import Crypto
public import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What ``VersionStore/exportToDVC(_:repository:path:)`` wrote.
public struct DVCExport: Sendable {
    /// The `.dvc` file.
    public var dvcFile: URL
    /// The MD5 DVC knows the output by (`…​.dir` for a directory).
    public var md5: String
    /// Files written to the DVC cache (the rest were there already).
    public var newCacheFiles: Int
}

extension VersionStore {
    /// Exports a version as a DVC-tracked output: content files and (for a directory) the `.dir` manifest in
    /// DVC's cache layout (`.dvc/cache/files/md5/xx/…`, byte for byte as DVC writes them), plus the
    /// `<path>.dvc` file, so `dvc checkout` materializes it and `dvc status` accepts it.
    ///
    /// - Parameters:
    ///   - reference: the version to export.
    ///   - repository: the DVC repository's root (holding `.dvc/`).
    ///   - path: the output path inside the repository (`data`, `models/classifier`).
    /// - Throws: ``VersioningError/dvc(path:reason:)`` when `repository` has no `.dvc/` or the version
    ///   holds symlinks (DVC does not track them), and the usual store errors.
    @discardableResult
    public func exportToDVC(_ reference: String, repository: URL, path: String) throws -> DVCExport {
        try TreePath.validate(path)
        let repositoryPath = repository.standardizedFileURL.path
        guard FileSystem.exists(repositoryPath + "/.dvc") else {
            throw VersioningError.dvc(path: repositoryPath, reason: "not a DVC repository (no .dvc folder)")
        }
        let version = try resolve(reference)
        let record = try record(version)
        let manifest = try manifest(of: version)
        if let link = manifest.entries.first(where: { $0.kind == .symlink }) {
            throw VersioningError.dvc(path: link.path, reason: "DVC outputs cannot hold symlinks")
        }
        let cache = DVCCache(root: repositoryPath + "/.dvc/cache")
        var newFiles = 0
        var listing: [(relativePath: String, md5: String)] = []
        for entry in manifest.entries {
            let (md5, isNew) = try exportContent(entry, to: cache)
            listing.append((entry.path, md5))
            if isNew { newFiles += 1 }
        }
        // A single-file version whose file is named like the output is exported as a file output.
        let isFile = manifest.entries.count == 1 && manifest.entries[0].path == (path as NSString).lastPathComponent
            && record.fileCount == 1
        let md5: String
        var lines = ["outs:"]
        if isFile {
            md5 = listing[0].md5
            lines += ["- md5: \(md5)", "  size: \(manifest.totalSize)", "  hash: md5"]
        } else {
            let dirBytes = DVCCache.directoryManifest(listing)
            md5 = Insecure.MD5.hash(data: dirBytes).hexString + ".dir"
            if try cache.store(dirBytes, md5: md5) { newFiles += 1 }
            lines += ["- md5: \(md5)", "  size: \(manifest.totalSize)", "  nfiles: \(manifest.entries.count)", "  hash: md5"]
        }
        lines.append("  path: \(DVCCache.yamlScalar((path as NSString).lastPathComponent))")
        let dvcFile = repositoryPath + "/" + path + ".dvc"
        try FileSystem.makeDirectories((dvcFile as NSString).deletingLastPathComponent)
        try FileSystem.writeAtomically(Data((lines.joined(separator: "\n") + "\n").utf8), to: dvcFile,
                                       temporaryDirectory: (dvcFile as NSString).deletingLastPathComponent)
        return DVCExport(dvcFile: URL(fileURLWithPath: dvcFile), md5: md5, newCacheFiles: newFiles)
    }

    /// Writes one entry's content into the DVC cache under its MD5; returns the MD5 and whether it was new.
    private func exportContent(_ entry: ManifestEntry, to cache: DVCCache) throws -> (String, Bool) {
        var hasher = Insecure.MD5()
        let pieces = entry.kind == .chunkedFile ? try chunkList(entry.object).ids : [entry.object]
        for id in pieces { hasher.update(data: try readObject(id)) }
        let md5 = Array(hasher.finalize()).hexString
        let destination = cache.path(md5)
        if FileSystem.exists(destination) { return (md5, false) }
        try FileSystem.makeDirectories((destination as NSString).deletingLastPathComponent)
        let temporary = destination + ".forge-\(UUID().uuidString.prefix(8))"
        if entry.kind == .file {
            try FileSystem.copyFile(from: objectPath(entry.object), to: temporary, mode: 0o444)
        } else {
            let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o444)
            guard fd >= 0 else { throw FileSystem.error("create", temporary) }
            defer { close(fd) }
            for id in pieces {
                try readObject(id).withUnsafeBytes { try FileSystem.writeFully(fd, $0, path: temporary) }
            }
        }
        guard rename(temporary, destination) == 0 else { throw FileSystem.error("rename", destination) }
        return (md5, true)
    }
}

/// DVC's local cache layout and file formats (DVC 3: `files/md5/xx/rest`, `.dir` JSON manifests).
struct DVCCache {
    let root: String

    func path(_ md5: String) -> String {
        let split = md5.index(md5.startIndex, offsetBy: 2)
        return root + "/files/md5/\(md5[..<split])/\(md5[split...])"
    }

    /// Stores `data` as cache entry `md5` when missing; returns whether it was new.
    func store(_ data: Data, md5: String) throws -> Bool {
        let destination = path(md5)
        if FileSystem.exists(destination) { return false }
        try FileSystem.makeDirectories((destination as NSString).deletingLastPathComponent)
        try FileSystem.writeAtomically(data, to: destination, temporaryDirectory: (destination as NSString).deletingLastPathComponent)
        chmod(destination, 0o444)
        return true
    }

    /// The `.dir` bytes exactly as DVC writes them: `json.dumps(sorted list, sort_keys=True)`, i.e.
    /// `[{"md5": "…", "relpath": "…"}, …]` sorted by relpath, with Python's default separators and
    /// ASCII escaping.
    static func directoryManifest(_ listing: [(relativePath: String, md5: String)]) -> Data {
        let sorted = listing.sorted { $0.relativePath.unicodeScalars.lexicographicallyPrecedes($1.relativePath.unicodeScalars) }
        let items = sorted.map { "{\"md5\": \(pythonJSONString($0.md5)), \"relpath\": \(pythonJSONString($0.relativePath))}" }
        return Data(("[" + items.joined(separator: ", ") + "]").utf8)
    }

    /// A string as Python's `json.dumps` (ensure_ascii) writes it.
    static func pythonJSONString(_ text: String) -> String {
        var out = "\""
        for unit in text.utf16 {
            switch unit {
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            case 0x08: out += "\\b"
            case 0x0C: out += "\\f"
            case 0x20..<0x7F: out.unicodeScalars.append(Unicode.Scalar(UInt8(unit)))
            default: out += String(format: "\\u%04x", unit)
            }
        }
        return out + "\""
    }

    /// A YAML scalar: plain when safe, single-quoted otherwise.
    static func yamlScalar(_ text: String) -> String {
        let safe = text.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || "._-/".unicodeScalars.contains($0) }
        return safe && !text.isEmpty ? text : "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }
}
