import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Random-access bytes of a tensor file: the readers validate a header first, then copy each tensor's
/// bytes straight into its storage, so reading a file never holds it twice in memory.
protocol TensorByteSource {
    /// The number of bytes.
    var size: Int { get }
    /// The file path, for error messages; `nil` for in-memory bytes.
    var path: String? { get }
    /// Copies `destination.count` bytes starting at `offset` into `destination`.
    func read(at offset: Int, into destination: UnsafeMutableRawBufferPointer) throws
}

extension TensorByteSource {
    /// `count` bytes starting at `offset`, as an array (for headers; the caller has checked the range).
    func bytes(at offset: Int, count: Int) throws -> [UInt8] {
        var result = [UInt8](repeating: 0, count: count)
        try result.withUnsafeMutableBytes { try read(at: offset, into: $0) }
        return result
    }

    /// A truncation error for a read of `count` bytes at `offset` that does not fit.
    func truncated(at offset: Int, count: Int, what: String) -> TensorFileError {
        TensorFileError(
            code: .truncated,
            message: "\(what) needs bytes \(offset)..<\(offset + count) but there are only \(size) bytes",
            path: path, byteOffset: size)
    }
}

/// Bytes held in memory.
struct DataByteSource: TensorByteSource {
    let data: Data
    var size: Int { data.count }
    var path: String? { nil }

    func read(at offset: Int, into destination: UnsafeMutableRawBufferPointer) throws {
        guard offset >= 0, destination.count <= size - offset else {
            throw truncated(at: offset, count: destination.count, what: "reading")
        }
        if destination.isEmpty { return }
        data.withUnsafeBytes { source in
            destination.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[offset..<offset + destination.count]))
        }
    }
}

/// Bytes read from an open file, in bounded chunks.
final class FileByteSource: TensorByteSource {
    let handle: FileHandle
    let size: Int
    let path: String?

    /// The largest chunk read at once, so a large tensor is not staged whole in a temporary `Data`.
    private static let chunkSize = 16 << 20

    /// Opens the file at `url` for reading.
    init(url: URL) throws {
        let path = url.path
        self.path = path
        do {
            handle = try FileHandle(forReadingFrom: url)
        } catch {
            let exists = FileManager.default.fileExists(atPath: path)
            throw TensorFileError(
                code: exists ? .io : .fileNotFound, message: exists ? "cannot open the file" : "no such file",
                path: path, cause: error)
        }
        do {
            let end = try handle.seekToEnd()
            guard end <= UInt64(Int.max) else {
                throw TensorFileError(code: .io, message: "the file size \(end) does not fit in Int", path: path)
            }
            size = Int(end)
        } catch let error as TensorFileError {
            try? handle.close()
            throw error
        } catch {
            try? handle.close()
            throw TensorFileError(code: .io, message: "cannot determine the file size", path: path, cause: error)
        }
    }

    deinit {
        try? handle.close()
    }

    func read(at offset: Int, into destination: UnsafeMutableRawBufferPointer) throws {
        guard offset >= 0, destination.count <= size - offset else {
            throw truncated(at: offset, count: destination.count, what: "reading")
        }
        var filled = 0
        do {
            try handle.seek(toOffset: UInt64(offset))
            while filled < destination.count {
                let wanted = min(destination.count - filled, Self.chunkSize)
                guard let chunk = try handle.read(upToCount: wanted), !chunk.isEmpty else { break }
                chunk.withUnsafeBytes { source in
                    UnsafeMutableRawBufferPointer(rebasing: destination[filled..<filled + source.count])
                        .copyMemory(from: source)
                }
                filled += chunk.count
            }
        } catch {
            throw TensorFileError(
                code: .io, message: "reading \(destination.count) bytes failed", path: path,
                byteOffset: offset + filled, cause: error)
        }
        guard filled == destination.count else {
            throw TensorFileError(
                code: .truncated,
                message: "the file ended after \(offset + filled) bytes while reading (it shrank while being read)",
                path: path, byteOffset: offset + filled)
        }
    }
}

/// Atomic file replacement: write a temporary file in the destination's directory, flush it to disk,
/// then rename it over the destination, so a crash at any instant leaves either the old file or the
/// complete new one.
enum AtomicFileWriter {
    /// Calls `body` with a handle to a temporary file, then renames the file to `url`.
    static func write(to url: URL, _ body: (FileHandle) throws -> Void) throws {
        let path = url.path
        let directory = url.deletingLastPathComponent()
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
            throw TensorFileError(
                code: .io,
                message: "cannot create the temporary file \(temporary.lastPathComponent) in \(directory.path)",
                path: path)
        }
        var renamed = false
        defer {
            if !renamed { try? FileManager.default.removeItem(at: temporary) }
        }
        let handle: FileHandle
        do {
            handle = try FileHandle(forWritingTo: temporary)
        } catch {
            throw TensorFileError(code: .io, message: "cannot open the temporary file", path: path, cause: error)
        }
        do {
            try body(handle)
            try handle.synchronize()
            try handle.close()
        } catch let error as TensorFileError {
            try? handle.close()
            throw error
        } catch {
            try? handle.close()
            throw TensorFileError(code: .io, message: "writing failed", path: path, cause: error)
        }
        guard rename(temporary.path, path) == 0 else {
            let reason = String(cString: strerror(errno))
            throw TensorFileError(
                code: .io, message: "cannot rename the temporary file into place: \(reason)", path: path)
        }
        renamed = true
        // Flush the directory entry too, so the rename itself survives a power loss.
        let directoryDescriptor = open(directory.path, O_RDONLY)
        if directoryDescriptor >= 0 {
            _ = fsync(directoryDescriptor)
            close(directoryDescriptor)
        }
    }

    /// Writes `bytes` to `handle` without copying them.
    static func append(_ bytes: UnsafeRawBufferPointer, to handle: FileHandle) throws {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        let data = Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: base), count: bytes.count, deallocator: .none)
        try handle.write(contentsOf: data)
    }
}
