import ForgeVersioning
public import Foundation

/// Where a run is in its life. Raw values are MLflow's.
public enum RunStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Started and still logging.
    case running = "RUNNING"
    /// Created but not started (a queued tuning trial).
    case scheduled = "SCHEDULED"
    /// Ended normally.
    case finished = "FINISHED"
    /// Ended with an error.
    case failed = "FAILED"
    /// Stopped from outside (interrupted, pruned).
    case killed = "KILLED"

    /// Whether the run has ended.
    public var isTerminal: Bool { self == .finished || self == .failed || self == .killed }
}

/// The identity and life of a run: who started it, from what code, when, and how it ended.
public struct RunInfo: Sendable, Hashable, Codable, Identifiable {
    /// The store-assigned identifier (32 lowercase hex digits).
    public var id: String
    /// The experiment the run belongs to.
    public var experimentID: String
    /// A human-readable name (not necessarily unique).
    public var name: String
    /// The current status.
    public var status: RunStatus
    /// When the run started.
    public var startTime: Date
    /// When the run ended; nil while it runs.
    public var endTime: Date?
    /// Who started it (the OS user by default).
    public var user: String
    /// The machine it ran on.
    public var host: String
    /// The program or entry point (`forge train`, an executable path).
    public var source: String
    /// The git commit of the code, with a `-dirty` suffix when the work tree had changes.
    public var gitCommit: String?
    /// The parent run for nested runs (tuning trials, folds); nil for top-level runs.
    public var parentRunID: String?

    /// Creates a run record (stores create these; see ``TrackingStore/createRun(_:)``).
    public init(
        id: String, experimentID: String, name: String, status: RunStatus, startTime: Date, endTime: Date? = nil,
        user: String, host: String, source: String, gitCommit: String? = nil, parentRunID: String? = nil
    ) {
        self.id = id
        self.experimentID = experimentID
        self.name = name
        self.status = status
        self.startTime = startTime
        self.endTime = endTime
        self.user = user
        self.host = host
        self.source = source
        self.gitCommit = gitCommit
        self.parentRunID = parentRunID
    }
}

/// What a store needs to create a run; ``RunDraft/init(experimentID:name:parentRunID:tags:)`` fills user,
/// host, source and git commit from the current process.
public struct RunDraft: Sendable, Hashable, Codable {
    /// The experiment to create the run in.
    public var experimentID: String
    /// The run name.
    public var name: String
    /// Who starts it.
    public var user: String
    /// The machine.
    public var host: String
    /// The program or entry point.
    public var source: String
    /// The git commit (with `-dirty` when the tree had changes).
    public var gitCommit: String?
    /// The parent run for nested runs.
    public var parentRunID: String?
    /// Tags to set at creation.
    public var tags: [String: String]
    /// The start time (now by default).
    public var startTime: Date

    /// A draft describing the current process: OS user, host name, executable, and the git commit of the
    /// current directory when it is a repository.
    public init(
        experimentID: String, name: String, parentRunID: String? = nil, tags: [String: String] = [:],
        startTime: Date = Date()
    ) {
        let environment = ProcessInfo.processInfo.environment
        self.experimentID = experimentID
        self.name = name
        self.user = environment["USER"] ?? environment["LOGNAME"] ?? NSUserName()
        self.host = ProcessInfo.processInfo.hostName
        self.source = CommandLine.arguments.first.map { URL(fileURLWithPath: $0).lastPathComponent } ?? "unknown"
        self.gitCommit = CodeVersion.current(in: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            .map { $0.dirty ? $0.commit + "-dirty" : $0.commit }
        self.parentRunID = parentRunID
        self.tags = tags
        self.startTime = startTime
    }

    /// A draft with every field given explicitly.
    public init(
        experimentID: String, name: String, user: String, host: String, source: String, gitCommit: String?,
        parentRunID: String?, tags: [String: String], startTime: Date
    ) {
        self.experimentID = experimentID
        self.name = name
        self.user = user
        self.host = host
        self.source = source
        self.gitCommit = gitCommit
        self.parentRunID = parentRunID
        self.tags = tags
        self.startTime = startTime
    }
}

/// A run with everything logged to it except metric histories and artifacts (ask the store for those).
public struct Run: Sendable, Hashable, Codable, Identifiable {
    /// Identity and life.
    public var info: RunInfo
    /// Parameters by key.
    public var params: [String: String]
    /// Tags by key.
    public var tags: [String: String]
    /// The latest value of each metric (highest step, latest timestamp on ties).
    public var latestMetrics: [String: Metric]
    /// Dataset versions the run consumed.
    public var inputs: [DatasetInput]

    /// The run's identifier.
    public var id: String { info.id }

    /// Creates a run value.
    public init(
        info: RunInfo, params: [String: String] = [:], tags: [String: String] = [:],
        latestMetrics: [String: Metric] = [:], inputs: [DatasetInput] = []
    ) {
        self.info = info
        self.params = params
        self.tags = tags
        self.latestMetrics = latestMetrics
        self.inputs = inputs
    }
}
