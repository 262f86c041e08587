public import Foundation

/// The entry point for logging: a store, an optional artifact repository and a logging mode.
///
/// ```swift
/// let tracker = Tracker(store: InMemoryTrackingStore())
/// let run = try await tracker.startRun(experiment: "digits", name: "baseline")
/// try await run.logMetric("accuracy", 0.97, step: 30)
/// try await run.finish()
/// ```
public struct Tracker: Sendable {
    /// Where runs are recorded.
    public let store: any TrackingStore
    /// Where artifact bytes go (content-addressed); nil when the tracker records no artifacts.
    public let artifactRepository: ArtifactRepository?
    /// How runs started by this tracker write.
    public let mode: LoggingMode

    /// Creates a tracker.
    public init(store: any TrackingStore, artifactRepository: ArtifactRepository? = nil, mode: LoggingMode = .default) {
        self.store = store
        self.artifactRepository = artifactRepository
        self.mode = mode
    }

    /// Starts a run in the experiment named `experiment` (created when absent), nested under `parent` if given.
    public func startRun(
        experiment: String, name: String, parent: ActiveRun? = nil, tags: [String: String] = [:]
    ) async throws -> ActiveRun {
        let experimentRecord = try await store.experiment(namedOrCreated: experiment)
        return try await startRun(
            RunDraft(experimentID: experimentRecord.id, name: name, parentRunID: parent?.id, tags: tags))
    }

    /// Starts a run from an explicit draft.
    public func startRun(_ draft: RunDraft) async throws -> ActiveRun {
        let info = try await store.createRun(draft)
        return ActiveRun(info: info, store: store, artifactRepository: artifactRepository, mode: mode)
    }

    /// Runs `body` inside a new run, finishing it as ``RunStatus/finished`` or, when `body` throws,
    /// ``RunStatus/failed`` (the error is rethrown).
    public func withRun<Result: Sendable>(
        experiment: String, name: String, parent: ActiveRun? = nil, tags: [String: String] = [:],
        _ body: (ActiveRun) async throws -> Result
    ) async throws -> Result {
        let run = try await startRun(experiment: experiment, name: name, parent: parent, tags: tags)
        do {
            let result = try await body(run)
            try await run.finish(status: .finished)
            return result
        } catch {
            try? await run.finish(status: .failed)
            throw error
        }
    }
}
