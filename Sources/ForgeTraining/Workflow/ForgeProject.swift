public import ForgeTracking
public import ForgeVersioning
public import Foundation

/// A project directory on embedded defaults: the SQLite tracking store, the version store, checkpoints and
/// reports, each in its own folder.
///
/// ```text
/// project/
///   tracking/      tracking.sqlite + artifacts/ (content-addressed)
///   versions/      ForgeVersioning store: data and model versions, lineage
///   checkpoints/   one folder per run
///   reports/       HTML run and comparison reports
/// ```
public struct ForgeProject: Sendable {
    /// The project root.
    public let directory: URL

    /// Opens the project at `directory`, creating the folders that are missing.
    /// - Throws: a file-system error when the folders cannot be created.
    public init(at directory: URL) throws {
        self.directory = directory.standardizedFileURL
        for folder in [trackingDirectory, versionsDirectory, checkpointsDirectory, reportsDirectory] {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }
    }

    /// The tracking store's folder.
    public var trackingDirectory: URL { directory.appendingPathComponent("tracking") }
    /// The version store's folder.
    public var versionsDirectory: URL { directory.appendingPathComponent("versions") }
    /// The checkpoints' folder.
    public var checkpointsDirectory: URL { directory.appendingPathComponent("checkpoints") }
    /// The reports' folder.
    public var reportsDirectory: URL { directory.appendingPathComponent("reports") }

    /// A tracker over the project's SQLite store and artifact repository.
    public func tracker(mode: LoggingMode = .default) throws -> Tracker {
        try Tracker.local(at: trackingDirectory, mode: mode)
    }

    /// The project's version store (created on first use).
    public func versionStore() throws -> VersionStore {
        try VersionStore(at: versionsDirectory, create: true)
    }

    /// Where a run's checkpoints go.
    public func checkpointDirectory(forRun runID: String) -> URL {
        checkpointsDirectory.appendingPathComponent(runID)
    }

    /// Where a run's HTML report goes.
    public func reportURL(forRun runID: String) -> URL {
        reportsDirectory.appendingPathComponent("run-\(runID).html")
    }
}
