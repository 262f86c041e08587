/// Entries waiting to be written, in logging order, split into batches within the store's limits.
struct LogBuffer: Sendable {
    var metrics: [Metric] = []
    var params: [Param] = []
    var tags: [(key: String, value: String)] = []

    var count: Int { metrics.count + params.count + tags.count }
    var isEmpty: Bool { count == 0 }

    /// Removes and returns everything, as batches of at most 1000 metrics, 100 params and 100 tags.
    mutating func drainBatches() -> [LogBatch] {
        var batches: [LogBatch] = []
        var metricIndex = 0
        var paramIndex = 0
        var tagIndex = 0
        while metricIndex < metrics.count || paramIndex < params.count || tagIndex < tags.count {
            let metricEnd = Swift.min(metrics.count, metricIndex + TrackingValidation.maximumBatchMetrics)
            let paramEnd = Swift.min(params.count, paramIndex + TrackingValidation.maximumBatchParams)
            let tagEnd = Swift.min(tags.count, tagIndex + TrackingValidation.maximumBatchTags)
            var tagBatch: [String: String] = [:]
            for tag in tags[tagIndex..<tagEnd] { tagBatch[tag.key] = tag.value }
            batches.append(
                LogBatch(metrics: Array(metrics[metricIndex..<metricEnd]), params: Array(params[paramIndex..<paramEnd]), tags: tagBatch))
            metricIndex = metricEnd
            paramIndex = paramEnd
            tagIndex = tagEnd
        }
        self = LogBuffer()
        return batches
    }

    /// Puts batches that failed to write back in front of anything logged since.
    mutating func restore(_ batches: [LogBatch]) {
        metrics = batches.flatMap(\.metrics) + metrics
        params = batches.flatMap(\.params) + params
        tags = batches.flatMap { $0.tags.map { (key: $0.key, value: $0.value) } } + tags
    }
}

/// One `logBatch` call's worth of entries.
struct LogBatch: Sendable {
    var metrics: [Metric]
    var params: [Param]
    var tags: [String: String]
}
