import ForgeTracking
import Foundation
import Testing

@testable import ForgeTrackingMLflow

/// Searches on the MLflow server must answer exactly what the in-memory store answers for the same runs.
@Suite("MLflow store search against the in-memory oracle", .enabled(if: MLflowPython.hasMLflow))
struct MLflowSearchTests {
    /// Logs the same eight runs into `store`; returns the experiment id.
    static func populate(_ store: any TrackingStore, experiment name: String) async throws -> String {
        let experiment = try await store.createExperiment(named: name, tags: [:])
        let optimizers = ["adam", "sgd", "rmsprop"]
        let rates = ["0.1", "0.01", "1e-3", "0.005"]
        let accuracies: [Double?] = [0.91, 0.42, 0.77, .nan, 0.95, nil, 0.66, 0.3]
        for index in 0..<8 {
            let start = Date(timeIntervalSince1970: 1_700_000_000 + Double(index * 60))
            let run = try await store.createRun(
                RunDraft(
                    experimentID: experiment.id, name: "r\(index)", user: index % 2 == 0 ? "ana" : "ben", host: "h",
                    source: "test", gitCommit: nil, parentRunID: nil, tags: ["team": index % 3 == 0 ? "a" : "b"],
                    startTime: start))
            var metrics = [Metric(key: "loss", value: 1 / Double(index + 1), step: 1, timestamp: start)]
            if let accuracy = accuracies[index] {
                metrics.append(Metric(key: "accuracy", value: accuracy, step: 1, timestamp: start))
            }
            try await store.logBatch(
                runID: run.id, metrics: metrics,
                params: [
                    Param(key: "optimizer", value: optimizers[index % 3]), Param(key: "lr", value: rates[index % 4]),
                ],
                tags: [:])
            if index % 4 == 1 {
                try await store.updateRun(id: run.id, status: .failed, endTime: start.addingTimeInterval(30))
            }
        }
        return experiment.id
    }

    /// Every run name the search returns, following page tokens; also the tokens seen.
    static func names(
        _ store: any TrackingStore, _ experiment: String, _ filter: String, _ order: [String], pageSize: Int
    )
        async throws -> (names: [String], tokens: [String])
    {
        var names: [String] = []
        var tokens: [String] = []
        var token: String?
        repeat {
            let page = try await store.searchRuns(
                experimentIDs: [experiment], filter: filter, orderBy: try order.map(RunOrdering.init(parsing:)),
                maxResults: pageSize, pageToken: token)
            names += page.runs.map(\.info.name)
            token = page.nextPageToken
            if let token { tokens.append(token) }
        } while token != nil
        return (names, tokens)
    }

    @Test("filters with and/or, orderings and pages match the in-memory store")
    func matchesOracle() async throws {
        let mlflow = MLflowTrackingStore(trackingURI: try await MLflowTestServer.url.value)
        let oracle = InMemoryTrackingStore()
        let name = "search-\(UUID().uuidString.prefix(8).lowercased())"
        let mlflowExperiment = try await Self.populate(mlflow, experiment: name)
        let oracleExperiment = try await Self.populate(oracle, experiment: name)

        let cases: [(filter: String, order: [String], passesThrough: Bool)] = [
            ("", [], true),
            ("metrics.accuracy > 0.5 and params.optimizer = 'adam'", ["metrics.accuracy DESC"], true),
            ("metrics.loss <= 0.5", ["attributes.start_time ASC"], true),
            ("tags.team = 'b' and attributes.status = 'FAILED'", [], true),
            ("attributes.run_name LIKE 'r%' and attributes.user = 'ana'", ["attributes.run_name DESC"], true),
            (
                "(params.optimizer = 'adam' or params.optimizer = 'sgd') and metrics.accuracy >= 0.3",
                ["params.lr ASC"], false
            ),
            ("params.lr < 0.05", ["metrics.accuracy DESC"], false),
            ("tags.team IN ('a') or metrics.accuracy > 0.9", [], false),
            ("metrics.accuracy != 0.42", ["metrics.accuracy ASC"], true),
        ]
        for (filter, order, passesThrough) in cases {
            let expected = try await Self.names(oracle, oracleExperiment, filter, order, pageSize: 1000).names
            #expect(!expected.isEmpty, "case \(filter) should match something")
            let got = try await Self.names(mlflow, mlflowExperiment, filter, order, pageSize: 3)
            #expect(got.names == expected, "filter \"\(filter)\" order \(order)")
            // MLflow's own tokens pass through; client-side searches use offset tokens.
            #expect(
                got.tokens.allSatisfy { $0.hasPrefix("o:") == !passesThrough }, "tokens \(got.tokens) for \(filter)")
        }
        await #expect(throws: TrackingError.invalidPageToken("o:3")) {
            _ = try await mlflow.searchRuns(RunQuery(experimentIDs: [mlflowExperiment], pageToken: "o:3"))
        }
        #expect(try await mlflow.allRuns(experimentIDs: [mlflowExperiment]).count == 8)
    }
}
