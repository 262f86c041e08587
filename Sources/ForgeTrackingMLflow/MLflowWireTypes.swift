import Foundation

// The JSON shapes of MLflow's REST API (`mlflow/protos/service.proto`), in Swift names: the client's
// encoder and decoder convert camelCase to MLflow's snake_case.

/// An int64 that MLflow may send as a JSON number or (protobuf JSON) as a string.
struct WireInt64: Codable, Sendable {
    var value: Int64

    init(_ value: Int64) { self.value = value }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Int64.self) {
            value = number
        } else if let text = try? container.decode(String.self), let number = Int64(text) {
            value = number
        } else {
            value = Int64(try container.decode(Double.self))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}

struct WireKeyValue: Codable, Sendable {
    var key: String
    var value: String?
}

struct WireMetric: Codable, Sendable {
    var key: String
    var value: Double
    var timestamp: WireInt64
    var step: WireInt64?
}

struct WireExperiment: Decodable, Sendable {
    var experimentId: String
    var name: String
    var artifactLocation: String?
    var lifecycleStage: String?
    var creationTime: WireInt64?
    var tags: [WireKeyValue]?
}

struct WireRunInfo: Decodable, Sendable {
    var runId: String?
    var runUuid: String?
    var runName: String?
    var experimentId: String
    var userId: String?
    var status: String?
    var startTime: WireInt64?
    var endTime: WireInt64?
    var artifactUri: String?
    var lifecycleStage: String?

    var id: String { runId ?? runUuid ?? "" }
}

struct WireRunData: Decodable, Sendable {
    var metrics: [WireMetric]?
    var params: [WireKeyValue]?
    var tags: [WireKeyValue]?
}

struct WireDataset: Codable, Sendable {
    var name: String
    var digest: String
    var sourceType: String
    var source: String
    var schema: String?
    var profile: String?
}

struct WireDatasetInput: Codable, Sendable {
    var tags: [WireKeyValue]?
    var dataset: WireDataset
}

struct WireRunInputs: Decodable, Sendable {
    var datasetInputs: [WireDatasetInput]?
}

struct WireRun: Decodable, Sendable {
    var info: WireRunInfo
    var data: WireRunData?
    var inputs: WireRunInputs?
}

// MARK: Requests and responses

struct CreateExperimentRequest: Encodable { var name: String; var tags: [WireKeyValue] }
struct CreateExperimentResponse: Decodable { var experimentId: String }
struct ExperimentResponse: Decodable { var experiment: WireExperiment }
struct SearchExperimentsRequest: Encodable {
    var maxResults: Int
    var pageToken: String?
    var viewType: String
    var orderBy: [String]
}
struct SearchExperimentsResponse: Decodable { var experiments: [WireExperiment]?; var nextPageToken: String? }

struct CreateRunRequest: Encodable {
    var experimentId: String
    var userId: String
    var runName: String
    var startTime: Int64
    var tags: [WireKeyValue]
}
struct RunResponse: Decodable { var run: WireRun }
struct UpdateRunRequest: Encodable { var runId: String; var status: String; var endTime: Int64? }
struct RunIDRequest: Encodable { var runId: String }
struct Empty: Codable {}

struct LogBatchRequest: Encodable {
    var runId: String
    var metrics: [WireMetric]
    var params: [WireKeyValue]
    var tags: [WireKeyValue]
}
struct LogInputsRequest: Encodable { var runId: String; var datasets: [WireDatasetInput] }
struct MetricHistoryResponse: Decodable { var metrics: [WireMetric]?; var nextPageToken: String? }

struct SearchRunsRequest: Encodable {
    var experimentIds: [String]
    var filter: String
    var runViewType: String
    var maxResults: Int
    var orderBy: [String]
    var pageToken: String?
}
struct SearchRunsResponse: Decodable { var runs: [WireRun]?; var nextPageToken: String? }
