public import ForgeTracking
public import Foundation

extension MLflowTrackingStore {
    /// Logs metrics, params and tags, split into requests within MLflow's `log-batch` limits.
    ///
    /// Params go out first, then tags, then metrics. One MLflow request is atomic, and MLflow checks params
    /// before it writes anything, so a changed param in a batch that fits one request stores nothing and
    /// throws ``TrackingError/parameterChanged(runID:key:old:new:)``. A batch with more than 100 params needs
    /// several requests: its params are checked against the run first. Beyond that, a batch that needs
    /// several requests is atomic per request, not as a whole.
    public func logBatch(runID: String, metrics: [Metric], params: [Param], tags: [String: String]) async throws {
        try TrackingValidation.validateBatch(metrics: metrics, params: params, tags: tags)
        var seen = Set<String>()
        var newParams = params.filter { seen.insert($0.key).inserted }  // MLflow rejects repeated keys
        if newParams.count > MLflowBatchSplitter.maximumParams {
            let logged = MLflowMapping.run(try await activeRun(id: runID)).params
            if let conflict = Self.conflict(newParams, logged: logged, runID: runID) { throw conflict }
            newParams = newParams.filter { logged[$0.key] == nil }
        }
        let requests = MLflowBatchSplitter.split(
            runID: runID, metrics: metrics.map(MLflowMapping.wireMetric),
            params: newParams.map { WireKeyValue(key: $0.key, value: $0.value) },
            tags: tags.sorted { $0.key < $1.key }.map { WireKeyValue(key: $0.key, value: $0.value) })
        if requests.isEmpty { _ = try await activeRun(id: runID) }
        for request in requests {
            do {
                _ = try await client.post("runs/log-batch", request, as: Empty.self)
            } catch let error as MLflowAPIError {
                if error.isNotFound || error.isInactiveRun { throw TrackingError.runNotFound(runID) }
                guard error.isInvalidParameter, error.message.contains("Changing param values is not allowed") else {
                    throw client.failure(error)
                }
                // Name the param and both values exactly: read what the run holds.
                let logged = MLflowMapping.run(try await activeRun(id: runID)).params
                throw Self.conflict(newParams, logged: logged, runID: runID) ?? client.failure(error)
            }
        }
    }

    /// The first param whose logged value differs, as the error the contract asks for.
    private static func conflict(_ params: [Param], logged: [String: String], runID: String) -> TrackingError? {
        for param in params {
            if let old = logged[param.key], old != param.value {
                return .parameterChanged(runID: runID, key: param.key, old: old, new: param.value)
            }
        }
        return nil
    }

    /// Every value of metric `key`, ordered by step then timestamp (following MLflow's page tokens).
    public func metricHistory(runID: String, key: String) async throws -> [Metric] {
        _ = try await activeRun(id: runID)
        var history: [Metric] = []
        var token: String?
        repeat {
            var query = ["run_id": runID, "metric_key": key, "max_results": "25000"]
            if let token { query["page_token"] = token }
            let page = try await mapped {
                try await client.get("metrics/get-history", query: query, as: MetricHistoryResponse.self)
            } onError: {
                $0.isNotFound ? .runNotFound(runID) : nil
            }
            history += (page.metrics ?? []).map(MLflowMapping.metric)
            token = page.nextPageToken.flatMap { $0.isEmpty ? nil : $0 }
        } while token != nil
        return history.enumerated().sorted { a, b in
            (a.element.step, a.element.timestamp, a.offset) < (b.element.step, b.element.timestamp, b.offset)
        }.map(\.element)
    }

    /// Records dataset inputs through `runs/log-inputs` (the context as the `mlflow.data.context` tag; row
    /// count, feature distributions and the full digest in the dataset's profile). MLflow keeps one input per
    /// dataset name and digest, so the same data logged again with another context is not added.
    public func logInputs(runID: String, inputs: [DatasetInput]) async throws {
        guard !inputs.isEmpty else {
            _ = try await activeRun(id: runID)
            return
        }
        let datasets = try inputs.map(MLflowMapping.wireDatasetInput)
        for start in stride(from: 0, to: datasets.count, by: 1000) {
            let request = LogInputsRequest(
                runId: runID, datasets: Array(datasets[start..<min(start + 1000, datasets.count)]))
            _ = try await mapped {
                try await client.post("runs/log-inputs", request, as: Empty.self)
            } onError: {
                $0.isNotFound || $0.isInactiveRun ? .runNotFound(runID) : nil
            }
        }
    }
}

/// Splits one logical batch into `log-batch` requests within MLflow's limits.
enum MLflowBatchSplitter {
    static let maximumMetrics = 1000
    static let maximumParams = 100
    static let maximumTags = 100
    static let maximumEntities = 1000
    /// Keeps each request body under MLflow's 1 MB request limit with room for JSON punctuation.
    static let maximumPayloadBytes = 900_000

    /// Params first, then tags, then metrics, packed greedily.
    static func split(runID: String, metrics: [WireMetric], params: [WireKeyValue], tags: [WireKeyValue])
        -> [LogBatchRequest]
    {
        var requests: [LogBatchRequest] = []
        var current = LogBatchRequest(runId: runID, metrics: [], params: [], tags: [])
        var bytes = 0
        func entities() -> Int { current.metrics.count + current.params.count + current.tags.count }
        func startNewRequest(ifAdding size: Int, exceeding full: Bool) {
            if full || entities() + 1 > maximumEntities || (bytes + size > maximumPayloadBytes && entities() > 0) {
                requests.append(current)
                current = LogBatchRequest(runId: runID, metrics: [], params: [], tags: [])
                bytes = 0
            }
        }
        for param in params {
            let size = param.key.utf8.count + (param.value?.utf8.count ?? 0) + 32
            startNewRequest(ifAdding: size, exceeding: current.params.count >= maximumParams)
            current.params.append(param)
            bytes += size
        }
        for tag in tags {
            let size = tag.key.utf8.count + (tag.value?.utf8.count ?? 0) + 32
            startNewRequest(ifAdding: size, exceeding: current.tags.count >= maximumTags)
            current.tags.append(tag)
            bytes += size
        }
        for metric in metrics {
            let size = metric.key.utf8.count + 80
            startNewRequest(ifAdding: size, exceeding: current.metrics.count >= maximumMetrics)
            current.metrics.append(metric)
            bytes += size
        }
        if entities() > 0 { requests.append(current) }
        return requests
    }
}
