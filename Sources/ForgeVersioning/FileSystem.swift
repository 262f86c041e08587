import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Thin POSIX helpers with typed errors: whole-file reads, atomic writes, directory sync.
enum FileSystem {
    static func error(_ operation: String, _ path: String) -> VersioningError {
        .fileSystem(operation: operation, path: path, code: errno)
    }

    /// Reads the whole file at `path`.
    static func read(_ path: String) throws -> Data {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw error("open", path) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw error("fstat", path) }
        let size = Int(info.st_size)
        var data = Data(count: size)
        let got = try data.withUnsafeMutableBytes { buffer -> Int in
            try readFully(fd, into: buffer, path: path)
        }
        if got != size { data.count = got }
        return data
    }

    /// Reads up to `buffer.count` bytes, looping over short reads; returns the count read.
    static func readFully(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, path: String) throws -> Int {
        var total = 0
        while total < buffer.count {
            let n = posixRead(fd, buffer.baseAddress! + total, buffer.count - total)
            if n < 0 {
                if errno == EINTR { continue }
                throw error("read", path)
            }
            if n == 0 { break }
            total += n
        }
        return total
    }

    /// Writes all of `buffer` to `fd`.
    static func writeFully(_ fd: Int32, _ buffer: UnsafeRawBufferPointer, path: String) throws {
        var written = 0
        while written < buffer.count {
            let n = write(fd, buffer.baseAddress! + written, buffer.count - written)
            if n < 0 {
                if errno == EINTR { continue }
                throw error("write", path)
            }
            written += n
        }
    }

    /// Writes `data` to a fresh temporary file in `temporaryDirectory`, optionally fsyncs it, and
    /// returns its path. The caller renames it into place.
    static func writeTemporary(
        _ data: UnsafeRawBufferPointer, in temporaryDirectory: String, mode: mode_t, sync: Bool
    ) throws -> String {
        let path = temporaryDirectory + "/" + UUID().uuidString
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw error("create", path) }
        defer { close(fd) }
        try writeFully(fd, data, path: path)
        if sync && fsync(fd) != 0 { throw error("fsync", path) }
        return path
    }

    /// Atomically replaces `path` with `data`: temp file + fsync + rename + fsync of the directory.
    static func writeAtomically(_ data: Data, to path: String, temporaryDirectory: String) throws {
        let temporary = try data.withUnsafeBytes {
            try writeTemporary($0, in: temporaryDirectory, mode: 0o644, sync: true)
        }
        guard rename(temporary, path) == 0 else {
            let failure = error("rename", path)
            unlink(temporary)
            throw failure
        }
        syncDirectory(of: path)
    }

    /// fsyncs the directory holding `path`, so a rename into it is durable (best effort).
    static func syncDirectory(of path: String) {
        let directory = (path as NSString).deletingLastPathComponent
        let fd = open(directory.isEmpty ? "." : directory, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }

    /// Flushes every dirty page of the file system holding `path` (one call instead of one fsync per
    /// file); falls back to `sync()` where `syncfs` is unavailable.
    static func syncFileSystem(containing path: String) {
        #if os(Linux)
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = forgeSyncfs(fd)
        close(fd)
        #else
        sync()
        #endif
    }

    #if os(Linux)
    /// `copy_file_range` from `input` at `*offset` (advanced) to `output`'s current position.
    static func copyRange(_ input: Int32, _ offset: inout Int64, _ output: Int32, _ length: Int) -> Int {
        forgeCopyFileRange(input, &offset, output, nil, length, 0)
    }
    #endif

    /// Creates `path` and its parents (mode 0755); succeeds when it already exists.
    static func makeDirectories(_ path: String) throws {
        if mkdir(path, 0o755) == 0 || errno == EEXIST { return }
        if errno == ENOENT {
            try makeDirectories((path as NSString).deletingLastPathComponent)
            if mkdir(path, 0o755) == 0 || errno == EEXIST { return }
        }
        throw error("mkdir", path)
    }

    /// `lstat` of `path`, or nil when it does not exist.
    static func linkStatus(_ path: String) -> stat? {
        var info = stat()
        return lstat(path, &info) == 0 ? info : nil
    }

    /// Whether something exists at `path` (without following a final symlink).
    static func exists(_ path: String) -> Bool { linkStatus(path) != nil }

    /// Names in a directory (without `.` and `..`), or [] when it cannot be opened.
    static func directoryEntries(_ path: String) -> [String] {
        guard let directory = opendir(path) else { return [] }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Copies `source` to a new file `destination` (kernel copy, which clones on file systems
    /// that support it), with permission bits `mode`.
    static func copyFile(from source: String, to destination: String, mode: mode_t) throws {
        let input = open(source, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw error("open", source) }
        defer { close(input) }
        let output = open(destination, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard output >= 0 else { throw error("create", destination) }
        defer { close(output) }
        var info = stat()
        guard fstat(input, &info) == 0 else { throw error("fstat", source) }
        var remaining = Int(info.st_size)
        #if os(Linux)
        while remaining > 0 {
            let n = forgeCopyFileRange(input, nil, output, nil, remaining, 0)
            if n <= 0 { break }
            remaining -= n
        }
        #endif
        if remaining > 0 {  // no kernel copy: plain read/write loop from the current offset
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
            defer { buffer.deallocate() }
            while true {
                let n = try readFully(input, into: buffer, path: source)
                if n == 0 { break }
                try writeFully(output, UnsafeRawBufferPointer(rebasing: buffer[0..<n]), path: destination)
            }
        }
        fchmod(output, mode)
    }
}

/// `read(2)`, reachable from inside `FileSystem` where `read` names the whole-file helper.
private func posixRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(fd, buffer, count)
}

#if os(Linux)
@_silgen_name("syncfs") private func forgeSyncfs(_ fd: Int32) -> Int32
@_silgen_name("copy_file_range") private func forgeCopyFileRange(
    _ input: Int32, _ inputOffset: UnsafeMutablePointer<Int64>?, _ output: Int32,
    _ outputOffset: UnsafeMutablePointer<Int64>?, _ length: Int, _ flags: UInt32
) -> Int
#endif
