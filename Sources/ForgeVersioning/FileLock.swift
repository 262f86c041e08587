import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An advisory `flock` on a lock file, shared or exclusive; works between processes and between threads
/// of one process (each acquisition opens its own file description).
struct FileLock {
    private let descriptor: Int32

    /// Blocks until the lock on `path` is held.
    init(path: String, exclusive: Bool) throws {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FileSystem.error("open lock", path) }
        while flock(fd, exclusive ? LOCK_EX : LOCK_SH) != 0 {
            if errno == EINTR { continue }
            let failure = FileSystem.error("flock", path)
            close(fd)
            throw failure
        }
        descriptor = fd
    }

    /// Releases the lock.
    func release() {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }

    /// Runs `body` while holding the lock on `path`.
    static func withLock<T>(path: String, exclusive: Bool, _ body: () throws -> T) throws -> T {
        let lock = try FileLock(path: path, exclusive: exclusive)
        defer { lock.release() }
        return try body()
    }
}
