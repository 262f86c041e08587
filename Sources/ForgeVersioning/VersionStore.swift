public import Foundation

/// How hard a ``VersionStore`` works to keep snapshots across a power loss.
public enum Durability: Sendable {
    /// New objects are flushed to disk (one `syncfs` per snapshot) before they are renamed into place
    /// and before any manifest refers to them; records and names are fsynced. Survives power loss.
    case synchronized
    /// Objects appear by atomic rename but are left to the kernel to flush; records and names are still
    /// fsynced. A killed process still leaves the store consistent; a power loss may lose recent objects.
    case atomicOnly
}

/// A local versioning store: content-addressed objects, versions, names, lineage and caches in one
/// directory. Safe to share between threads and between processes.
///
/// ```swift
/// let store = try VersionStore(at: URL(fileURLWithPath: "/data/.forge"), create: true)
/// let result = try store.snapshot(URL(fileURLWithPath: "/data/digits"), name: "digits", message: "raw")
/// print(result.reference!)            // digits@v1
/// let changes = try store.status(of: URL(fileURLWithPath: "/data/digits"), against: "digits")
/// ```
///
/// Layout: `objects/ab/cdef…` (read-only files), `tmp/`, `names/<name>.json`, `lineage/<id>.json`,
/// `cache/` (stat caches), `locks/`.
public final class VersionStore: Sendable {
    /// The store's directory.
    public let root: URL
    /// Re-hash every object read (records, manifests, and file contents on checkout and export), so a
    /// corrupt object is reported instead of used. On by default; hashing runs at about 1.7 GB/s a core.
    public let verifyReads: Bool
    /// Files at least this large are chunked with ``chunker``; smaller ones are stored whole.
    public let chunkingThreshold: Int
    /// The content-defined chunker for large files.
    public let chunker: ContentDefinedChunker
    /// Whether new objects are flushed to disk before anything refers to them.
    public let durability: Durability
    let objects: ObjectDirectory
    let rootPath: String

    static let marker = "FORGE_STORE"

    /// Opens (or with `create`, creates) the store at `root`.
    ///
    /// - Parameters:
    ///   - root: the store directory.
    ///   - create: create the directory layout when missing.
    ///   - verifyReads: re-hash objects when reading them (default true; false trusts the disk).
    ///   - durability: flush new objects before referring to them (default) or rely on atomic renames.
    ///   - chunkingThreshold: files of at least this many bytes are chunked (default 4 MiB). This and
    ///     `chunker` apply when the store is created; an existing store keeps its own settings.
    ///   - chunker: the content-defined chunker's sizes for a new store.
    /// - Throws: ``VersioningError/notAStore(path:)`` when `root` is not a store and `create` is false.
    public init(
        at root: URL, create: Bool = false, verifyReads: Bool = true, durability: Durability = .synchronized,
        chunkingThreshold: Int = 4 << 20, chunker: ContentDefinedChunker = ContentDefinedChunker()
    ) throws {
        self.durability = durability
        self.root = root.standardizedFileURL
        self.rootPath = self.root.path
        self.verifyReads = verifyReads
        self.objects = ObjectDirectory(root: rootPath + "/objects", temporaryRoot: rootPath + "/tmp")
        let markerPath = rootPath + "/" + Self.marker
        if !FileSystem.exists(markerPath) {
            guard create else { throw VersioningError.notAStore(path: rootPath) }
            try FileSystem.makeDirectories(rootPath)
            try objects.create()
            for folder in ["names", "lineage", "cache", "locks"] {
                try FileSystem.makeDirectories(rootPath + "/" + folder)
            }
            let settings = "forge-versioning 1\nchunking \(chunkingThreshold) \(chunker.minimumSize) "
                + "\(chunker.averageSize) \(chunker.maximumSize)\n"
            try FileSystem.writeAtomically(Data(settings.utf8), to: markerPath, temporaryDirectory: objects.temporaryRoot)
        }
        // The chunking settings are the store's, fixed at creation: every process must chunk alike.
        let text = String(decoding: try FileSystem.read(markerPath), as: UTF8.self)
        let fields = text.split(separator: "\n").dropFirst().first?.split(separator: " ").compactMap { Int($0) } ?? []
        guard text.hasPrefix("forge-versioning 1\n"), fields.count == 4, fields[0] > 0, fields[1] > 0,
            fields[1] < fields[2], fields[2] < fields[3], fields[2] & (fields[2] - 1) == 0
        else {
            throw VersioningError.malformedRecord(kind: "store settings", location: markerPath, reason: "bad content")
        }
        self.chunkingThreshold = fields[0]
        self.chunker = ContentDefinedChunker(minimumSize: fields[1], averageSize: fields[2], maximumSize: fields[3])
    }

    var namesLockPath: String { rootPath + "/locks/names.lock" }
    var collectionLockPath: String { rootPath + "/locks/gc.lock" }

    /// The path of an object's file in this store.
    public func objectPath(_ id: ObjectID) -> String { objects.path(of: id) }

    /// Whether the store holds object `id`.
    public func containsObject(_ id: ObjectID) -> Bool { objects.contains(id) }

    /// Reads object `id`, verifying its hash when `verify` (default: the store's ``verifyReads``).
    public func readObject(_ id: ObjectID, verify: Bool? = nil) throws -> Data {
        try objects.read(id, verify: verify ?? verifyReads)
    }

    /// Stores `data` durably and returns its id.
    @discardableResult
    public func writeObject(_ data: Data) throws -> ObjectID {
        try FileLock.withLock(path: collectionLockPath, exclusive: false) { try objects.write(data).id }
    }

    /// The version record `id`.
    public func record(_ id: VersionID) throws -> VersionRecord {
        try VersionRecord(serialized: readObject(id), location: objectPath(id))
    }

    /// The manifest of version `id`.
    public func manifest(of id: VersionID) throws -> Manifest {
        let manifestID = try record(id).manifest
        return try Manifest(serialized: readObject(manifestID), location: objectPath(manifestID))
    }

    /// The chunk list object `id`.
    func chunkList(_ id: ObjectID) throws -> ChunkList {
        try ChunkList(serialized: readObject(id), location: objectPath(id))
    }

    /// Every object a manifest entry needs (its object and, for a chunked file, its chunks).
    func objectsNeeded(by entry: ManifestEntry) throws -> [ObjectID] {
        guard entry.kind == .chunkedFile else { return [entry.object] }
        return try [entry.object] + chunkList(entry.object).ids
    }
}
