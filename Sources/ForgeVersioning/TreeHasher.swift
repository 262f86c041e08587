import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Hashes (and, when given an object directory, stages) the files of a scanned tree in parallel across
/// files and cores; large files are split into 64 MiB segments that are chunked independently.
struct TreeHasher {
    let chunker: ContentDefinedChunker
    let chunkingThreshold: Int
    /// Where new objects are staged; nil to hash only (status).
    let objects: ObjectDirectory?
    static let segmentSize = 64 << 20
    static let kernelCopyMinimum = 256 << 10

    /// The outcome: one entry per file, plus the staged temporaries and new-object counts.
    struct Outcome {
        var entries: [ManifestEntry]
        var staged: [(temporary: String, id: ObjectID)]
        var newObjects: Int
        var newBytes: Int
        var chunkLists: [Int: ChunkList]  // by file index, for large files
    }

    private struct Item {
        var file: Int
        var start: Int
        var end: Int
    }

    private final class Shared: @unchecked Sendable {
        let lock = NSLock()
        var next = 0
        var blobs: [Int: ObjectID] = [:]
        var segments: [Int: [(id: ObjectID, length: Int)]] = [:]  // by item index
        var staged: [(temporary: String, id: ObjectID)] = []
        var newObjects = 0
        var newBytes = 0
        var failure: (any Error)?
    }

