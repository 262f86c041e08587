import Foundation
import ForgeVersioning
import Testing

@testable import ForgeTracking

@Suite("In-memory tracking store and the run logger")
struct InMemoryTrackingStoreTests {
    @Test func logsReadBackAndParamsAreImmutable() async throws {
        let store = InMemoryTrackingStore()
        let tracker = Tracker(store: store, mode: .synchronous)
        let run = try await tracker.startRun(experiment: "digits", name: "mlp")
        try await run.logParams(["optimizer": "adam", "lr": "0.001"])
        try await run.logParam("lr", "0.001")  // same value: fine
        await #expect(throws: TrackingError.parameterChanged(runID: run.id, key: "lr", old: "0.001", new: "0.01")) {
            try await run.logParam("lr", "0.01")
        }
        for step in 0..<5 { try await run.logMetric("loss", 1.0 / Double(step + 1), step: step) }
        try await run.logMetric("loss", .nan, step: 5)
        await #expect(throws: TrackingError.self) { try await run.logMetric("loss", .infinity, step: 6) }
        await #expect(throws: TrackingError.self) { try await run.logMetric("bad key!", 1) }
        try await run.finish()

        let stored = try await store.run(id: run.id)
        #expect(stored.params == ["optimizer": "adam", "lr": "0.001"])
        #expect(stored.info.status == .finished)
        #expect(stored.info.endTime != nil)
        #expect(stored.latestMetrics["loss"]?.value.isNaN == true)
        let history = try await store.metricHistory(runID: run.id, key: "loss")
        #expect(history.map(\.step) == [0, 1, 2, 3, 4, 5])
        let summary = try #require(try await store.metricSummaries(runID: run.id)["loss"])
        #expect(summary.minimum == 0.2)
        #expect(summary.maximum == 1.0)
        #expect(summary.latest.isNaN)
        #expect(summary.count == 6)
        await #expect(throws: TrackingError.self) { try await run.logMetric("loss", 1, step: 7) }
    }

    @Test func asynchronousLoggingFlushesOnFinishInOrder() async throws {
        let store = InMemoryTrackingStore()
        let tracker = Tracker(
            store: store, mode: .asynchronous(flushInterval: .milliseconds(20), batchSize: 100, bufferLimit: 1000))
        let run = try await tracker.startRun(experiment: "e", name: "r")
        for step in 0..<2500 { try await run.logMetric("x", Double(step), step: step) }
        try await run.finish()
        let history = try await store.metricHistory(runID: run.id, key: "x")
        #expect(history.count == 2500)
        #expect(history.map(\.value) == (0..<2500).map(Double.init))
    }

    @Test func searchFiltersOrdersAndPages() async throws {
        let store = InMemoryTrackingStore()
        let tracker = Tracker(store: store, mode: .synchronous)
        for index in 0..<25 {
            let run = try await tracker.startRun(experiment: "sweep", name: "trial-\(index)")
            try await run.logParam("optimizer", index.isMultiple(of: 2) ? "adam" : "sgd")
            try await run.logMetric("accuracy", Double(index) / 25, step: 1)
            try await run.finish()
        }
        let experiment = try #require(try await store.experiment(named: "sweep"))
        let page = try await store.searchRuns(
            experimentIDs: [experiment.id], filter: "metrics.accuracy > 0.5 and params.optimizer = 'adam'",
            orderBy: [RunOrdering(.metric("accuracy"), ascending: false)], maxResults: 3)
        #expect(page.runs.map(\.info.name) == ["trial-24", "trial-22", "trial-20"])
        let next = try await store.searchRuns(
            experimentIDs: [experiment.id], filter: "metrics.accuracy > 0.5 and params.optimizer = 'adam'",
            orderBy: [RunOrdering(.metric("accuracy"), ascending: false)], maxResults: 3, pageToken: page.nextPageToken)
        #expect(next.runs.map(\.info.name) == ["trial-18", "trial-16", "trial-14"])
        #expect(next.nextPageToken == nil)
        await #expect(throws: TrackingError.invalidPageToken("zzz")) {
            _ = try await store.searchRuns(experimentIDs: [experiment.id], pageToken: "zzz")
        }
    }

    @Test func nestedRunsAndArtifactsAreContentAddressed() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("forge-artifacts-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let repository = ArtifactRepository(objects: InMemoryObjectStore())
        let store = InMemoryTrackingStore()
        let tracker = Tracker(store: store, artifactRepository: repository, mode: .synchronous)
        let parent = try await tracker.startRun(experiment: "tune", name: "study")
        let child = try await tracker.startRun(experiment: "tune", name: "trial-0", parent: parent)
        #expect(child.info.parentRunID == parent.id)

        try FileManager.default.createDirectory(at: directory.appendingPathComponent("model/sub"), withIntermediateDirectories: true)
        try Data("weights".utf8).write(to: directory.appendingPathComponent("model/a.bin"))
        try Data("weights".utf8).write(to: directory.appendingPathComponent("model/sub/b.bin"))
        let records = try await child.logArtifact(directory.appendingPathComponent("model"), as: "checkpoint")
        #expect(records.map(\.path) == ["checkpoint/a.bin", "checkpoint/sub/b.bin"])
        #expect(Set(records.map(\.digest)).count == 1)  // same bytes, one object
        // SHA-256("weights"), from `printf weights | sha256sum`.
        #expect(records[0].digest == "9a129038d9a00aed0cf6a7ea059ca50a813449061ab87848cf1a13eafdf33b2c")
        #expect(records[0].size == 7)
        let objects = try await repository.objects.allObjects()
        #expect(objects.count == 1)
        let exported = directory.appendingPathComponent("export")
        try await repository.export(try await store.artifacts(runID: child.id), to: exported)
        #expect(try Data(contentsOf: exported.appendingPathComponent("checkpoint/sub/b.bin")) == Data("weights".utf8))
        await #expect(throws: TrackingError.self) { try await child.logArtifact(directory.appendingPathComponent("nope")) }
        await #expect(throws: TrackingError.self) { _ = try await repository.store(Data(), as: "../escape") }
    }

    @Test func validationNamesTheProblem() {
        #expect(throws: TrackingError.self) { try TrackingValidation.validateKey("", kind: "metric") }
        #expect(throws: TrackingError.self) { try TrackingValidation.validateKey(String(repeating: "k", count: 251), kind: "metric") }
        #expect(throws: TrackingError.self) { try TrackingValidation.validateKey("a/../b", kind: "param") }
        #expect(throws: TrackingError.self) { try TrackingValidation.validate(Param(key: "p", value: String(repeating: "v", count: 6001))) }
        #expect(throws: Never.self) { try TrackingValidation.validateKey("val/accuracy top-1:ema", kind: "metric") }
        let error = TrackingError.invalidKey(kind: "metric", key: "a b!", reason: "character \"!\" is not allowed")
        #expect(error.description.contains("a b!"))
    }

    @Test func configurationFlattensToDottedParams() {
        let config: JSONValue = ["optimizer": ["name": "adam", "lr": 0.001], "model": ["hidden": [128, 64]], "epochs": 30]
        #expect(config.flattened() == ["optimizer.name": "adam", "optimizer.lr": "0.001", "model.hidden": "[128,64]", "epochs": "30"])
    }
}

