public import Foundation

/// The id of a version: the ``ObjectID`` of its ``VersionRecord``.
public typealias VersionID = ObjectID

/// One immutable version: which tree, made from what, by whom, when, and why.
///
/// Stored as a content-addressed object (canonical JSON with sorted keys), so its id changes if any
/// field changes and a version can never be edited in place.
public struct VersionRecord: Codable, Hashable, Sendable {
    /// The ``Manifest`` object describing the tree.
    public var manifest: ObjectID
    /// The previous version of the same name (empty for the first one or an unnamed snapshot).
    public var parents: [VersionID]
    /// A free-form message, like a commit message.
    public var message: String
    /// Who made it (defaults to the `USER` environment variable).
    public var author: String
    /// When it was made, in seconds since 1970.
    public var timestamp: Double
    /// Free-form key/value metadata.
    public var metadata: [String: String]
    /// The number of entries in the manifest.
    public var fileCount: Int
    /// The total content size in bytes.
    public var totalSize: Int

    /// Creates a record.
    public init(
        manifest: ObjectID, parents: [VersionID], message: String, author: String, timestamp: Double,
        metadata: [String: String], fileCount: Int, totalSize: Int
    ) {
        self.manifest = manifest
        self.parents = parents
        self.message = message
        self.author = author
        self.timestamp = timestamp
        self.metadata = metadata
        self.fileCount = fileCount
        self.totalSize = totalSize
    }

    /// When it was made.
    public var date: Date { Date(timeIntervalSince1970: timestamp) }

    /// The canonical bytes (sorted-key JSON).
    func serialized() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(self)
    }

    /// Parses canonical bytes; `location` names the source in errors.
    init(serialized data: Data, location: String) throws {
        do {
            self = try JSONDecoder().decode(VersionRecord.self, from: data)
        } catch {
            throw VersioningError.malformedRecord(kind: "version", location: location, reason: "\(error)")
        }
    }
}

/// What a snapshot produced.
public struct SnapshotResult: Sendable {
    /// The new version's id.
    public var version: VersionID
    /// The stored record.
    public var record: VersionRecord
    /// The tree.
    public var manifest: Manifest
    /// `name@vN` when the snapshot was named, else nil.
    public var reference: String?
    /// How many objects were new to the store.
    public var newObjects: Int
    /// How many bytes of new objects were written.
    public var newBytes: Int
}
