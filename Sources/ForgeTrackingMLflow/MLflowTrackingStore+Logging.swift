public import ForgeTracking
public import Foundation

extension MLflowTrackingStore {
    /// Logs metrics, params and tags, split into requests within MLflow's `log-batch` limits.
    ///
    /// Params are checked against the run's logged params first (a changed value throws
    /// ``TrackingError/parameterChanged(runID:key:old:new:)`` and nothing is sent) and go out in the first
    /// requests, then tags, then metrics. Each request is atomic on the server; a batch that needs several
    /// requests is not atomic as a whole.
    public func logBatch(runID: String, metrics: [Metric], params: [Param], tags: [String: String]) async throws {
        try TrackingValidation.validateBatch(metrics: metrics, params: params, tags: tags)
        var newParams = params
        if !params.isEmpty {
            let logged = MLflowMapping.run(try await activeRun(id: runID)).params
            for param in params {
                if let old = logged[param.key], old != param.value {
                    throw TrackingError.parameterChanged(runID: runID, key: param.key, old: old, new: param.value)
                }
            }
            var seen = Set<String>()
            newParams = params.filter { logged[$0.key] == nil && seen.insert($0.key).inserted }
        }
        let requests = MLflowBatchSplitter.split(
            runID: runID, metrics: metrics.map(MLflowMapping.wireMetric),
            params: newParams.map { WireKeyValue(key: $0.key, value: $0.value) },
            tags: tags.sorted { $0.key < $1.key }.map { WireKeyValue(key: $0.key, value: $0.value) })
        if requests.isEmpty { _ = try await activeRun(id: runID) }
        for request in requests {
            _ = try await mapped {
                try await client.post("runs/log-batch", request, as: Empty.self)
            } onError: { error in
                if error.isNotFound || error.isInactiveRun { return .runNotFound(runID) }
                if error.isInvalidParameter, error.message.contains("Changing param values is not allowed") {
                    // Another writer logged a different value between our check and this request.
                    let key = request.params.first { error.message.contains("'\($0.key)'") }
                    return .parameterChanged(
                        runID: runID, key: key?.key ?? "?", old: "(logged concurrently)", new: key?.value ?? "?")
                }
                return nil
            }
        }
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
            } onError: { $0.isNotFound ? .runNotFound(runID) : nil }
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
            let request = LogInputsRequest(runId: runID, datasets: Array(datasets[start..<min(start + 1000, datasets.count)]))
            _ = try await mapped {
                try await client.post("runs/log-inputs", request, as: Empty.self)
            } onError: { $0.isNotFound || $0.isInactiveRun ? .runNotFound(runID) : nil }
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
