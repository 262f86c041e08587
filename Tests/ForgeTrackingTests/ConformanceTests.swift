import ForgeTracking
import ForgeTrackingConformance
import Foundation
import Testing

/// Every built-in embedded store through the shared conformance suite.
@Suite("TrackingStore conformance")
struct ConformanceTests {
    @Test("in-memory store", arguments: TrackingStoreConformance.cases)
    func inMemory(_ conformanceCase: ConformanceCase) async throws {
        try await conformanceCase.run(InMemoryTrackingStore())
    }

    @Test("SQLite store", arguments: TrackingStoreConformance.cases)
    func sqlite(_ conformanceCase: ConformanceCase) async throws {
        let directory = try TrackingTemporaryDirectory()
        try await conformanceCase.run(try SQLiteTrackingStore(directory: directory.url))
    }

    @Test("one SQLite file serves every case, run concurrently")
    func sharedSQLiteFile() async throws {
        let directory = try TrackingTemporaryDirectory()
        let store = try SQLiteTrackingStore(directory: directory.url)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for conformanceCase in TrackingStoreConformance.cases {
                group.addTask { try await conformanceCase.run(store) }
            }
            try await group.waitForAll()
        }
    }

    @Test("a store that breaks the contract fails the suite with a named case")
    func brokenStoreFails() async throws {
        let failures = await TrackingStoreConformance.runAll { ForgetfulParamsStore() }
        let names = failures.map(\.name)
        #expect(names.contains("params are immutable and a conflicting batch stores nothing"))
        let failure = try #require(
            failures.first { $0.name.hasPrefix("params are immutable") }?.error as? ConformanceFailure)
        #expect(failure.description.contains("changing param lr"))
    }
}

/// A user-style custom store that wraps the in-memory one but lets params change (a contract violation).
struct ForgetfulParamsStore: TrackingStore {
    let base = InMemoryTrackingStore()

    func createExperiment(named name: String, tags: [String: String]) async throws -> Experiment {
        try await base.createExperiment(named: name, tags: tags)
    }
    func experiment(id: String) async throws -> Experiment { try await base.experiment(id: id) }
    func experiment(named name: String) async throws -> Experiment? { await base.experiment(named: name) }
    func experiments() async throws -> [Experiment] { await base.experiments() }
    func createRun(_ draft: RunDraft) async throws -> RunInfo { try await base.createRun(draft) }
    func updateRun(id: String, status: RunStatus, endTime: Date?) async throws {
        try await base.updateRun(id: id, status: status, endTime: endTime)
    }
    func run(id: String) async throws -> Run { try await base.run(id: id) }
    func deleteRun(id: String) async throws { try await base.deleteRun(id: id) }
    func logBatch(runID: String, metrics: [Metric], params: [Param], tags: [String: String]) async throws {
        let existing = try await base.run(id: runID).params
        let fresh = params.filter { existing[$0.key] == nil }  // silently ignores changed values
        try await base.logBatch(runID: runID, metrics: metrics, params: fresh, tags: tags)
    }
    func metricHistory(runID: String, key: String) async throws -> [Metric] {
        try await base.metricHistory(runID: runID, key: key)
    }
    func logInputs(runID: String, inputs: [DatasetInput]) async throws {
        try await base.logInputs(runID: runID, inputs: inputs)
    }
    func setTrainingMetadata(runID: String, _ metadata: TrainingMetadata) async throws {
        try await base.setTrainingMetadata(runID: runID, metadata)
    }
    func trainingMetadata(runID: String) async throws -> TrainingMetadata? {
        try await base.trainingMetadata(runID: runID)
    }
    func recordArtifacts(runID: String, _ artifacts: [ArtifactRecord]) async throws {
        try await base.recordArtifacts(runID: runID, artifacts)
    }
    func artifacts(runID: String) async throws -> [ArtifactRecord] { try await base.artifacts(runID: runID) }
    func searchRuns(_ query: RunQuery) async throws -> RunPage { try await base.searchRuns(query) }
}

/// A temporary directory removed when the value is deinitialized.
final class TrackingTemporaryDirectory: Sendable {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("forge-tracking-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }
}
