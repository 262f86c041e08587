public import ForgeTracking
public import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A ``TrackingStore`` that logs to a real MLflow tracking server over its REST API
/// (`/api/2.0/mlflow/...`), so runs logged from Swift appear in the MLflow UI and in `MlflowClient`.
///
/// - Batches are split to MLflow's limits (1000 metrics, 100 params, 100 tags, 1000 entities and under
///   1 MB per request); params go first so a changed param fails before anything else is written.
/// - Requests that fail with 429, a 5xx status or a connection error are retried per ``MLflowRetryPolicy``.
/// - MLflow's error codes become ``TrackingError``s: `RESOURCE_ALREADY_EXISTS` →
///   ``TrackingError/experimentExists(_:)``, `RESOURCE_DOES_NOT_EXIST` → the matching not-found case, a
///   changed param → ``TrackingError/parameterChanged(runID:key:old:new:)``.
/// - Training metadata and artifact records, which MLflow has no API for, are stored as JSON run artifacts
///   through the server's artifact proxy (`mlflow server` serves artifacts by default); see `MLflowMapping`.
/// - Deleting a run is MLflow's soft delete: the run leaves searches and reads as not found.
///
/// Differences from the embedded stores: times are kept to the millisecond; a batch larger than one MLflow
/// request is atomic per request, not as a whole; searches whose filter or order MLflow cannot express
/// (`or`, `IN` on params, numeric comparisons of params) are finished on the client (see
/// ``searchRuns(_:)``).
///
/// ```swift
/// let store = MLflowTrackingStore(trackingURI: URL(string: "http://127.0.0.1:5000")!)
/// let tracker = Tracker(store: store)
/// let run = try await tracker.startRun(experiment: "digits", name: "mlp-adam")
/// try await run.logMetric("loss", 0.42, step: 1)
/// try await run.finish()
/// ```
public struct MLflowTrackingStore: TrackingStore {
    /// Connection settings.
    public struct Configuration: Sendable {
        /// How failed requests are retried.
        public var retry: MLflowRetryPolicy
        /// The timeout of one request attempt, in seconds.
        public var requestTimeout: TimeInterval
        /// Headers sent with every request, e.g. `["Authorization": "Bearer …"]` for a server behind auth.
        public var headers: [String: String]
        /// When set, ``recordArtifacts(runID:_:)`` also uploads each artifact's bytes from this repository
        /// to the run's MLflow artifacts, so MLflow users can browse and download them.
        public var artifactContent: ArtifactRepository?

        /// Creates a configuration.
        public init(
            retry: MLflowRetryPolicy = .default, requestTimeout: TimeInterval = 60, headers: [String: String] = [:],
            artifactContent: ArtifactRepository? = nil
        ) {
            self.retry = retry
            self.requestTimeout = requestTimeout
            self.headers = headers
            self.artifactContent = artifactContent
        }
    }

    /// The server's base URL (`http://127.0.0.1:5000`).
    public let trackingURI: URL
    /// The connection settings.
    public let configuration: Configuration
    let client: MLflowHTTPClient

    /// Creates a store for the server at `trackingURI`; no request is made until it is used.
    public init(trackingURI: URL, configuration: Configuration = Configuration()) {
        self.trackingURI = trackingURI
        self.configuration = configuration
        let sessionConfiguration = URLSessionConfiguration.ephemeral
        sessionConfiguration.urlCache = nil
        sessionConfiguration.requestCachePolicy = .reloadIgnoringLocalCacheData
        self.client = MLflowHTTPClient(
            baseURL: trackingURI, session: URLSession(configuration: sessionConfiguration),
            retry: configuration.retry, headers: configuration.headers, timeout: configuration.requestTimeout)
    }

    // MARK: Experiments

    /// Creates an experiment; throws ``TrackingError/experimentExists(_:)`` when the name is taken (deleted
    /// experiments keep their names in MLflow).
    public func createExperiment(named name: String, tags: [String: String]) async throws -> Experiment {
        try TrackingValidation.validateKey(name, kind: "experiment")
        for (key, value) in tags { try TrackingValidation.validateTag(key: key, value: value) }
        let request = CreateExperimentRequest(
            name: name, tags: tags.sorted { $0.key < $1.key }.map { WireKeyValue(key: $0.key, value: $0.value) })
        let created = try await mapped {
            try await client.post("experiments/create", request, as: CreateExperimentResponse.self)
        } onError: {
            $0.isAlreadyExists ? .experimentExists(name) : nil
        }
        return try await experiment(id: created.experimentId)
    }

