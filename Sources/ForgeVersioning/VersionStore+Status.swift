public import Foundation

extension VersionStore {
    /// What changed in a working tree since a version.
    ///
    /// Files whose inode, size and times match the stat cache are not read; others are hashed (in
    /// parallel, without storing anything) and the cache is refreshed, so a second `status` of an
    /// unchanged tree only calls `lstat`.
    ///
    /// - Parameters:
    ///   - tree: the working directory (or file) to compare.
    ///   - reference: the version to compare against (`digits`, `digits@v2`, an id, …).
    /// - Throws: ``VersioningError/unknownReference(_:)``, I/O errors.
    public func status(of tree: URL, against reference: String) throws -> TreeChanges {
        let old = try manifest(of: resolve(reference))
        let current = try workingEntries(of: tree)
        return TreeChanges.between(old.entries, current)
    }

    /// The changes from version `from` to version `to`.
    public func diff(_ from: String, _ to: String) throws -> TreeChanges {
        TreeChanges.between(try manifest(of: resolve(from)).entries, try manifest(of: resolve(to)).entries)
    }

    /// The manifest entries a snapshot of `tree` would have now, hashing only what the stat cache misses.
    func workingEntries(of tree: URL) throws -> [ManifestEntry] { try workingState(of: tree).entries }

    /// The working entries and how many files had to be hashed (the rest came from the stat cache).
    func workingState(of tree: URL) throws -> (entries: [ManifestEntry], hashedFiles: Int) {
        let treePath = tree.standardizedFileURL.path
        let files = try TreeScanner(excludedPath: rootPath).scan(treePath)
        let cachePath = StatCache.path(store: self, tree: treePath)
        let cache = StatCache.load(from: cachePath)
        var known: [Int: ManifestEntry] = [:]
        for (index, file) in files.enumerated() where file.kind == .file {
            if let cached = cache.lookup(file) {
                known[index] = ManifestEntry(
                    path: file.path, kind: cached.kind, mode: file.mode, size: file.size, object: cached.object)
            }
        }
        let hasher = TreeHasher(chunker: chunker, chunkingThreshold: chunkingThreshold, objects: nil)
        let outcome = try hasher.hash(files, known: known)
        let hashedFiles = files.filter({ $0.kind == .file }).count - known.count
        if hashedFiles > 0 {
            StatCache.save(files: files, entries: outcome.entries, to: cachePath, temporaryDirectory: rootPath + "/cache")
        }
        return (outcome.entries, hashedFiles)
    }
}
