public import Foundation

/// What one path in a snapshot holds.
public enum EntryKind: String, Sendable, Codable {
    /// A regular file stored as one object.
    case file = "f"
    /// A large regular file stored as content-defined chunks; the object is a ``ChunkList``.
    case chunkedFile = "c"
    /// A symbolic link inside the tree; the object holds the link's target text.
    case symlink = "l"
}

/// One path of a snapshot: where it is, what it is, how big, and which object holds its content.
public struct ManifestEntry: Hashable, Sendable {
    /// The path relative to the snapshot root, `/`-separated, validated by ``TreePath``.
    public var path: String
    /// File, chunked file or symlink.
    public var kind: EntryKind
    /// The permission bits (e.g. `0o644`).
    public var mode: UInt32
    /// The content size in bytes.
    public var size: Int
    /// The object holding the content (for a chunked file, its chunk list).
    public var object: ObjectID

    /// Creates an entry.
    public init(path: String, kind: EntryKind, mode: UInt32, size: Int, object: ObjectID) {
        self.path = path
        self.kind = kind
        self.mode = mode
        self.size = size
        self.object = object
    }
}

/// The content of one snapshot: entries sorted by path. Stored as an object, so its id names the tree.
///
/// The serialized form is line-based text, one entry a line, so it is deterministic and fast to parse:
/// `forge-manifest 1` then `<kind> <octal mode> <size> <object id> <path>` (`%`, CR, LF escaped).
public struct Manifest: Hashable, Sendable {
    /// The entries, sorted by path.
    public private(set) var entries: [ManifestEntry]

    /// Creates a manifest, sorting the entries by path.
    public init(entries: [ManifestEntry]) {
        self.entries = entries.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
    }

    /// The total content size in bytes.
    public var totalSize: Int { entries.reduce(0) { $0 + $1.size } }

    /// Entries keyed by path.
    public var entriesByPath: [String: ManifestEntry] {
        Dictionary(entries.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
    }

    static let header = "forge-manifest 1\n"

    /// The canonical bytes of this manifest.
    public func serialized() -> Data {
        var text = Manifest.header
        text.reserveCapacity(entries.count * 100)
        for entry in entries {
            text += "\(entry.kind.rawValue) \(String(entry.mode, radix: 8)) \(entry.size) \(entry.object.hex) "
            text += Manifest.escape(entry.path)
            text += "\n"
        }
        return Data(text.utf8)
    }

    /// Parses canonical manifest bytes; `location` names the source in errors.
    public init(serialized data: Data, location: String) throws {
        guard data.starts(with: Data(Manifest.header.utf8)) else {
            throw VersioningError.malformedRecord(kind: "manifest", location: location, reason: "bad header")
        }
        var entries: [ManifestEntry] = []
        var invalidPath: (any Error)?
        let bad = LineParser.forEachLine(data, skip: Manifest.header.utf8.count, fieldCount: 5) { fields in
            guard fields[0].count == 1, let kind = EntryKind(rawValue: LineParser.string(fields[0])),
                let mode = LineParser.integer(fields[1], radix: 8), let size = LineParser.integer(fields[2]),
                let object = ObjectID(hex: LineParser.string(fields[3]))
            else { return false }
            let path = Manifest.unescape(LineParser.string(fields[4]))
            do { try TreePath.validate(path) } catch {
                invalidPath = error
                return false
            }
            entries.append(ManifestEntry(path: path, kind: kind, mode: UInt32(mode), size: size, object: object))
            return true
        }
        if let invalidPath { throw invalidPath }
        if let bad {
            throw VersioningError.malformedRecord(kind: "manifest", location: location, reason: "line \(bad) is not an entry")
        }
        self.entries = entries
    }

    static func escape(_ path: String) -> String {
        guard path.contains(where: { $0 == "%" || $0 == "\n" || $0 == "\r" }) else { return path }
        return path.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\n", with: "%0A")
            .replacingOccurrences(of: "\r", with: "%0D")
    }

    static func unescape(_ path: String) -> String {
        guard path.contains("%") else { return path }
        return path.replacingOccurrences(of: "%0A", with: "\n").replacingOccurrences(of: "%0D", with: "\r")
            .replacingOccurrences(of: "%25", with: "%")
    }
}

/// The chunks of one large file, in order: stored as an object that a ``ManifestEntry`` points to.
public struct ChunkList: Hashable, Sendable {
    /// Each chunk's object id and length, in file order.
    public var chunks: [(id: ObjectID, length: Int)] { zip(ids, lengths).map { ($0, $1) } }
    let ids: [ObjectID]
    let lengths: [Int]

    init(ids: [ObjectID], lengths: [Int]) {
        self.ids = ids
        self.lengths = lengths
    }

    static let header = "forge-chunks 1\n"

    func serialized() -> Data {
        var text = ChunkList.header
        for (id, length) in zip(ids, lengths) { text += "\(length) \(id.hex)\n" }
        return Data(text.utf8)
    }

    init(serialized data: Data, location: String) throws {
        guard let text = String(data: data, encoding: .utf8), text.hasPrefix(ChunkList.header) else {
            throw VersioningError.malformedRecord(kind: "chunk list", location: location, reason: "bad header")
        }
        var ids: [ObjectID] = []
        var lengths: [Int] = []
        for line in text.dropFirst(ChunkList.header.count).split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count == 2, let length = Int(fields[0]), length > 0,
                let id = ObjectID(hex: String(fields[1]))
            else {
                throw VersioningError.malformedRecord(kind: "chunk list", location: location, reason: "bad line")
            }
            ids.append(id)
            lengths.append(length)
        }
        self.init(ids: ids, lengths: lengths)
    }

    /// Hashable over ids and lengths.
    public static func == (lhs: ChunkList, rhs: ChunkList) -> Bool { lhs.ids == rhs.ids && lhs.lengths == rhs.lengths }

    /// Hashes ids and lengths.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(ids)
        hasher.combine(lengths)
    }
}
