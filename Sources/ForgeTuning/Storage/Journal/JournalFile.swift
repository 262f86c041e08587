import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The journal file itself: appends lines under Optuna's lock protocol and reads the complete lines
/// written since the last read.
///
/// The lock is Optuna's `JournalFileSymlinkLock`: a symbolic link `<file>.lock` created atomically by
/// `symlink(2)` and released by renaming it away and unlinking it, so Forge and Optuna processes that share
/// one journal exclude each other. A lock whose file has not changed for `lockGracePeriod` seconds (its
/// holder died) is broken, as Optuna does. Each append is one `write(2)` on an `O_APPEND` descriptor
/// followed by `fsync`, so a reader never sees two writers' lines interleaved.
struct JournalFile {
    let path: String
    let lockGracePeriod: Double
    private(set) var readOffset: Int = 0
    private(set) var linesRead = 0

    init(path: String, lockGracePeriod: Double = 30) throws(TuningError) {
        self.path = path
        self.lockGracePeriod = lockGracePeriod
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        guard descriptor >= 0 else { throw Self.failure("cannot create \(path)") }
        close(descriptor)
    }

    static func failure(_ what: String) -> TuningError {
        .storageFailure(reason: "\(what): \(String(cString: strerror(errno)))")
    }

    /// Appends `lines` (each without its newline) in one write under the lock.
    func append(_ lines: [String]) throws(TuningError) {
        var bytes = Array(lines.joined(separator: "\n").utf8)
        bytes.append(UInt8(ascii: "\n"))
        try withLock { () throws(TuningError) in
            let descriptor = open(path, O_WRONLY | O_APPEND)
            guard descriptor >= 0 else { throw Self.failure("cannot open \(path) for appending") }
            defer { close(descriptor) }
            var written = 0
            while written < bytes.count {
                let result = bytes.withUnsafeBytes { raw in
                    write(descriptor, raw.baseAddress! + written, raw.count - written)
                }
                if result < 0 {
                    if errno == EINTR { continue }
                    throw Self.failure("cannot append to \(path)")
                }
                written += result
            }
            guard fsync(descriptor) == 0 else { throw Self.failure("cannot sync \(path)") }
        }
    }

    /// The complete lines appended since the last call, with their 1-based line numbers. A last line
    /// without its newline (a write in progress) is left for the next call.
    mutating func readNewLines() throws(TuningError) -> [(number: Int, text: Substring)] {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw Self.failure("cannot open \(path)") }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw Self.failure("cannot stat \(path)") }
        let size = Int(info.st_size)
        guard size >= readOffset else {
            throw .storageFailure(
                reason: "\(path) shrank from \(readOffset) to \(size) bytes; a journal is append-only, reopen it")
        }
        guard size > readOffset else { return [] }
        var buffer = [UInt8](repeating: 0, count: size - readOffset)
        var filled = 0
        while filled < buffer.count {
            let result = buffer.withUnsafeMutableBytes { raw in
                pread(descriptor, raw.baseAddress! + filled, raw.count - filled, off_t(readOffset + filled))
            }
            if result < 0, errno == EINTR { continue }
            guard result >= 0 else { throw Self.failure("cannot read \(path)") }
            if result == 0 { break }
            filled += result
        }
        guard let lastNewline = buffer[..<filled].lastIndex(of: UInt8(ascii: "\n")) else { return [] }
        let text = String(decoding: buffer[...lastNewline], as: UTF8.self)
        readOffset += lastNewline + 1
        var lines: [(number: Int, text: Substring)] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            linesRead += 1
            lines.append((linesRead, line))
        }
        return lines
    }

    /// Runs `body` holding Optuna's symbolic-link lock.
    func withLock<Result>(_ body: () throws(TuningError) -> Result) throws(TuningError) -> Result {
        let lockPath = path + ".lock"
        var delay: useconds_t = 1_000
        var lastModification: timespec?
        var unchangedSince = Date()
        while symlink(path, lockPath) != 0 {
            guard errno == EEXIST else { throw Self.failure("cannot create the lock \(lockPath)") }
            var info = stat()
            if lstat(lockPath, &info) == 0 {
                #if canImport(Darwin)
                    let modification = info.st_mtimespec
                #else
                    let modification = info.st_mtim
                #endif
                if lastModification?.tv_sec != modification.tv_sec || lastModification?.tv_nsec != modification.tv_nsec {
                    lastModification = modification
                    unchangedSince = Date()
                } else if Date().timeIntervalSince(unchangedSince) > lockGracePeriod {
                    // The holder died: break the lock the way Optuna does.
                    releaseLock(lockPath)
                    delay = 1_000
                    continue
                }
            }
            usleep(delay)
            delay = min(delay * 2, 100_000)
        }
        defer { releaseLock(lockPath) }
        return try body()
    }

    private func releaseLock(_ lockPath: String) {
        let renamed = lockPath + UUID().uuidString.lowercased() + ".rename"
        if rename(lockPath, renamed) == 0 { unlink(renamed) }
    }
}
