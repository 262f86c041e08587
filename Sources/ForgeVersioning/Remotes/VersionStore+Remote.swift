import Foundation

/// What a ``VersionStore/push(_:to:concurrency:)`` or ``VersionStore/pull(_:from:concurrency:)`` moved.
public struct TransferReport: Sendable, Equatable {
    /// Objects sent or received.
    public var transferredObjects: Int
    /// Their bytes.
    public var transferredBytes: Int
    /// Objects the other side already had.
    public var skippedObjects: Int
}

extension VersionStore {
    /// Sends a version (with its history) or a whole name to a remote, transferring only missing objects.
    ///
    /// A bare name (`digits`) sends every version and tag of the name and then updates the remote's
    /// reference; any other reference (`digits@v3`, an id) sends that version and its ancestors. Each
    /// object is verified against its hash before it is sent. An interrupted push is resumed by running
    /// it again: objects already on the remote are skipped.
    ///
    /// ```swift
    /// let remote = try DirectoryObjectStore(at: URL(fileURLWithPath: "/mnt/shared/forge"))
    /// let report = try await store.push("digits", to: remote)
    /// ```
    @discardableResult
    public func push(_ reference: String, to remote: any ObjectStore, concurrency: Int = 8) async throws
        -> TransferReport
    {
        let isName = !reference.contains("@") && ObjectID(hex: reference) == nil
        let log = isName ? try nameLog(reference) : nil
        if isName && log == nil { throw VersioningError.unknownReference(reference) }
        let roots = isName ? (log!.versions + Array(log!.tags.values)) : [try resolve(reference)]
        let ids = try objectsToTransfer(from: roots)
        let missing = try await remote.missing(from: ids)
        var report = TransferReport(transferredObjects: 0, transferredBytes: 0, skippedObjects: ids.count - missing.count)
        try await forEachConcurrently(missing, limit: concurrency) { id in
            let data = try self.readObject(id, verify: true)
            try await remote.write(data, as: id)
            return data.count
        } collect: { bytes in
            report.transferredObjects += 1
            report.transferredBytes += bytes
        }
        if isName, let log {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            try await remote.setReference(encoder.encode(log), named: reference)
        }
        return report
    }

    /// Fetches a name (`digits`, merging its remote log and tags into the local one) or a version id
    /// from a remote, transferring only objects the local store lacks and verifying every hash.
    /// - Throws: ``VersioningError/corruptObject(id:path:actualID:)`` when the remote sends bad bytes,
    ///   ``VersioningError/unknownReference(_:)`` when the remote has no such name.
    @discardableResult
    public func pull(_ reference: String, from remote: any ObjectStore, concurrency: Int = 8) async throws
        -> TransferReport
    {
        var remoteLog: NameLog?
        var roots: [VersionID]
        if let id = ObjectID(hex: reference) {
            roots = [id]
        } else {
            try TreePath.validateName(reference)
            guard let data = try await remote.reference(named: reference) else {
                throw VersioningError.unknownReference(reference)
            }
            do { remoteLog = try JSONDecoder().decode(NameLog.self, from: data) } catch {
                throw VersioningError.malformedRecord(kind: "remote name log", location: reference, reason: "\(error)")
            }
            roots = remoteLog!.versions + Array(remoteLog!.tags.values)
        }
        let lock = try FileLock(path: collectionLockPath, exclusive: false)
        defer { lock.release() }
        var report = TransferReport(transferredObjects: 0, transferredBytes: 0, skippedObjects: 0)
        // Walk top-down (records → manifests → chunk lists → data), fetching each level's missing objects.
        var level = roots.map { GraphNode(id: $0, kind: .record) }
        var seen = Set<ObjectID>()
        while !level.isEmpty {
            level = level.filter { seen.insert($0.id).inserted }
            let absent = level.map(\.id).filter { !containsObject($0) }
            report.skippedObjects += level.count - absent.count
            try await forEachConcurrently(absent, limit: concurrency) { id in
                let data = try await remote.read(id)
                let actual = ObjectID.hashing(data)
                guard actual == id else {
                    throw VersioningError.corruptObject(id: id.hex, path: "remote object \(id.hex)", actualID: actual.hex)
                }
                try self.objects.write(data)
                return data.count
            } collect: { bytes in
                report.transferredObjects += 1
                report.transferredBytes += bytes
            }
            level = try level.flatMap { try children(of: $0) }
        }
        if let remoteLog {
            try FileLock.withLock(path: namesLockPath, exclusive: true) {
                var local = try nameLog(reference) ?? NameLog()
                for version in remoteLog.versions where !local.versions.contains(version) { local.versions.append(version) }
                local.tags.merge(remoteLog.tags) { _, remote in remote }
                try saveNameLog(local, name: reference)
            }
        }
        return report
    }

    /// The objects one level below a node of the object graph.
    func children(of node: GraphNode) throws -> [GraphNode] {
        switch node.kind {
        case .record:
            let record = try record(node.id)
            return [GraphNode(id: record.manifest, kind: .manifest)] + record.parents.map { GraphNode(id: $0, kind: .record) }
        case .manifest:
            let manifest = try Manifest(serialized: readObject(node.id), location: objectPath(node.id))
            return manifest.entries.map { GraphNode(id: $0.object, kind: $0.kind == .chunkedFile ? .chunkList : .data) }
        case .chunkList:
            return try chunkList(node.id).ids.map { GraphNode(id: $0, kind: .data) }
        case .data:
            return []
        }
    }

    /// Every object reachable from `versions`, data first and records last, without duplicates.
    func objectsToTransfer(from versions: [VersionID]) throws -> [ObjectID] {
        var ordered: [ObjectID] = []
        var seen = Set<ObjectID>()
        var pending = versions
        var visited = Set<VersionID>()
        while let version = pending.popLast() {
            guard visited.insert(version).inserted else { continue }
            let record = try record(version)
            pending.append(contentsOf: record.parents)
            let manifest = try Manifest(serialized: readObject(record.manifest), location: objectPath(record.manifest))
            for entry in manifest.entries {
                for id in try objectsNeeded(by: entry).reversed() where seen.insert(id).inserted { ordered.append(id) }
            }
            for id in [record.manifest, version] where seen.insert(id).inserted { ordered.append(id) }
        }
        return ordered
    }
}

/// Runs `body` for every element with at most `limit` at once, handing each result to `collect` on the
/// caller's task (so `collect` may mutate local state).
func forEachConcurrently<Element: Sendable, Result: Sendable>(
    _ elements: [Element], limit: Int, _ body: @escaping @Sendable (Element) async throws -> Result,
    collect: (Result) -> Void
) async throws {
    try await withThrowingTaskGroup(of: Result.self) { group in
        var iterator = elements.makeIterator()
        for _ in 0..<Swift.max(1, limit) {
            guard let element = iterator.next() else { break }
            group.addTask { try await body(element) }
        }
        while let result = try await group.next() {
            collect(result)
            if let element = iterator.next() { group.addTask { try await body(element) } }
        }
    }
}

/// An object of the version graph and what it holds.
struct GraphNode {
    enum Kind { case record, manifest, chunkList, data }
    var id: ObjectID
    var kind: Kind
}
