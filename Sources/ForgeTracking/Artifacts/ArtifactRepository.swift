public import Foundation
public import ForgeVersioning

/// Stores artifact bytes by content in a ForgeVersioning ``ObjectStore``: identical files are kept once,
/// and every read is verified against its SHA-256.
public struct ArtifactRepository: Sendable {
    /// Where the bytes live (a directory, S3, memory).
    public let objects: any ObjectStore

    /// Creates a repository over `objects`.
    public init(objects: any ObjectStore) {
        self.objects = objects
    }

    /// A repository in a local directory (created when absent).
    public init(directory: URL) throws {
        self.objects = try DirectoryObjectStore(at: directory)
    }

    /// Stores a file, or every regular file under a directory, under the run-relative `path`.
    /// - Returns: one record per file, ordered by path.
    /// - Throws: ``TrackingError/artifact(path:reason:)`` when `url` is missing or unreadable, or `path` is invalid.
    public func store(_ url: URL, as path: String) async throws -> [ArtifactRecord] {
        try Self.validate(path)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw TrackingError.artifact(path: url.path, reason: "no such file or directory")
        }
        if !isDirectory.boolValue {
            return [try await storeFile(url, as: path)]
        }
        guard let enumerator = FileManager.default.enumerator(
            at: url, includingPropertiesForKeys: [.isRegularFileKey], options: [])
        else {
            throw TrackingError.artifact(path: url.path, reason: "cannot list the directory")
        }
        var files: [(URL, String)] = []
        let base = url.standardizedFileURL.path
        for case let file as URL in enumerator {
            guard (try? file.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
            let full = file.standardizedFileURL.path
            let relative = full.hasPrefix(base + "/") ? String(full.dropFirst(base.count + 1)) : file.lastPathComponent
            files.append((file, path.isEmpty ? relative : "\(path)/\(relative)"))
        }
        var records: [ArtifactRecord] = []
        for (file, artifactPath) in files.sorted(by: { $0.1 < $1.1 }) {
            records.append(try await storeFile(file, as: artifactPath))
        }
        return records
    }

    /// Stores `data` as the artifact `path`.
    public func store(_ data: Data, as path: String) async throws -> ArtifactRecord {
        try Self.validate(path)
        let id = ObjectID.hashing(data)
        if try await !objects.contains(id) {
            try await objects.write(data, as: id)
        }
        return ArtifactRecord(path: path, digest: id.hex, size: data.count)
    }

    /// The bytes of an artifact, verified against its digest.
    /// - Throws: ``TrackingError/artifact(path:reason:)`` when missing or corrupted.
    public func data(for record: ArtifactRecord) async throws -> Data {
        guard let id = ObjectID(hex: record.digest) else {
            throw TrackingError.artifact(path: record.path, reason: "digest \(record.digest) is not a SHA-256")
        }
        let data: Data
        do {
            data = try await objects.read(id)
        } catch {
            throw TrackingError.artifact(path: record.path, reason: "content \(record.digest) is missing: \(error)")
        }
        guard ObjectID.hashing(data) == id else {
            throw TrackingError.artifact(path: record.path, reason: "content does not match digest \(record.digest)")
        }
        return data
    }

    /// Writes artifacts under `directory`, recreating their relative paths.
    public func export(_ records: [ArtifactRecord], to directory: URL) async throws {
        for record in records {
            try Self.validate(record.path)
            let destination = directory.appendingPathComponent(record.path)
            try FileManager.default.createDirectory(
                at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
            try await data(for: record).write(to: destination, options: .atomic)
        }
    }

    private func storeFile(_ url: URL, as path: String) async throws -> ArtifactRecord {
        let data: Data
        do {
            data = try Data(contentsOf: url, options: .alwaysMapped)
        } catch {
            throw TrackingError.artifact(path: url.path, reason: "cannot read: \(error.localizedDescription)")
        }
        return try await store(data, as: path)
    }

    /// Artifact paths are relative, `/`-separated, without empty, `.` or `..` segments.
    static func validate(_ path: String) throws {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        if path.isEmpty || path.hasPrefix("/") || segments.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) {
            throw TrackingError.artifact(path: path, reason: "artifact paths are relative, without empty, . or .. segments")
        }
    }
}
