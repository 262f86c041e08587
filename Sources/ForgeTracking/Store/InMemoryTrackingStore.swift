public import Foundation

/// A ``TrackingStore`` in memory: for tests, previews and short-lived tools. Nothing survives the process.
public actor InMemoryTrackingStore: TrackingStore {
    private struct RunRecord {
        var info: RunInfo
        var params: [String: String] = [:]
        var tags: [String: String] = [:]
        var metrics: [String: [Metric]] = [:]
        var inputs: [DatasetInput] = []
        var metadata: TrainingMetadata?
        var artifacts: [String: ArtifactRecord] = [:]
    }

    private var experimentList: [Experiment] = []
    private var runs: [String: RunRecord] = [:]

    /// Creates an empty store.
    public init() {}

    /// Creates an experiment with the next decimal id.
    public func createExperiment(named name: String, tags: [String: String]) throws -> Experiment {
        try TrackingValidation.validateKey(name, kind: "experiment")
        if experimentList.contains(where: { $0.name == name }) { throw TrackingError.experimentExists(name) }
        for (key, value) in tags { try TrackingValidation.validateTag(key: key, value: value) }
        let experiment = Experiment(id: String(experimentList.count + 1), name: name, tags: tags, creationTime: Date())
        experimentList.append(experiment)
        return experiment
    }

    /// The experiment with `id`.
    public func experiment(id: String) throws -> Experiment {
        guard let experiment = experimentList.first(where: { $0.id == id }) else {
            throw TrackingError.experimentNotFound(id)
        }
        return experiment
    }

    /// The experiment named `name`, or nil.
    public func experiment(named name: String) -> Experiment? { experimentList.first { $0.name == name } }

    /// Every experiment, oldest first.
    public func experiments() -> [Experiment] { experimentList }

    /// Creates a running run.
    public func createRun(_ draft: RunDraft) throws -> RunInfo {
        _ = try experiment(id: draft.experimentID)
        if let parent = draft.parentRunID, runs[parent] == nil { throw TrackingError.runNotFound(parent) }
        for (key, value) in draft.tags { try TrackingValidation.validateTag(key: key, value: value) }
        let info = RunInfo(
            id: TrackingIdentifiers.newRunID(), experimentID: draft.experimentID, name: draft.name, status: .running,
            startTime: draft.startTime, user: draft.user, host: draft.host, source: draft.source,
            gitCommit: draft.gitCommit, parentRunID: draft.parentRunID)
        runs[info.id] = RunRecord(info: info, tags: draft.tags)
        return info
    }

    /// Sets status and end time.
    public func updateRun(id: String, status: RunStatus, endTime: Date?) throws {
        try withRecord(id) { record in
            record.info.status = status
            record.info.endTime = endTime
        }
    }

    /// The run with `id`.
    public func run(id: String) throws -> Run {
        guard let record = runs[id] else { throw TrackingError.runNotFound(id) }
        return makeRun(record)
    }

    /// Deletes a run.
    public func deleteRun(id: String) throws {
        guard runs.removeValue(forKey: id) != nil else { throw TrackingError.runNotFound(id) }
    }

    /// Logs a batch atomically (validated before anything is stored).
    public func logBatch(runID: String, metrics: [Metric], params: [Param], tags: [String: String]) throws {
        try TrackingValidation.validateBatch(metrics: metrics, params: params, tags: tags)
        guard let record = runs[runID] else { throw TrackingError.runNotFound(runID) }
        for param in params {
            if let old = record.params[param.key], old != param.value {
                throw TrackingError.parameterChanged(runID: runID, key: param.key, old: old, new: param.value)
            }
        }
        try withRecord(runID) { record in
            for param in params { record.params[param.key] = param.value }
            for (key, value) in tags { record.tags[key] = value }
            for metric in metrics { record.metrics[metric.key, default: []].append(metric) }
        }
    }

    /// A metric's history ordered by step, then timestamp.
    public func metricHistory(runID: String, key: String) throws -> [Metric] {
        guard let record = runs[runID] else { throw TrackingError.runNotFound(runID) }
        return (record.metrics[key] ?? []).enumerated().sorted { a, b in
            (a.element.step, a.element.timestamp, a.offset) < (b.element.step, b.element.timestamp, b.offset)
        }.map(\.element)
    }

    /// Appends dataset inputs (an input with the same name, digest and context is kept once).
    public func logInputs(runID: String, inputs: [DatasetInput]) throws {
        try withRecord(runID) { record in
            for input in inputs
            where !record.inputs.contains(where: {
                $0.name == input.name && $0.digest == input.digest && $0.context == input.context
            }) {
                record.inputs.append(input)
            }
        }
    }

    /// Replaces the training metadata.
    public func setTrainingMetadata(runID: String, _ metadata: TrainingMetadata) throws {
        try withRecord(runID) { $0.metadata = metadata }
    }

    /// The training metadata, or nil.
    public func trainingMetadata(runID: String) throws -> TrainingMetadata? {
        guard let record = runs[runID] else { throw TrackingError.runNotFound(runID) }
        return record.metadata
    }

    /// Records artifacts by path.
    public func recordArtifacts(runID: String, _ artifacts: [ArtifactRecord]) throws {
        try withRecord(runID) { record in
            for artifact in artifacts { record.artifacts[artifact.path] = artifact }
        }
    }

    /// Artifacts ordered by path.
    public func artifacts(runID: String) throws -> [ArtifactRecord] {
        guard let record = runs[runID] else { throw TrackingError.runNotFound(runID) }
        return record.artifacts.values.sorted { $0.path < $1.path }
    }

    /// Filters, sorts and pages in memory.
    public func searchRuns(_ query: RunQuery) throws -> RunPage {
        let offset = try query.pageOffset()
        let experiments = Set(query.experimentIDs)
        let matching = runs.values.lazy.filter { experiments.contains($0.info.experimentID) }.map(makeRun)
            .filter { query.filter?.matches($0) ?? true }
        let sorted = RunOrdering.sort(Array(matching), by: query.orderBy)
        let end = Swift.min(sorted.count, offset + Swift.max(1, query.maxResults))
        let page = offset < end ? Array(sorted[offset..<end]) : []
        return RunPage(runs: page, nextPageToken: end < sorted.count ? RunQuery.pageToken(forOffset: end) : nil)
    }

    private func withRecord(_ id: String, _ change: (inout RunRecord) throws -> Void) throws {
        guard var record = runs[id] else { throw TrackingError.runNotFound(id) }
        try change(&record)
        runs[id] = record
    }

    private func makeRun(_ record: RunRecord) -> Run {
        var latest: [String: Metric] = [:]
        for (key, history) in record.metrics {
            latest[key] = history.max { a, b in (a.step, a.timestamp) < (b.step, b.timestamp) }
        }
        return Run(info: record.info, params: record.params, tags: record.tags, latestMetrics: latest, inputs: record.inputs)
    }
}

/// Identifier generation shared by the stores.
public enum TrackingIdentifiers {
    /// A new run id: a random UUID as 32 lowercase hex digits (MLflow's form).
    public static func newRunID() -> String {
        UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
    }
}
