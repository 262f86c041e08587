public import Foundation

/// Where runs are recorded: the extension point for tracking backends.
///
/// Built-in conformers: ``InMemoryTrackingStore`` (tests, short-lived tools), ``SQLiteTrackingStore`` (the
/// embedded default), the PostgreSQL store (`ForgeTrackingPostgres`) and the MLflow REST store
/// (`ForgeTrackingMLflow`). The `ForgeTrackingConformance` target checks a store against this contract:
/// run `TrackingStoreConformance.cases` in its tests. Every conformer must:
/// - validate input with ``TrackingValidation`` and throw ``TrackingError`` naming what was wrong;
/// - treat parameters as immutable: logging a key again with the same value is a no-op, with another value
///   throws ``TrackingError/parameterChanged(runID:key:old:new:)`` and stores nothing of that batch;
/// - apply a ``logBatch(runID:metrics:params:tags:)`` call atomically;
/// - keep NaN metric values as NaN;
/// - return metric histories ordered by step, then timestamp.
///
/// Most code does not call a store directly but logs through a ``Tracker`` and its ``ActiveRun``, which
/// validate immediately and batch the writes.
public protocol TrackingStore: Sendable {
    /// Creates an experiment; throws ``TrackingError/experimentExists(_:)`` when the name is taken.
    func createExperiment(named name: String, tags: [String: String]) async throws -> Experiment
    /// The experiment with `id`; throws ``TrackingError/experimentNotFound(_:)``.
    func experiment(id: String) async throws -> Experiment
    /// The experiment named `name`, or nil.
    func experiment(named name: String) async throws -> Experiment?
    /// Every experiment, oldest first.
    func experiments() async throws -> [Experiment]

    /// Creates a run with status ``RunStatus/running`` and the draft's tags.
    func createRun(_ draft: RunDraft) async throws -> RunInfo
    /// Sets a run's status and end time (ending a run is how it becomes terminal).
    func updateRun(id: String, status: RunStatus, endTime: Date?) async throws
    /// The run with `id`, with params, tags, latest metrics and inputs; throws ``TrackingError/runNotFound(_:)``.
    func run(id: String) async throws -> Run
    /// Deletes a run and everything logged to it (artifact bytes stay in the content store).
    func deleteRun(id: String) async throws

    /// Logs metrics, params and tags in one atomic call (at most 1000 metrics, 100 params, 100 tags).
    func logBatch(runID: String, metrics: [Metric], params: [Param], tags: [String: String]) async throws
    /// Every value logged for metric `key`, ordered by step then timestamp.
    func metricHistory(runID: String, key: String) async throws -> [Metric]
    /// Records dataset versions the run consumed.
    func logInputs(runID: String, inputs: [DatasetInput]) async throws
    /// Stores (replaces) the run's training metadata.
    func setTrainingMetadata(runID: String, _ metadata: TrainingMetadata) async throws
    /// The run's training metadata, or nil.
    func trainingMetadata(runID: String) async throws -> TrainingMetadata?
    /// Records artifacts (a path already recorded is replaced).
    func recordArtifacts(runID: String, _ artifacts: [ArtifactRecord]) async throws
    /// The run's artifacts, ordered by path.
    func artifacts(runID: String) async throws -> [ArtifactRecord]

    /// Runs matching `query`, ordered and paginated.
    func searchRuns(_ query: RunQuery) async throws -> RunPage
}

extension TrackingStore {
    /// Logs one metric value (prefer ``ActiveRun`` for many values: it batches).
    public func logMetric(runID: String, key: String, value: Double, step: Int = 0, timestamp: Date = Date())
        async throws
    {
        try await logBatch(
            runID: runID, metrics: [Metric(key: key, value: value, step: step, timestamp: timestamp)], params: [], tags: [:])
    }

    /// Logs one parameter.
    public func logParam(runID: String, key: String, value: String) async throws {
        try await logBatch(runID: runID, metrics: [], params: [Param(key: key, value: value)], tags: [:])
    }

    /// Sets one tag.
    public func setTag(runID: String, key: String, value: String) async throws {
        try await logBatch(runID: runID, metrics: [], params: [], tags: [key: value])
    }

    /// The latest, minimum and maximum of each metric the run logged, by key.
    public func metricSummaries(runID: String) async throws -> [String: MetricSummary] {
        let run = try await run(id: runID)
        var result: [String: MetricSummary] = [:]
        for key in run.latestMetrics.keys {
            if let summary = MetricSummary(history: try await metricHistory(runID: runID, key: key)) {
                result[key] = summary
            }
        }
        return result
    }

    /// Runs matching a filter string such as `metrics.accuracy > 0.9 and params.optimizer = 'adam'`.
    public func searchRuns(
        experimentIDs: [String], filter: String = "", orderBy: [RunOrdering] = [], maxResults: Int = 1000,
        pageToken: String? = nil
    ) async throws -> RunPage {
        let parsed = filter.trimmingCharacters(in: .whitespaces).isEmpty ? nil : try RunFilter(parsing: filter)
        return try await searchRuns(
            RunQuery(
                experimentIDs: experimentIDs, filter: parsed, orderBy: orderBy, maxResults: maxResults,
                pageToken: pageToken))
    }

    /// Every run of the experiments matching `filter`, following page tokens to the end.
    public func allRuns(experimentIDs: [String], filter: RunFilter? = nil, orderBy: [RunOrdering] = [])
        async throws -> [Run]
    {
        var runs: [Run] = []
        var token: String?
        repeat {
            let page = try await searchRuns(
                RunQuery(experimentIDs: experimentIDs, filter: filter, orderBy: orderBy, maxResults: 1000, pageToken: token))
            runs += page.runs
            token = page.nextPageToken
        } while token != nil
        return runs
    }

    /// The experiment named `name`, created when absent.
    public func experiment(namedOrCreated name: String) async throws -> Experiment {
        if let existing = try await experiment(named: name) { return existing }
        do {
            return try await createExperiment(named: name, tags: [:])
        } catch TrackingError.experimentExists {
            // Another process created it between the lookup and the insert.
            guard let existing = try await experiment(named: name) else { throw TrackingError.experimentNotFound(name) }
            return existing
        }
    }
}
