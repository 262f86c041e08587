import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The file operations checkpoints need, with typed errors: atomic file writes (temporary file, fsync,
/// rename), directory renames and directory syncs, so a process killed at any instant leaves either
/// the previous checkpoint or the complete new one.
enum CheckpointFileSystem {
    /// Writes `data` to `url` through a temporary file in the same directory, flushed before the rename.
    static func writeAtomically(_ data: Data, to url: URL) throws {
        let directory = url.deletingLastPathComponent()
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
            throw TrainingError(.writeFailed, message: "cannot create a temporary file next to it", path: url.path)
        }
        var renamed = false
        defer { if !renamed { try? FileManager.default.removeItem(at: temporary) } }
        do {
            let handle = try FileHandle(forWritingTo: temporary)
            defer { try? handle.close() }
            try handle.write(contentsOf: data)
            try handle.synchronize()
        } catch {
            throw TrainingError(.writeFailed, message: "writing failed: \(error)", path: url.path)
        }
        try rename(temporary, to: url)
        renamed = true
        syncDirectory(directory)
    }

    /// Renames `source` to `destination` (atomic within one file system).
    static func rename(_ source: URL, to destination: URL) throws {
        guard Foundation.rename(source.path, destination.path) == 0 else {
            let reason = String(cString: strerror(errno))
            throw TrainingError(
                .writeFailed, message: "cannot rename \(source.lastPathComponent) into place: \(reason)",
                path: destination.path)
        }
    }

    /// Flushes a directory's entries (renames, new files) to disk; best effort.
    static func syncDirectory(_ directory: URL) {
        let descriptor = open(directory.path, O_RDONLY)
        if descriptor >= 0 {
            _ = fsync(descriptor)
            close(descriptor)
        }
    }

    /// Creates `directory` and its parents.
    static func createDirectory(_ directory: URL) throws {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw TrainingError(.writeFailed, message: "cannot create the directory: \(error)", path: directory.path)
        }
    }

    /// Reads a whole file, or throws `.checkpointNotFound` / `.malformedCheckpoint` naming it.
    static func read(_ url: URL) throws -> Data {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw TrainingError(
                .checkpointNotFound, message: "the checkpoint has no \(url.lastPathComponent)", path: url.path)
        }
        do {
            return try Data(contentsOf: url)
        } catch {
            throw TrainingError(.malformedCheckpoint, message: "cannot read the file: \(error)", path: url.path)
        }
    }

    /// Decodes the JSON file at `url` as `type`.
    static func decode<T: Decodable>(_ type: T.Type, at url: URL) throws -> T {
        let data = try read(url)
        do {
            return try CheckpointJSON.decoder().decode(type, from: data)
        } catch {
            throw TrainingError(.malformedCheckpoint, message: "the JSON does not decode: \(error)", path: url.path)
        }
    }

    /// Encodes `value` as JSON and writes it atomically.
    static func encode(_ value: some Encodable, to url: URL) throws {
        let data: Data
        do {
            data = try CheckpointJSON.encoder().encode(value)
        } catch {
            throw TrainingError(.writeFailed, message: "cannot encode the JSON: \(error)", path: url.path)
        }
        try writeAtomically(data, to: url)
    }
}
