public import Foundation

/// Where objects and name logs live remotely: the extension point for remotes (directory, S3, or your own).
///
/// Every conformer must guarantee:
/// - `write(_:as:)` is atomic: a concurrent or later `read` sees either nothing or all the bytes, never
///   a prefix, even if the writer dies midway; writing an object that already exists is harmless.
/// - `read(_:)` throws ``VersioningError/missingObject(id:path:)`` for an absent object (callers verify
///   the hash of what they read, so a conformer need not).
/// - `allObjects()` lists every object id present (used to send only what is missing).
/// - References are small mutable documents (a name's version log) stored by name; `reference(named:)`
///   returns nil when absent.
///
/// The built-in ``InMemoryObjectStore``, ``DirectoryObjectStore`` and ``S3ObjectStore`` are written
/// against this protocol only; ``VersionStore/push(_:to:concurrency:)`` and
/// ``VersionStore/pull(_:from:concurrency:)`` work with any conformer.
public protocol ObjectStore: Sendable {
    /// Whether object `id` is present.
    func contains(_ id: ObjectID) async throws -> Bool
    /// The bytes of object `id`.
    func read(_ id: ObjectID) async throws -> Data
    /// Stores `data` as object `id` (atomically; `id` is the SHA-256 of `data`).
    func write(_ data: Data, as id: ObjectID) async throws
    /// Every object id present.
    func allObjects() async throws -> Set<ObjectID>
    /// The reference document `name`, or nil.
    func reference(named name: String) async throws -> Data?
    /// Replaces the reference document `name`.
    func setReference(_ data: Data, named name: String) async throws
}

extension ObjectStore {
    /// The ids from `ids` this store lacks, in the given order (default: one listing, then a set lookup).
    public func missing(from ids: [ObjectID]) async throws -> [ObjectID] {
        let present = try await allObjects()
        return ids.filter { !present.contains($0) }
    }
}

/// An ``ObjectStore`` in memory: for tests, caches and examples.
public actor InMemoryObjectStore: ObjectStore {
    private var objects: [ObjectID: Data] = [:]
    private var references: [String: Data] = [:]

    /// An empty store.
    public init() {}

    /// Whether object `id` is present.
    public func contains(_ id: ObjectID) -> Bool { objects[id] != nil }

    /// The bytes of object `id`.
    public func read(_ id: ObjectID) throws -> Data {
        guard let data = objects[id] else { throw VersioningError.missingObject(id: id.hex, path: "memory") }
        return data
    }

    /// Stores `data` as object `id`.
    public func write(_ data: Data, as id: ObjectID) { objects[id] = data }

    /// Every object id present.
    public func allObjects() -> Set<ObjectID> { Set(objects.keys) }

    /// The reference document `name`, or nil.
    public func reference(named name: String) -> Data? { references[name] }

    /// Replaces the reference document `name`.
    public func setReference(_ data: Data, named name: String) { references[name] = data }

    /// Replaces an object's bytes without checks (to simulate corruption in tests).
    public func corrupt(_ id: ObjectID, with data: Data) { objects[id] = data }
}

/// An ``ObjectStore`` in a directory (local disk, NFS, a mounted share), laid out like a local store's
/// `objects/` folder, with `refs/<name>.json` for references. Writes are temp + fsync + rename.
public struct DirectoryObjectStore: ObjectStore {
    /// The remote's directory.
    public let root: URL
    let objects: ObjectDirectory

    /// Opens (creating when missing) a directory remote at `root`.
    public init(at root: URL) throws {
        self.root = root.standardizedFileURL
        objects = ObjectDirectory(root: self.root.path + "/objects", temporaryRoot: self.root.path + "/tmp")
        try objects.create()
        try FileSystem.makeDirectories(self.root.path + "/refs")
    }

    /// Whether object `id` is present.
    public func contains(_ id: ObjectID) async throws -> Bool { objects.contains(id) }

    /// The bytes of object `id`.
    public func read(_ id: ObjectID) async throws -> Data { try objects.read(id, verify: false) }

    /// Stores `data` as object `id` durably.
    public func write(_ data: Data, as id: ObjectID) async throws {
        if objects.contains(id) { return }
        let temporary = try data.withUnsafeBytes {
            try FileSystem.writeTemporary($0, in: objects.temporaryRoot, mode: 0o444, sync: true)
        }
        try objects.install(temporary: temporary, as: id)
        FileSystem.syncDirectory(of: objects.path(of: id))
    }

    /// Every object id present.
    public func allObjects() async throws -> Set<ObjectID> { Set(objects.list()) }

    /// The reference document `name`, or nil.
    public func reference(named name: String) async throws -> Data? {
        try TreePath.validateName(name)
        let path = root.path + "/refs/\(name).json"
        return FileSystem.exists(path) ? try FileSystem.read(path) : nil
    }

    /// Replaces the reference document `name` atomically.
    public func setReference(_ data: Data, named name: String) async throws {
        try TreePath.validateName(name)
        try FileSystem.writeAtomically(data, to: root.path + "/refs/\(name).json", temporaryDirectory: objects.temporaryRoot)
    }
}