    /// The experiment with `id` (deleted experiments are not found).
    public func experiment(id: String) async throws -> Experiment {
        let response = try await mapped {
            try await client.get("experiments/get", query: ["experiment_id": id], as: ExperimentResponse.self)
        } onError: {
            $0.isNotFound || $0.isInvalidParameter ? .experimentNotFound(id) : nil
        }
        guard response.experiment.lifecycleStage != "deleted" else { throw TrackingError.experimentNotFound(id) }
        return MLflowMapping.experiment(response.experiment)
    }

    /// The experiment named `name`, or nil.
    public func experiment(named name: String) async throws -> Experiment? {
        do {
            let response = try await client.get(
                "experiments/get-by-name", query: ["experiment_name": name], as: ExperimentResponse.self)
            guard response.experiment.lifecycleStage != "deleted" else { return nil }
            return MLflowMapping.experiment(response.experiment)
        } catch let error as MLflowAPIError {
            if error.isNotFound { return nil }
            throw client.failure(error)
        }
    }

    /// Every active experiment, oldest first (MLflow's `Default` experiment included).
    public func experiments() async throws -> [Experiment] {
        var result: [Experiment] = []
        var token: String?
        repeat {
            let request = SearchExperimentsRequest(
                maxResults: 1000, pageToken: token, viewType: "ACTIVE_ONLY", orderBy: ["creation_time ASC"])
            let page = try await mapped {
                try await client.post("experiments/search", request, as: SearchExperimentsResponse.self)
            } onError: { _ in
                nil
            }
            result += (page.experiments ?? []).map(MLflowMapping.experiment)
            token = page.nextPageToken.flatMap { $0.isEmpty ? nil : $0 }
        } while token != nil
        return result.sorted { ($0.creationTime, Int($0.id) ?? 0) < ($1.creationTime, Int($1.id) ?? 0) }
    }

    // MARK: Runs

    /// Creates a running run; user, host, source, git commit and parent go into MLflow's reserved tags.
    public func createRun(_ draft: RunDraft) async throws -> RunInfo {
        for (key, value) in draft.tags { try TrackingValidation.validateTag(key: key, value: value) }
        if let parent = draft.parentRunID { _ = try await activeRun(id: parent) }
        let request = CreateRunRequest(
            experimentId: draft.experimentID, userId: draft.user, runName: draft.name,
            startTime: MLflowMapping.milliseconds(draft.startTime), tags: MLflowMapping.creationTags(draft))
        let response = try await mapped {
            try await client.post("runs/create", request, as: RunResponse.self)
        } onError: { error in
            let aboutExperiment = error.message.localizedCaseInsensitiveContains("experiment")
            return error.isNotFound || (error.isInvalidParameter && aboutExperiment)
                ? .experimentNotFound(draft.experimentID) : nil
        }
        return MLflowMapping.run(response.run).info
    }

    /// Sets status and end time.
    public func updateRun(id: String, status: RunStatus, endTime: Date?) async throws {
        let request = UpdateRunRequest(
            runId: id, status: status.rawValue, endTime: endTime.map(MLflowMapping.milliseconds))
        _ = try await mapped {
            try await client.post("runs/update", request, as: Empty.self)
        } onError: {
            $0.isNotFound || $0.isInactiveRun ? .runNotFound(id) : nil
        }
    }

    /// The run with `id`, with params, tags (reserved tags removed), latest metrics and inputs.
    public func run(id: String) async throws -> Run {
        MLflowMapping.run(try await activeRun(id: id))
    }

    /// Deletes the run (MLflow's soft delete: the run leaves searches and can no longer be read or logged to).
    public func deleteRun(id: String) async throws {
        _ = try await activeRun(id: id)
        _ = try await mapped {
            try await client.post("runs/delete", RunIDRequest(runId: id), as: Empty.self)
        } onError: {
            $0.isNotFound ? .runNotFound(id) : nil
        }
    }

    // MARK: Helpers

    /// The run as MLflow sends it; throws ``TrackingError/runNotFound(_:)`` when absent or deleted.
    func activeRun(id: String) async throws -> WireRun {
        let response = try await mapped {
            try await client.get("runs/get", query: ["run_id": id], as: RunResponse.self)
        } onError: {
            $0.isNotFound || $0.isInvalidParameter ? .runNotFound(id) : nil
        }
        guard response.run.info.lifecycleStage != "deleted" else { throw TrackingError.runNotFound(id) }
        return response.run
    }

    /// Runs `body`, turning MLflow errors into `onError`'s ``TrackingError`` or a store failure.
    func mapped<Result>(
        _ body: () async throws -> Result, onError: (MLflowAPIError) -> TrackingError?
    ) async throws -> Result {
        do {
            return try await body()
        } catch let error as MLflowAPIError {
            throw onError(error) ?? client.failure(error)
        }
    }
}
