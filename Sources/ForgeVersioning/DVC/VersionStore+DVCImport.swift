import Crypto
public import Foundation

extension VersionStore {
    /// Imports a DVC-tracked output (its `.dvc` file and the repository's cache) as a new version.
    ///
    /// Every cache file's MD5 is checked against the `.dvc`/`.dir` records, and every `relpath` is
    /// validated, before anything is stored.
    ///
    /// - Parameters:
    ///   - dvcFile: the `.dvc` file.
    ///   - cache: the DVC cache folder (default: `.dvc/cache` next to the `.dvc` file's repository).
    ///   - name: the name to record the version under.
    ///   - message: the version's message.
    /// - Throws: ``VersioningError/dvc(path:reason:)`` for a malformed `.dvc` file, a missing cache entry
    ///   or an MD5 mismatch; ``VersioningError/invalidPath(_:reason:)`` for an unsafe `relpath`.
    @discardableResult
    public func importFromDVC(dvcFile: URL, cache: URL? = nil, name: String, message: String = "imported from DVC")
        throws -> SnapshotResult
    {
        try TreePath.validateName(name)
        let filePath = dvcFile.standardizedFileURL.path
        let output = try DVCFile.parse(String(decoding: try FileSystem.read(filePath), as: UTF8.self), path: filePath)
        let cacheRoot: String
        if let cache {
            cacheRoot = cache.standardizedFileURL.path
        } else {
            cacheRoot = try DVCFile.repositoryRoot(containing: (filePath as NSString).deletingLastPathComponent) + "/.dvc/cache"
        }
        let dvcCache = DVCCache(root: cacheRoot)
        var files: [(relativePath: String, md5: String)]
        let staging = rootPath + "/tmp/dvc-import-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: staging) }
        if output.md5.hasSuffix(".dir") {
            let listingPath = dvcCache.path(output.md5)
            guard FileSystem.exists(listingPath) else { throw VersioningError.dvc(path: listingPath, reason: "missing .dir manifest") }
            let bytes = try FileSystem.read(listingPath)
            try DVCFile.checkMD5(bytes, expected: String(output.md5.dropLast(4)), path: listingPath)
            files = try DVCFile.parseDirectoryManifest(bytes, path: listingPath)
        } else {
            files = [((output.path as NSString).lastPathComponent, output.md5)]
        }
        for (relativePath, md5) in files {
            try TreePath.validate(relativePath)
            let source = dvcCache.path(md5)
            guard FileSystem.exists(source) else { throw VersioningError.dvc(path: source, reason: "missing cache file for \(relativePath)") }
            try DVCFile.checkMD5(try FileSystem.read(source), expected: md5, path: source)
            let destination = staging + "/" + relativePath
            try FileSystem.makeDirectories((destination as NSString).deletingLastPathComponent)
            try FileSystem.copyFile(from: source, to: destination, mode: 0o644)
        }
        let tree = output.md5.hasSuffix(".dir") ? staging : staging + "/" + files[0].relativePath
        return try snapshot(URL(fileURLWithPath: tree), name: name, message: message, metadata: ["dvc.md5": output.md5])
    }
}

/// The parts of a `.dvc` file Forge reads: the first output's `md5` and `path`.
enum DVCFile {
    struct Output {
        var md5: String
        var path: String
    }

    static func parse(_ text: String, path: String) throws -> Output {
        var fields: [String: String] = [:]
        var inFirstOutput = false
        for raw in text.split(separator: "\n") {
            let line = String(raw)
            if line.hasPrefix("- ") {
                if inFirstOutput { break }
                inFirstOutput = true
            } else if !line.hasPrefix("  ") {
                if inFirstOutput { break }
                continue
            }
            let body = line.dropFirst(2)
            guard let colon = body.firstIndex(of: ":") else { continue }
            var value = body[body.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, let first = value.first, first == "'" || first == "\"", value.last == first {
                value = String(value.dropFirst().dropLast()).replacingOccurrences(of: "''", with: "'")
            }
            fields[body[..<colon].trimmingCharacters(in: .whitespaces)] = value
        }
        guard let md5 = fields["md5"], let output = fields["path"] else {
            throw VersioningError.dvc(path: path, reason: "no output with md5 and path")
        }
        let hex = md5.hasSuffix(".dir") ? String(md5.dropLast(4)) : md5
        guard hex.count == 32, hex.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else {
            throw VersioningError.dvc(path: path, reason: "md5 '\(md5)' is not 32 hex digits")
        }
        try TreePath.validate(output)
        return Output(md5: md5, path: output)
    }

    static func parseDirectoryManifest(_ data: Data, path: String) throws -> [(relativePath: String, md5: String)] {
        guard let list = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]] else {
            throw VersioningError.dvc(path: path, reason: "not a JSON list of entries")
        }
        return try list.map { item in
            guard let md5 = item["md5"] as? String, md5.count == 32, let relativePath = item["relpath"] as? String else {
                throw VersioningError.dvc(path: path, reason: "entry without md5 and relpath")
            }
            return (relativePath, md5)
        }
    }

    static func checkMD5(_ data: Data, expected: String, path: String) throws {
        let actual = Array(Insecure.MD5.hash(data: data)).hexString
        guard actual == expected else { throw VersioningError.dvc(path: path, reason: "MD5 is \(actual), expected \(expected)") }
    }

    /// The nearest folder at or above `directory` holding `.dvc/`.
    static func repositoryRoot(containing directory: String) throws -> String {
        var current = directory
        while true {
            if FileSystem.exists(current + "/.dvc") { return current }
            let parent = (current as NSString).deletingLastPathComponent
            if parent == current || parent.isEmpty { throw VersioningError.dvc(path: directory, reason: "no .dvc folder above") }
            current = parent
        }
    }
}
