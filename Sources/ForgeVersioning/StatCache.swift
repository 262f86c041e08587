import Foundation

/// Remembers, per working tree, which object each file hashed to, keyed by inode, size, modification
/// and change time, so an unchanged file is never read again by `status` or a re-snapshot.
struct StatCache {
    struct Entry {
        var inode: UInt64
        var size: Int
        var modified: Int64
        var changed: Int64
        var kind: EntryKind
        var object: ObjectID
    }

    var entries: [String: Entry] = [:]
    static let header = "forge-statcache 1\n"
    /// Files modified this recently before the cache is saved are not cached: a second write within the
    /// file system's timestamp granularity could otherwise go unnoticed ("racy clean").
    static let racyWindowNanoseconds: Int64 = 20_000_000

    static func path(store: VersionStore, tree: String) -> String {
        let key = ObjectID.hashing(Data(tree.utf8)).hex.prefix(24)
        return store.rootPath + "/cache/stat-\(key)"
    }

    /// Loads the cache; a missing or unreadable cache is simply empty (it is only an accelerator).
    static func load(from path: String) -> StatCache {
        guard let data = try? FileSystem.read(path), data.starts(with: Data(header.utf8)) else { return StatCache() }
        var cache = StatCache()
        _ = LineParser.forEachLine(data, skip: header.utf8.count, fieldCount: 7) { fields in
            guard let inode = LineParser.integer(fields[0]), let size = LineParser.integer(fields[1]),
                let modified = LineParser.integer(fields[2]), let changed = LineParser.integer(fields[3]),
                let kind = EntryKind(rawValue: LineParser.string(fields[4])),
                let object = ObjectID(hex: LineParser.string(fields[5]))
            else { return true }  // a bad line is skipped: the cache is only an accelerator
            cache.entries[Manifest.unescape(LineParser.string(fields[6]))] = Entry(
                inode: UInt64(inode), size: size, modified: Int64(modified), changed: Int64(changed), kind: kind,
                object: object)
            return true
        }
        return cache
    }

    /// The cached entry for `file` when its stat fields are unchanged.
    func lookup(_ file: ScannedFile) -> Entry? {
        guard let entry = entries[file.path], entry.inode == file.inode, entry.size == file.size,
            entry.modified == file.modified, entry.changed == file.changed
        else { return nil }
        return entry
    }

    /// Replaces the cache with the given files and their entries (skipping racily-clean files) and saves it.
    static func save(files: [ScannedFile], entries: [ManifestEntry], to path: String, temporaryDirectory: String) {
        let now = Int64(Date().timeIntervalSince1970 * 1e9)
        var text = header
        text.reserveCapacity(files.count * 120)
        for (file, entry) in zip(files, entries) where file.kind != .symlink {
            if now - file.modified < racyWindowNanoseconds || now - file.changed < racyWindowNanoseconds { continue }
            text += "\(file.inode) \(file.size) \(file.modified) \(file.changed) \(entry.kind.rawValue) "
            text += "\(entry.object.hex) \(Manifest.escape(file.path))\n"
        }
        // Best effort: a cache that fails to save only costs re-hashing later.
        try? FileSystem.writeAtomically(Data(text.utf8), to: path, temporaryDirectory: temporaryDirectory)
    }
}
