import ForgeTracking
import ForgeTrackingPostgres
import Foundation
import PostgresNIO
import Testing

/// Every PostgreSQL tracking test, sharing one server started for this suite.
@Suite(
    "PostgreSQL tracking store", .enabled(if: postgresAvailable, "PostgreSQL server programs are not installed"),
    .postgresServer)
struct PostgresTrackingTests {}

extension PostgresTrackingTests {
    @Suite("Runs, params, metrics and records")
    struct Records {
        @Test func experimentsAreUniqueAndNumbered() async throws {
            try await withFreshStore { store in
                let first = try await store.createExperiment(named: "digits", tags: ["team": "vision"])
                let second = try await store.createExperiment(named: "audio", tags: [:])
                #expect(first.id == "1" && second.id == "2")
                await #expect(throws: TrackingError.experimentExists("digits")) {
                    _ = try await store.createExperiment(named: "digits", tags: [:])
                }
                await #expect(throws: TrackingError.self) {
                    _ = try await store.createExperiment(named: "bad!", tags: [:])
                }
                let read = try await store.experiment(id: first.id)
                #expect(read.name == "digits" && read.tags == ["team": "vision"])
                #expect(abs(read.creationTime.timeIntervalSince(first.creationTime)) < 1e-9)
                #expect(try await store.experiment(named: "audio")?.id == "2")
                #expect(try await store.experiment(named: "missing") == nil)
                #expect(try await store.experiments().map(\.name) == ["digits", "audio"])
                await #expect(throws: TrackingError.experimentNotFound("42")) {
                    _ = try await store.experiment(id: "42")
                }
                await #expect(throws: TrackingError.experimentNotFound("x")) { _ = try await store.experiment(id: "x") }
            }
        }

        @Test func runsRoundTripEveryField() async throws {
            try await withFreshStore { store in
                let experiment = try await store.createExperiment(named: "e", tags: [:])
                let start = Date(timeIntervalSinceReferenceDate: 800_000_000.123_456_7)
                let draft = RunDraft(
                    experimentID: experiment.id, name: "parent", user: "ada", host: "gpu-1", source: "train",
                    gitCommit: "abc123-dirty", parentRunID: nil, tags: ["stage": "dev"], startTime: start)
                let parent = try await store.createRun(draft)
                #expect(parent.id.count == 32 && parent.status == .running)
                var childDraft = draft
                childDraft.parentRunID = parent.id
                childDraft.name = "child"
                let child = try await store.createRun(childDraft)
                let end = start.addingTimeInterval(12.5)
                try await store.updateRun(id: parent.id, status: .finished, endTime: end)

                let read = try await store.run(id: parent.id)
                #expect(read.info.startTime == start, "start time survives bit for bit")
                #expect(read.info.endTime == end && read.info.status == .finished)
                #expect(read.info.user == "ada" && read.info.host == "gpu-1" && read.info.source == "train")
                #expect(read.info.gitCommit == "abc123-dirty" && read.info.parentRunID == nil)
                #expect(read.tags == ["stage": "dev"])
                #expect(try await store.run(id: child.id).info.parentRunID == parent.id)

                var orphan = draft
                orphan.parentRunID = "0123456789abcdef0123456789abcdef"
                await #expect(throws: TrackingError.runNotFound("0123456789abcdef0123456789abcdef")) {
                    _ = try await store.createRun(orphan)
                }
                var lost = draft
                lost.experimentID = "99"
                await #expect(throws: TrackingError.experimentNotFound("99")) { _ = try await store.createRun(lost) }
                await #expect(throws: TrackingError.runNotFound("nope")) {
                    try await store.updateRun(id: "nope", status: .failed, endTime: nil)
                }
                try await store.deleteRun(id: child.id)
                await #expect(throws: TrackingError.runNotFound(child.id)) { _ = try await store.run(id: child.id) }
                await #expect(throws: TrackingError.runNotFound(child.id)) { try await store.deleteRun(id: child.id) }
            }
        }

        @Test func paramsAreImmutableAndAChangedParamRollsBackTheWholeBatch() async throws {
            try await withFreshStore { store in
                let experiment = try await store.createExperiment(named: "e", tags: [:])
                let run = try await store.createRun(RunDraft(experimentID: experiment.id, name: "r"))
                try await store.logBatch(
                    runID: run.id, metrics: [], params: [Param(key: "lr", value: "0.001")], tags: [:])
                try await store.logParam(runID: run.id, key: "lr", value: "0.001")  // same value: no-op
                await #expect(
                    throws: TrackingError.parameterChanged(runID: run.id, key: "lr", old: "0.001", new: "0.01")
                ) {
                    try await store.logBatch(
                        runID: run.id, metrics: [Metric(key: "loss", value: 1, step: 0)],
                        params: [Param(key: "optimizer", value: "adam"), Param(key: "lr", value: "0.01")],
                        tags: ["note": "should not stay"])
                }
                let read = try await store.run(id: run.id)
                #expect(read.params == ["lr": "0.001"], "nothing of the failed batch was stored")
                #expect(read.tags.isEmpty && read.latestMetrics.isEmpty)
                #expect(try await store.metricHistory(runID: run.id, key: "loss").isEmpty)
                await #expect(throws: TrackingError.runNotFound("nope")) {
                    try await store.logParam(runID: "nope", key: "a", value: "b")
                }
                await #expect(throws: TrackingError.self) {
                    try await store.logMetric(runID: run.id, key: "loss", value: .infinity)
                }
            }
        }

        @Test func metricsKeepNaNHistoryOrderAndTheLatestValue() async throws {
            try await withFreshStore { store in
                let experiment = try await store.createExperiment(named: "e", tags: [:])
                let run = try await store.createRun(RunDraft(experimentID: experiment.id, name: "r"))
                let base = Date(timeIntervalSinceReferenceDate: 790_000_000.25)
                // Logged out of order across two batches; step 3 twice (later timestamp wins as latest).
                try await store.logBatch(
                    runID: run.id,
                    metrics: [
                        Metric(key: "loss", value: 0.5, step: 3, timestamp: base),
                        Metric(key: "loss", value: 2.0, step: 0, timestamp: base),
                        Metric(key: "loss", value: .nan, step: 4, timestamp: base),
                        Metric(key: "acc", value: 0.9, step: 1, timestamp: base),
                    ], params: [], tags: [:])
                try await store.logBatch(
                    runID: run.id,
                    metrics: [
                        Metric(key: "loss", value: 1.0, step: 1, timestamp: base),
                        Metric(key: "acc", value: 0.95, step: 1, timestamp: base.addingTimeInterval(1)),
                        Metric(key: "acc", value: 0.1, step: 0, timestamp: base.addingTimeInterval(2)),
                    ], params: [], tags: [:])
                let history = try await store.metricHistory(runID: run.id, key: "loss")
                #expect(history.map(\.step) == [0, 1, 3, 4])
                #expect(history.prefix(3).map(\.value) == [2.0, 1.0, 0.5])
                #expect(history[3].value.isNaN, "NaN is stored as NaN")
                #expect(history[0].timestamp == base, "timestamps survive bit for bit")
                let read = try await store.run(id: run.id)
                #expect(read.latestMetrics["loss"]?.value.isNaN == true && read.latestMetrics["loss"]?.step == 4)
                #expect(read.latestMetrics["acc"]?.value == 0.95, "a lower step logged later does not replace it")
                let summary = try #require(try await store.metricSummaries(runID: run.id)["loss"])
                #expect(summary.minimum == 0.5 && summary.maximum == 2.0 && summary.count == 4)
                await #expect(throws: TrackingError.runNotFound("nope")) {
                    _ = try await store.metricHistory(runID: "nope", key: "loss")
                }
            }
        }

        @Test func aThousandMetricBatchIsStoredInOrder() async throws {
            try await withFreshStore { store in
                let experiment = try await store.createExperiment(named: "e", tags: [:])
                let run = try await store.createRun(RunDraft(experimentID: experiment.id, name: "r"))
                let metrics = (0..<1000).map { Metric(key: "x", value: Double($0) * 0.5, step: $0) }
                try await store.logBatch(runID: run.id, metrics: metrics, params: [], tags: [:])
                let history = try await store.metricHistory(runID: run.id, key: "x")
                #expect(history.map(\.value) == metrics.map(\.value))
                #expect(try await store.run(id: run.id).latestMetrics["x"]?.value == 499.5)
            }
        }

        @Test func inputsMetadataAndArtifactsRoundTrip() async throws {
            try await withFreshStore { store in
                let experiment = try await store.createExperiment(named: "e", tags: [:])
                let run = try await store.createRun(RunDraft(experimentID: experiment.id, name: "r"))
                let feature = FeatureDistribution(name: "pixel", values: [0, 0.5, 1, 1], bins: 2)
                let train = DatasetInput(
                    name: "digits", digest: "sha256:aa", source: "store", rowCount: 4, features: [feature])
                let test = DatasetInput(name: "digits", digest: "sha256:aa", source: "store", context: "test")
                try await store.logInputs(runID: run.id, inputs: [train, test])
                try await store.logInputs(runID: run.id, inputs: [train])  // kept once
                #expect(try await store.run(id: run.id).inputs == [train, test])

                #expect(try await store.trainingMetadata(runID: run.id) == nil)
                let metadata = TrainingMetadata(
                    trainedBy: "ada", startTime: Date(timeIntervalSinceReferenceDate: 1000),
                    configuration: .object(["lr": .number(0.001), "note": .string("NaN")]), trainingData: train,
                    modelMetrics: ["accuracy": 0.97, "loss": .nan], parametersLocation: "objects/ab")
                try await store.setTrainingMetadata(runID: run.id, metadata)
                let readMetadata = try #require(try await store.trainingMetadata(runID: run.id))
                #expect(readMetadata.configuration == metadata.configuration, "the string \"NaN\" stays a string")
                #expect(readMetadata.modelMetrics["loss"]?.isNaN == true)
                #expect(readMetadata.modelMetrics["accuracy"] == 0.97 && readMetadata.trainingData == train)

                try await store.recordArtifacts(
                    runID: run.id,
                    [
                        ArtifactRecord(path: "model/weights.safetensors", digest: "d1", size: 10),
                        ArtifactRecord(path: "config.json", digest: "d2", size: 3),
                    ])
                try await store.recordArtifacts(
                    runID: run.id, [ArtifactRecord(path: "config.json", digest: "d3", size: 4)])
                #expect(
                    try await store.artifacts(runID: run.id) == [
                        ArtifactRecord(path: "config.json", digest: "d3", size: 4),
                        ArtifactRecord(path: "model/weights.safetensors", digest: "d1", size: 10),
                    ])
                await #expect(throws: TrackingError.runNotFound("nope")) {
                    _ = try await store.artifacts(runID: "nope")
                }
                await #expect(throws: TrackingError.runNotFound("nope")) {
                    try await store.setTrainingMetadata(runID: "nope", metadata)
                }
            }
        }

        @Test func theTrackerLogsThroughTheStore() async throws {
            try await withFreshStore { store in
                let tracker = Tracker(
                    store: store,
                    mode: .asynchronous(flushInterval: .milliseconds(20), batchSize: 200, bufferLimit: 2000))
                let run = try await tracker.startRun(experiment: "digits", name: "mlp")
                try await run.logParams(["optimizer": "adam"])
                for step in 0..<1500 { try await run.logMetric("loss", 1 / Double(step + 1), step: step) }
                try await run.finish()
                let history = try await store.metricHistory(runID: run.id, key: "loss")
                #expect(history.count == 1500 && history.last?.step == 1499)
                #expect(try await store.run(id: run.id).info.status == .finished)
            }
        }
    }
}
