public import Foundation

extension VersionStore {
    /// Snapshots a file or directory tree into an immutable version, storing only objects the store lacks.
    ///
    /// Files are hashed in parallel; unchanged files (same inode, size and times as when last hashed)
    /// are not read again. Objects are staged as temporaries, flushed, renamed into place, and only then
    /// are the manifest, the version record and finally the name written, so a crash at any instant
    /// leaves the store consistent.
    ///
    /// - Parameters:
    ///   - tree: a directory (every regular file and in-tree symlink under it) or a single file.
    ///   - name: appends the version to this name's log (`digits` → `digits@v1`, `digits@v2`, …).
    ///   - message: a free-form message.
    ///   - author: who made it (default: `$USER`).
    ///   - metadata: free-form key/value pairs.
    /// - Throws: ``VersioningError`` for an invalid name, a symlink escaping the tree, or I/O failures.
    @discardableResult
    public func snapshot(
        _ tree: URL, name: String? = nil, message: String = "", author: String? = nil,
        metadata: [String: String] = [:]
    ) throws -> SnapshotResult {
        if let name { try TreePath.validateName(name) }
        return try FileLock.withLock(path: collectionLockPath, exclusive: false) {
            let treePath = tree.standardizedFileURL.path
            let files = try TreeScanner(excludedPath: rootPath).scan(treePath)
            let cachePath = StatCache.path(store: self, tree: treePath)
            let known = knownEntries(files: files, cache: StatCache.load(from: cachePath))
            let hasher = TreeHasher(chunker: chunker, chunkingThreshold: chunkingThreshold, objects: objects)
            let outcome = try hasher.hash(files, known: known)
            try installStaged(outcome.staged)
            var newObjects = outcome.newObjects
            var newBytes = outcome.newBytes
            for list in outcome.chunkLists.values {
                let written = try objects.write(list.serialized())
                if written.isNew { (newObjects, newBytes) = (newObjects + 1, newBytes + list.serialized().count) }
            }
            for file in files where file.kind == .symlink {
                let written = try objects.write(Data((file.linkTarget ?? "").utf8))
                if written.isNew { (newObjects, newBytes) = (newObjects + 1, newBytes + file.size) }
            }
            let manifest = Manifest(entries: outcome.entries)
            let manifestBytes = manifest.serialized()
            let manifestID = try objects.write(manifestBytes)
            if manifestID.isNew { (newObjects, newBytes) = (newObjects + 1, newBytes + manifestBytes.count) }
            let result = try commit(
                manifest: manifest, manifestID: manifestID.id, name: name, message: message, author: author,
                metadata: metadata)
            StatCache.save(files: files, entries: outcome.entries, to: cachePath, temporaryDirectory: rootPath + "/cache")
            return SnapshotResult(
                version: result.version, record: result.record, manifest: manifest, reference: result.reference,
                newObjects: newObjects, newBytes: newBytes)
        }
    }

    /// Writes the version record and, when named, appends it to the name's log.
    func commit(
        manifest: Manifest, manifestID: ObjectID, name: String?, message: String, author: String?,
        metadata: [String: String]
    ) throws -> (version: VersionID, record: VersionRecord, reference: String?) {
        let who = author ?? ProcessInfo.processInfo.environment["USER"] ?? "unknown"
        var record = VersionRecord(
            manifest: manifestID, parents: [], message: message, author: who,
            timestamp: Date().timeIntervalSince1970, metadata: metadata, fileCount: manifest.entries.count,
            totalSize: manifest.totalSize)
        guard let name else {
            let id = try objects.write(record.serialized()).id
            return (id, record, nil)
        }
        return try FileLock.withLock(path: namesLockPath, exclusive: true) {
            var log = try nameLog(name) ?? NameLog()
            if let parent = log.versions.last { record.parents = [parent] }
            let id = try objects.write(record.serialized()).id
            log.versions.append(id)
            try saveNameLog(log, name: name)
            return (id, record, "\(name)@v\(log.versions.count)")
        }
    }

    /// Stat-cache hits whose objects are still in the store.
    func knownEntries(files: [ScannedFile], cache: StatCache) -> [Int: ManifestEntry] {
        var known: [Int: ManifestEntry] = [:]
        for (index, file) in files.enumerated() where file.kind == .file {
            guard let cached = cache.lookup(file), objects.contains(cached.object) else { continue }
            known[index] = ManifestEntry(
                path: file.path, kind: cached.kind, mode: file.mode, size: file.size, object: cached.object)
        }
        return known
    }

    /// Flushes staged temporaries to disk with one file-system sync, renames them into place, and syncs
    /// again so the renames are durable before anything refers to the objects.
    func installStaged(_ staged: [(temporary: String, id: ObjectID)]) throws {
        guard !staged.isEmpty else { return }
        if durability == .synchronized { FileSystem.syncFileSystem(containing: objects.temporaryRoot) }
        for item in staged { try objects.install(temporary: item.temporary, as: item.id) }
        if durability == .synchronized { FileSystem.syncFileSystem(containing: objects.root) }
    }
}
