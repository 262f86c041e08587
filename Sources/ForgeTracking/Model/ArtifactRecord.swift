/// A file a run produced, stored by content: the run-relative path and the SHA-256 of its bytes.
///
/// The bytes live in a content-addressed ``ArtifactRepository`` (a ForgeVersioning object store), so
/// identical files logged by many runs are stored once.
public struct ArtifactRecord: Sendable, Hashable, Codable {
    /// The path inside the run's artifact tree (`model/weights.safetensors`), `/`-separated.
    public var path: String
    /// The SHA-256 of the content as 64 lowercase hex digits.
    public var digest: String
    /// Size in bytes.
    public var size: Int

    /// Creates a record.
    public init(path: String, digest: String, size: Int) {
        self.path = path
        self.digest = digest
        self.size = size
    }
}