@Suite("Synchronous buffering for training callbacks")
struct RunRecordingTests {
    @Test func recordBuffersUntilFlush() async throws {
        let store = InMemoryTrackingStore()
        let tracker = Tracker(store: store, mode: .synchronous)
        let run = try await tracker.startRun(experiment: "e", name: "r")
        try run.record(metrics: [Metric(key: "loss", value: 0.5, step: 1)])
        try run.record(params: ["lr": "0.1"])
        try run.record(tag: "phase", value: "train")
        #expect(try await store.run(id: run.id).params.isEmpty)  // nothing written before the flush
        #expect(throws: TrackingError.self) { try run.record(params: ["lr": "0.2"]) }
        try await run.flush()
        let stored = try await store.run(id: run.id)
        #expect(stored.params == ["lr": "0.1"])
        #expect(stored.tags["phase"] == "train")
        #expect(stored.latestMetrics["loss"]?.value == 0.5)
        try await run.finish()
        #expect(throws: TrackingError.self) { try run.record(metrics: [Metric(key: "loss", value: 1)]) }
    }
}

@Suite("Run id prefixes")
struct RunIDPrefixTests {
    @Test func uniquePrefixesResolveAndOthersFail() async throws {
        let store = InMemoryTrackingStore()
        let experiment = try await store.createExperiment(named: "e", tags: [:])
        let first = try await store.createRun(RunDraft(experimentID: experiment.id, name: "a"))
        let second = try await store.createRun(RunDraft(experimentID: experiment.id, name: "b"))
        #expect(try await store.resolveRunID(first.id) == first.id)
        #expect(try await store.resolveRunID(String(first.id.prefix(12))) == first.id)
        #expect(try await store.resolveRunID(String(second.id.prefix(12)).uppercased()) == second.id)
        await #expect(throws: TrackingError.self) { _ = try await store.resolveRunID("zz") }
        await #expect(throws: TrackingError.self) { _ = try await store.resolveRunID("") }  // matches every run
        let common = zip(first.id, second.id).prefix { $0 == $1 }.count
        if common > 0 {
            await #expect(throws: TrackingError.self) { _ = try await store.resolveRunID(String(first.id.prefix(common))) }
        }
    }
}
