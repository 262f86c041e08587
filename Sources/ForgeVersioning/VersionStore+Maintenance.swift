import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A problem found by ``VersionStore/verify()``.
public struct VerificationProblem: Hashable, Sendable, CustomStringConvertible {
    /// What kind of problem.
    public enum Kind: String, Sendable {
        /// A reachable object is not in the store.
        case missing
        /// An object's bytes do not hash to its id.
        case corrupt
        /// A record (name log, version, manifest, chunk list, lineage) cannot be parsed.
        case malformed
    }

    /// The kind.
    public var kind: Kind
    /// The object id, when an object is concerned.
    public var object: String?
    /// The file the problem was found in (or expected at).
    public var path: String
    /// Details.
    public var detail: String

    /// `corrupt object … at …: …`.
    public var description: String { "\(kind.rawValue) \(object.map { "object \($0) " } ?? "")at \(path): \(detail)" }
}

/// What ``VersionStore/collectGarbage()`` removed.
public struct CollectionReport: Sendable {
    /// Objects deleted.
    public var removedObjects: Int
    /// Bytes freed.
    public var removedBytes: Int
    /// Objects kept because something reaches them.
    public var keptObjects: Int
}

extension VersionStore {
    /// Every version id that a name, a tag or a lineage record refers to (the roots of reachability).
    func rootVersions() throws -> Set<VersionID> {
        var roots = Set<VersionID>()
        for name in names() {
            if let log = try nameLog(name) {
                roots.formUnion(log.versions)
                roots.formUnion(log.tags.values)
            }
        }
        for record in try lineageRecords() {
            roots.insert(record.model)
            roots.formUnion(record.data)
        }
        return roots
    }

    /// Marks everything reachable from the roots; problems are collected instead of thrown.
    func reachableObjects(problems: inout [VerificationProblem]) throws -> Set<ObjectID> {
        var reached = Set<ObjectID>()
        var pending = Array(try rootVersions())
        func note(_ error: any Error, _ id: ObjectID) {
            if case VersioningError.missingObject(let hex, let path) = error {
                problems.append(VerificationProblem(kind: .missing, object: hex, path: path, detail: "reachable but absent"))
            } else if case VersioningError.corruptObject(let hex, let path, let actual) = error {
                problems.append(VerificationProblem(kind: .corrupt, object: hex, path: path, detail: "hashes to \(actual)"))
            } else {
                problems.append(VerificationProblem(kind: .malformed, object: id.hex, path: objectPath(id), detail: "\(error)"))
            }
        }
        while let version = pending.popLast() {
            guard reached.insert(version).inserted else { continue }
            do {
                let record = try record(version)
                pending.append(contentsOf: record.parents)
                reached.insert(record.manifest)
                let manifest = try Manifest(serialized: readObject(record.manifest), location: objectPath(record.manifest))
                for entry in manifest.entries {
                    reached.insert(entry.object)
                    if entry.kind == .chunkedFile {
                        do { reached.formUnion(try chunkList(entry.object).ids) } catch { note(error, entry.object) }
                    }
                }
            } catch {
                note(error, version)
            }
        }
        return reached
    }

    /// Checks the whole store (fsck): every reachable object is present, and every object in the store
    /// hashes to its id. Returns the problems found, each with the object and the file concerned.
    public func verify() throws -> [VerificationProblem] {
        try FileLock.withLock(path: collectionLockPath, exclusive: false) {
            var problems: [VerificationProblem] = []
            let reached = try reachableObjects(problems: &problems)
            let present = objects.list()
            let presentSet = Set(present)
            for id in reached where !presentSet.contains(id) && !problems.contains(where: { $0.object == id.hex }) {
                problems.append(VerificationProblem(kind: .missing, object: id.hex, path: objectPath(id), detail: "reachable but absent"))
            }
            let corrupt = LockedList<VerificationProblem>()
            DispatchQueue.concurrentPerform(iterations: present.count) { index in
                let id = present[index]
                guard let data = try? FileSystem.read(objectPath(id)) else { return }
                let actual = ObjectID.hashing(data)
                if actual != id {
                    let problem = VerificationProblem(kind: .corrupt, object: id.hex, path: objectPath(id), detail: "hashes to \(actual.hex)")
                    corrupt.append(problem)
                }
            }
            for problem in corrupt.items where !problems.contains(problem) { problems.append(problem) }
            return problems.sorted { ($0.path, $0.kind.rawValue) < ($1.path, $1.kind.rawValue) }
        }
    }

    /// Deletes every object no name, tag, lineage record or their history reaches, and stale temporaries.
    ///
    /// Holds the store's exclusive lock, so it waits for running snapshots and they wait for it. Objects
    /// that cannot be proven unreachable (the store has unreadable records) are kept: it throws instead.
    public func collectGarbage() throws -> CollectionReport {
        try FileLock.withLock(path: collectionLockPath, exclusive: true) {
            var problems: [VerificationProblem] = []
            let reached = try reachableObjects(problems: &problems)
            if let problem = problems.first(where: { $0.kind == .malformed }) {
                throw VersioningError.malformedRecord(kind: "reachable record", location: problem.path, reason: problem.detail)
            }
            var report = CollectionReport(removedObjects: 0, removedBytes: 0, keptObjects: 0)
            for id in objects.list() {
                if reached.contains(id) {
                    report.keptObjects += 1
                    continue
                }
                report.removedBytes += FileSystem.linkStatus(objectPath(id)).map { Int($0.st_size) } ?? 0
                try objects.remove(id)
                report.removedObjects += 1
            }
            for name in FileSystem.directoryEntries(objects.temporaryRoot) { unlink(objects.temporaryRoot + "/" + name) }
            return report
        }
    }
}

/// A list appended to from concurrent workers.
final class LockedList<Element>: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [Element] = []

    func append(_ element: Element) {
        lock.lock()
        storage.append(element)
        lock.unlock()
    }

    var items: [Element] {
        lock.lock()
        defer { lock.unlock() }
        return storage
    }
}
