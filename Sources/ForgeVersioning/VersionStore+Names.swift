import Foundation

/// The versions of one name, oldest first, and its tags.
struct NameLog: Codable {
    var versions: [VersionID] = []
    var tags: [String: VersionID] = [:]
}

/// One line of ``VersionStore/log(_:)``.
public struct LogEntry: Sendable {
    /// `name@vN`.
    public var reference: String
    /// The version id.
    public var version: VersionID
    /// Its record.
    public var record: VersionRecord
    /// Tags of the name pointing at this version.
    public var tags: [String]
}

extension VersionStore {
    func nameLogPath(_ name: String) -> String { rootPath + "/names/\(name).json" }

    func nameLog(_ name: String) throws -> NameLog? {
        let path = nameLogPath(name)
        guard FileSystem.exists(path) else { return nil }
        do {
            return try JSONDecoder().decode(NameLog.self, from: FileSystem.read(path))
        } catch let error as VersioningError {
            throw error
        } catch {
            throw VersioningError.malformedRecord(kind: "name log", location: path, reason: "\(error)")
        }
    }

    func saveNameLog(_ log: NameLog, name: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        try FileSystem.writeAtomically(encoder.encode(log), to: nameLogPath(name), temporaryDirectory: rootPath + "/names")
    }

    /// Every name in the store, sorted.
    public func names() -> [String] {
        FileSystem.directoryEntries(rootPath + "/names").filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }
            .sorted()
    }

    /// Resolves a reference to a version id.
    ///
    /// Accepted forms: a 64-hex version id, `name` or `name@latest` (the newest), `name@v3` (the third),
    /// `name@tag`.
    /// - Throws: ``VersioningError/unknownReference(_:)``, or ``VersioningError/invalidName(_:reason:)``.
    public func resolve(_ reference: String) throws -> VersionID {
        if let id = ObjectID(hex: reference) {
            guard containsObject(id) else { throw VersioningError.unknownReference(reference) }
            return id
        }
        let parts = reference.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        try TreePath.validateName(parts[0])
        guard let log = try nameLog(parts[0]), let latest = log.versions.last else {
            throw VersioningError.unknownReference(reference)
        }
        guard parts.count == 2 else { return latest }
        let selector = parts[1]
        if selector == "latest" { return latest }
        if selector.hasPrefix("v"), let number = Int(selector.dropFirst()) {
            guard number >= 1 && number <= log.versions.count else { throw VersioningError.unknownReference(reference) }
            return log.versions[number - 1]
        }
        guard let tagged = log.tags[selector] else { throw VersioningError.unknownReference(reference) }
        return tagged
    }

    /// Points tag `tag` of the reference's name at the version it resolves to (`digits@v3` → `digits@prod`).
    /// - Throws: ``VersioningError/invalidName(_:reason:)`` for a bad tag or `latest`/`vN` (reserved).
    public func tag(_ reference: String, as tag: String) throws {
        try TreePath.validateName(tag)
        if tag == "latest" || (tag.hasPrefix("v") && Int(tag.dropFirst()) != nil) {
            throw VersioningError.invalidName(tag, reason: "'latest' and 'v<number>' are reserved")
        }
        let name = String(reference.split(separator: "@", maxSplits: 1)[0])
        let version = try resolve(reference)
        try FileLock.withLock(path: namesLockPath, exclusive: true) {
            guard var log = try nameLog(name) else { throw VersioningError.unknownReference(reference) }
            log.tags[tag] = version
            try saveNameLog(log, name: name)
        }
    }

    /// Appends an existing version to a name's log (after a pull or an import); returns `name@vN`.
    @discardableResult
    public func assign(_ version: VersionID, to name: String) throws -> String {
        try TreePath.validateName(name)
        _ = try record(version)
        return try FileLock.withLock(path: namesLockPath, exclusive: true) {
            var log = try nameLog(name) ?? NameLog()
            log.versions.append(version)
            try saveNameLog(log, name: name)
            return "\(name)@v\(log.versions.count)"
        }
    }

    /// The versions of `name`, newest first, with their records and tags.
    public func log(_ name: String) throws -> [LogEntry] {
        try TreePath.validateName(name)
        guard let log = try nameLog(name) else { throw VersioningError.unknownReference(name) }
        return try log.versions.enumerated().reversed().map { index, id in
            LogEntry(
                reference: "\(name)@v\(index + 1)", version: id, record: try record(id),
                tags: log.tags.filter { $0.value == id }.map(\.key).sorted())
        }
    }
}
