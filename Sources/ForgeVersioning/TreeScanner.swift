import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One file found under a tree root, with the `lstat` fields the stat cache keys on.
struct ScannedFile: Sendable {
    var path: String
    var absolutePath: String
    var kind: EntryKind
    var mode: UInt32
    var size: Int
    var inode: UInt64
    var modified: Int64  // nanoseconds
    var changed: Int64  // nanoseconds
    var linkTarget: String?
}

/// Walks a file or directory tree with `readdir`/`lstat` (no following of symlinks).
struct TreeScanner {
    /// Names never entered or recorded (VCS and tool folders).
    var ignoredNames: Set<String> = [".git", ".dvc", ".forge", ".DS_Store"]
    /// An absolute path to skip (the store itself when it lives inside the tree).
    var excludedPath: String?

    /// Scans `rootPath`; when it is a regular file, the result is that one file under its own name.
    func scan(_ rootPath: String) throws -> [ScannedFile] {
        guard let info = FileSystem.linkStatus(rootPath) else { throw FileSystem.error("lstat", rootPath) }
        if info.st_mode & S_IFMT == S_IFREG {
            let name = (rootPath as NSString).lastPathComponent
            return [Self.file(path: name, absolutePath: rootPath, info: info, kind: .file, target: nil)]
        }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            throw VersioningError.invalidPath(rootPath, reason: "not a regular file or directory")
        }
        var files: [ScannedFile] = []
        try walk(directory: rootPath, relative: "", into: &files)
        return files
    }

    private func walk(directory: String, relative: String, into files: inout [ScannedFile]) throws {
        for name in FileSystem.directoryEntries(directory).sorted() where !ignoredNames.contains(name) {
            let absolute = directory + "/" + name
            let path = relative.isEmpty ? name : relative + "/" + name
            if absolute == excludedPath { continue }
            guard let info = FileSystem.linkStatus(absolute) else { continue }  // vanished meanwhile
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                try walk(directory: absolute, relative: path, into: &files)
            case S_IFREG:
                try TreePath.validate(path)
                files.append(Self.file(path: path, absolutePath: absolute, info: info, kind: .file, target: nil))
            case S_IFLNK:
                let target = try Self.readLink(absolute)
                guard TreePath.symlinkStaysInside(linkPath: path, target: target) else {
                    throw VersioningError.symlinkEscapesTree(path: path, target: target)
                }
                var file = Self.file(path: path, absolutePath: absolute, info: info, kind: .symlink, target: target)
                file.size = target.utf8.count
                files.append(file)
            default:
                continue  // sockets, FIFOs, devices are not versioned
            }
        }
    }

    static func file(path: String, absolutePath: String, info: stat, kind: EntryKind, target: String?)
        -> ScannedFile
    {
        #if canImport(Darwin)
        let modified = Int64(info.st_mtimespec.tv_sec) * 1_000_000_000 + Int64(info.st_mtimespec.tv_nsec)
        let changed = Int64(info.st_ctimespec.tv_sec) * 1_000_000_000 + Int64(info.st_ctimespec.tv_nsec)
        #else
        let modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        let changed = Int64(info.st_ctim.tv_sec) * 1_000_000_000 + Int64(info.st_ctim.tv_nsec)
        #endif
        return ScannedFile(
            path: path, absolutePath: absolutePath, kind: kind, mode: UInt32(info.st_mode & 0o7777),
            size: Int(info.st_size), inode: UInt64(info.st_ino), modified: modified, changed: changed,
            linkTarget: target)
    }

    static func readLink(_ path: String) throws -> String {
        var buffer = [CChar](repeating: 0, count: 4097)
        let count = readlink(path, &buffer, 4096)
        guard count >= 0 else { throw FileSystem.error("readlink", path) }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
