import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Objects laid out as `<root>/ab/cdef…` files, read-only once written, with temporaries in a sibling
/// folder so that every object appears by an atomic rename of a complete file.
struct ObjectDirectory: Sendable {
    /// The folder holding the two-hex-digit fan-out folders.
    let root: String
    /// Where temporary files are written before being renamed into place (same file system).
    let temporaryRoot: String

    /// Creates the folders (all 256 fan-out folders up front, so renames never need a mkdir).
    func create() throws {
        try FileSystem.makeDirectories(root)
        try FileSystem.makeDirectories(temporaryRoot)
        for value in 0..<256 {
            let name = [UInt8(value)].hexString
            if mkdir(root + "/" + name, 0o755) != 0 && errno != EEXIST {
                throw FileSystem.error("mkdir", root + "/" + name)
            }
        }
    }

    func path(of id: ObjectID) -> String { root + "/" + id.fanOutPath }

    func contains(_ id: ObjectID) -> Bool { access(path(of: id), F_OK) == 0 }

    /// The object's bytes; with `verify`, re-hashes them and throws ``VersioningError/corruptObject``
    /// when they do not match the id.
    func read(_ id: ObjectID, verify: Bool) throws -> Data {
        let location = path(of: id)
        guard contains(id) else { throw VersioningError.missingObject(id: id.hex, path: location) }
        let data = try FileSystem.read(location)
        if verify {
            let actual = ObjectID.hashing(data)
            if actual != id { throw VersioningError.corruptObject(id: id.hex, path: location, actualID: actual.hex) }
        }
        return data
    }

    /// Stores `bytes` under their hash durably (temp + fsync + rename + directory fsync); returns the id
    /// and whether the object was new.
    @discardableResult
    func write(_ bytes: UnsafeRawBufferPointer) throws -> (id: ObjectID, isNew: Bool) {
        let id = ObjectID.hashing(bytes)
        if contains(id) { return (id, false) }
        let temporary = try FileSystem.writeTemporary(bytes, in: temporaryRoot, mode: 0o444, sync: true)
        try install(temporary: temporary, as: id)
        FileSystem.syncDirectory(of: path(of: id))
        return (id, true)
    }

    /// Stores `data` durably; see ``write(_:)-(UnsafeRawBufferPointer)``.
    @discardableResult
    func write(_ data: Data) throws -> (id: ObjectID, isNew: Bool) {
        try data.withUnsafeBytes { try write($0) }
    }

    /// Writes `bytes` (already hashed to `id`) as an unsynced temporary and returns its path, or nil when
    /// the object already exists. The caller syncs the file system, then calls ``install(temporary:as:)``.
    func stage(_ bytes: UnsafeRawBufferPointer, id: ObjectID) throws -> String? {
        if contains(id) { return nil }
        return try FileSystem.writeTemporary(bytes, in: temporaryRoot, mode: 0o444, sync: false)
    }

    /// Like ``stage(_:id:)`` but copies the bytes from `length` bytes at `offset` of the open file `source`
    /// inside the kernel (`copy_file_range`: no user-space copy, a clone where the file system can),
    /// falling back to writing `bytes` (the same content, already in memory).
    func stageCopy(from source: Int32, offset: Int, bytes: UnsafeRawBufferPointer, id: ObjectID) throws -> String? {
        if contains(id) { return nil }
        #if os(Linux)
        let path = temporaryRoot + "/" + UUID().uuidString
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o444)
        guard fd >= 0 else { throw FileSystem.error("create", path) }
        defer { close(fd) }
        var inputOffset = Int64(offset)
        var copied = 0
        while copied < bytes.count {
            let n = FileSystem.copyRange(source, &inputOffset, fd, bytes.count - copied)
            if n <= 0 { break }
            copied += n
        }
        if copied < bytes.count {  // no kernel copy here: write the rest from memory
            try FileSystem.writeFully(fd, UnsafeRawBufferPointer(rebasing: bytes[copied...]), path: path)
        }
        return path
        #else
        return try stage(bytes, id: id)
        #endif
    }

    /// Renames a complete temporary file into place as object `id`.
    func install(temporary: String, as id: ObjectID) throws {
        let destination = path(of: id)
        guard rename(temporary, destination) == 0 else {
            let failure = FileSystem.error("rename", destination)
            unlink(temporary)
            throw failure
        }
    }

    /// Every object id present (files whose names are not ids are ignored).
    func list() -> [ObjectID] {
        var ids: [ObjectID] = []
        for folder in FileSystem.directoryEntries(root) where folder.utf8.count == 2 {
            for name in FileSystem.directoryEntries(root + "/" + folder) {
                if let id = ObjectID(hex: folder + name) { ids.append(id) }
            }
        }
        return ids
    }

    /// Removes an object (garbage collection, or repair of a corrupt one).
    func remove(_ id: ObjectID) throws {
        if unlink(path(of: id)) != 0 && errno != ENOENT { throw FileSystem.error("unlink", path(of: id)) }
    }
}