    /// Hashes `files`; `known[i]` (from the stat cache) skips hashing file `i`.
    func hash(_ files: [ScannedFile], known: [Int: ManifestEntry]) throws -> Outcome {
        var pending: [Item] = []
        for (index, file) in files.enumerated() where known[index] == nil && file.kind == .file {
            if file.size >= chunkingThreshold {
                var start = 0
                while start < file.size {
                    let end = Swift.min(file.size, start + Self.segmentSize)
                    pending.append(Item(file: index, start: start, end: end))
                    start = end
                }
            } else {
                pending.append(Item(file: index, start: 0, end: file.size))
            }
        }
        let shared = Shared()
        let items = pending
        let workers = Swift.max(1, Swift.min(ProcessInfo.processInfo.activeProcessorCount, items.count))
        let bufferSize = Swift.min(Self.segmentSize, items.map { $0.end - $0.start }.max() ?? 0)
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Swift.max(bufferSize, 1), alignment: 64)
            defer { buffer.deallocate() }
            while true {
                shared.lock.lock()
                let index = shared.next
                shared.next += 1
                let stop = index >= items.count || shared.failure != nil
                shared.lock.unlock()
                if stop { return }
                do {
                    try process(items[index], itemIndex: index, files: files, buffer: buffer, shared: shared)
                } catch {
                    shared.lock.lock()
                    if shared.failure == nil { shared.failure = error }
                    shared.lock.unlock()
                }
            }
        }
        if shared.failure == nil, objects != nil {
            // Objects were copied from the files after hashing: refuse if any file changed meanwhile.
            for index in Set(items.map(\.file)) {
                let file = files[index]
                let now = FileSystem.linkStatus(file.absolutePath).map {
                    TreeScanner.file(path: file.path, absolutePath: file.absolutePath, info: $0, kind: .file, target: nil)
                }
                if now?.size != file.size || now?.modified != file.modified || now?.changed != file.changed {
                    shared.failure = VersioningError.invalidPath(file.path, reason: "changed while being snapshotted")
                    break
                }
            }
        }
        if let failure = shared.failure {
            for staged in shared.staged { unlink(staged.temporary) }
            throw failure
        }
        return try assemble(files: files, known: known, items: items, shared: shared)
    }

    private func process(
        _ item: Item, itemIndex: Int, files: [ScannedFile], buffer: UnsafeMutableRawBufferPointer, shared: Shared
    ) throws {
        let file = files[item.file]
        let fd = open(file.absolutePath, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FileSystem.error("open", file.absolutePath) }
        defer { close(fd) }
        let length = item.end - item.start
        var got = 0
        while got < length {
            let n = pread(fd, buffer.baseAddress! + got, length - got, off_t(item.start + got))
            if n < 0 && errno == EINTR { continue }
            if n < 0 { throw FileSystem.error("read", file.absolutePath) }
            if n == 0 { throw VersioningError.invalidPath(file.path, reason: "file shrank while being hashed") }
            got += n
        }
        let bytes = UnsafeRawBufferPointer(rebasing: buffer[0..<length])
        if file.size < chunkingThreshold {
            let id = try store(bytes, source: fd, offset: item.start, shared: shared)
            shared.lock.lock()
            shared.blobs[item.file] = id
            shared.lock.unlock()
            return
        }
        var chunks: [(id: ObjectID, length: Int)] = []
        var offset = 0
        while offset < length {
            let size = chunker.firstChunkLength(of: UnsafeRawBufferPointer(rebasing: bytes[offset...]))
            let chunk = UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + size])
            chunks.append((try store(chunk, source: fd, offset: item.start + offset, shared: shared), size))
            offset += size
        }
        shared.lock.lock()
        shared.segments[itemIndex] = chunks
        shared.lock.unlock()
    }

    /// Hashes `bytes` (read from `source` at `offset`) and stages them as an object when new.
    private func store(_ bytes: UnsafeRawBufferPointer, source: Int32, offset: Int, shared: Shared) throws -> ObjectID {
        let id = ObjectID.hashing(bytes)
        // Kernel copies pay off for large chunks (measured: several times faster than write(2) on ext4
        // in a VM); for small whole files a plain write of the bytes already in memory is cheaper.
        var staged: String?
        if let objects {
            staged = bytes.count >= Self.kernelCopyMinimum
                ? try objects.stageCopy(from: source, offset: offset, bytes: bytes, id: id)
                : try objects.stage(bytes, id: id)
        }
        if let temporary = staged {
            shared.lock.lock()
            shared.staged.append((temporary, id))
            shared.newObjects += 1
            shared.newBytes += bytes.count
            shared.lock.unlock()
        }
        return id
    }

    private func assemble(files: [ScannedFile], known: [Int: ManifestEntry], items: [Item], shared: Shared) throws
        -> Outcome
    {
        var chunkLists: [Int: ChunkList] = [:]
        for (itemIndex, item) in items.enumerated() where files[item.file].size >= chunkingThreshold {
            let segment = shared.segments[itemIndex] ?? []
            let previous = chunkLists[item.file] ?? ChunkList(ids: [], lengths: [])
            chunkLists[item.file] = ChunkList(
                ids: previous.ids + segment.map(\.id), lengths: previous.lengths + segment.map(\.length))
        }
        var entries: [ManifestEntry] = []
        entries.reserveCapacity(files.count)
        for (index, file) in files.enumerated() {
            if let entry = known[index] {
                entries.append(ManifestEntry(
                    path: file.path, kind: entry.kind, mode: file.mode, size: file.size, object: entry.object))
            } else if file.kind == .symlink {
                let id = ObjectID.hashing(Data((file.linkTarget ?? "").utf8))
                entries.append(ManifestEntry(path: file.path, kind: .symlink, mode: file.mode, size: file.size, object: id))
            } else if let list = chunkLists[index] {
                let id = ObjectID.hashing(list.serialized())
                entries.append(ManifestEntry(path: file.path, kind: .chunkedFile, mode: file.mode, size: file.size, object: id))
            } else {
                let id = shared.blobs[index] ?? ObjectID.hashing(Data())
                entries.append(ManifestEntry(path: file.path, kind: .file, mode: file.mode, size: file.size, object: id))
            }
        }
        return Outcome(
            entries: entries, staged: shared.staged, newObjects: shared.newObjects, newBytes: shared.newBytes,
            chunkLists: chunkLists)
    }
}
