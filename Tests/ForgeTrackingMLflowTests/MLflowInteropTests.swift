import ForgeTracking
import Foundation
import Testing

@testable import ForgeTrackingMLflow

/// Logs through Forge into a real `mlflow server`, then reads back with MLflow's own Python client.
@Suite("MLflow store against a real mlflow server", .enabled(if: MLflowPython.hasMLflow))
struct MLflowInteropTests {
    static func store() async throws -> MLflowTrackingStore {
        MLflowTrackingStore(trackingURI: try await MLflowTestServer.url.value)
    }

    static func uniqueName(_ prefix: String) -> String { "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())" }

    /// A number Python printed as `repr` text (Foundation's JSONSerialization parses JSON numbers as decimals
    /// and can miss the exact double by an ulp).
    static func double(_ value: Any?) -> Double? { (value as? String).flatMap(Double.init) }

    /// A time with whole milliseconds (MLflow keeps milliseconds).
    static func time(_ seconds: Double) -> Date { Date(timeIntervalSince1970: (seconds * 1000).rounded() / 1000) }

    @Test("a run logged through Tracker reads back identically in MlflowClient and in Forge")
    func roundTrip() async throws {
        let store = try await Self.store()
        let tracker = Tracker(store: store, mode: .synchronous)
        let experiment = try await store.createExperiment(named: Self.uniqueName("roundtrip"), tags: ["team": "vision"])
        let parent = try await tracker.startRun(RunDraft(experimentID: experiment.id, name: "sweep"))
        let start = Self.time(1_700_000_000.123)
        let run = try await tracker.startRun(
            RunDraft(
                experimentID: experiment.id, name: "trial-1", user: "ana", host: "gpu-7", source: "forge train",
                gitCommit: "0123456789abcdef0123456789abcdef01234567", parentRunID: parent.id, tags: ["stage": "dev"],
                startTime: start))
        try await run.logParams(["lr": "0.001", "optimizer": "adam"])
        try await run.setTag("note", "first try")
        var losses: [Metric] = []
        for step in 0..<30 {
            let value = step == 5 ? Double.nan : 1 / Double(step + 1)
            losses.append(
                Metric(key: "loss", value: value, step: step, timestamp: start.addingTimeInterval(Double(step) + 0.25)))
        }
        try await run.log(metrics: losses)
        try await run.logMetric("accuracy", 0.93, step: 29, timestamp: start.addingTimeInterval(40))
        try await run.finish(status: .finished)

        let python = """
            import json, math, sys
            from mlflow import MlflowClient
            c = MlflowClient()
            r = c.get_run(sys.argv[1])
            h = c.get_metric_history(sys.argv[1], "loss")
            nan = lambda v: None if math.isnan(v) else repr(v)  # text: JSONSerialization reads numbers inexactly
            found = c.search_runs([r.info.experiment_id], "params.optimizer = 'adam' and metrics.accuracy > 0.5")
            print(json.dumps({"name": r.info.run_name, "user": r.info.user_id, "status": r.info.status,
                "start": r.info.start_time, "end": r.info.end_time, "params": r.data.params, "tags": r.data.tags,
                "metrics": {k: nan(v) for k, v in r.data.metrics.items()},
                "history": [[m.step, nan(m.value), m.timestamp] for m in h],
                "search": [x.info.run_id for x in found]}))
            """
        let read = try MLflowPython.json(python, server: try await MLflowTestServer.url.value, arguments: [run.id])
        #expect(read["name"] as? String == "trial-1")
        #expect(read["user"] as? String == "ana")
        #expect(read["status"] as? String == "FINISHED")
        #expect(read["start"] as? Int == 1_700_000_000_123)
        #expect(read["params"] as? [String: String] == ["lr": "0.001", "optimizer": "adam"])
        let tags = try #require(read["tags"] as? [String: String])
        #expect(tags["stage"] == "dev" && tags["note"] == "first try")
        #expect(tags["mlflow.user"] == "ana" && tags["mlflow.source.name"] == "forge train")
        #expect(tags["mlflow.source.git.commit"] == "0123456789abcdef0123456789abcdef01234567")
        #expect(tags["mlflow.parentRunId"] == parent.id)
        #expect(tags["mlflow.runName"] == "trial-1")
        #expect(Self.double((read["metrics"] as? [String: Any])?["accuracy"]) == 0.93)
        let history = try #require(read["history"] as? [[Any]])
        #expect(history.count == 30)
        for (entry, metric) in zip(history, losses) {
            #expect(entry[0] as? Int == metric.step)
            if metric.value.isNaN {
                #expect(entry[1] is NSNull, "NaN reads back as NaN")
            } else {
                #expect(Self.double(entry[1]) == metric.value)
            }
            #expect(entry[2] as? Int == Int(MLflowMapping.milliseconds(metric.timestamp)))
        }
        #expect(read["search"] as? [String] == [run.id])

        // And Forge reads back what it wrote, with the reserved tags mapped to fields.
        let back = try await store.run(id: run.id)
        #expect(back.info.name == "trial-1" && back.info.user == "ana" && back.info.host == "gpu-7")
        #expect(back.info.source == "forge train" && back.info.parentRunID == parent.id)
        #expect(back.info.gitCommit == "0123456789abcdef0123456789abcdef01234567")
        #expect(back.info.status == .finished && back.info.startTime == start && back.info.endTime != nil)
        #expect(back.tags == ["stage": "dev", "note": "first try"])
        #expect(back.params == ["lr": "0.001", "optimizer": "adam"])
        #expect(back.latestMetrics["loss"]?.step == 29)
        #expect(try await store.metricHistory(runID: run.id, key: "loss") == losses)
        let summary = try #require(try await store.metricSummaries(runID: run.id)["loss"])
        #expect(summary.minimum == 1.0 / 30 && summary.maximum == 1 && summary.count == 30)
        #expect(try await store.experiment(id: experiment.id) == experiment)
        #expect(try await store.experiment(named: experiment.name) == experiment)
        #expect(try await store.experiments().contains(experiment))
    }

    @Test("a batch over MLflow's limits is split and arrives whole")
    func largeBatch() async throws {
        let store = try await Self.store()
        let experiment = try await store.createExperiment(named: Self.uniqueName("batch"), tags: [:])
        let run = try await store.createRun(RunDraft(experimentID: experiment.id, name: "big"))
        let start = Self.time(1_700_000_100)
        let metrics = (0..<2500).map { Metric(key: "loss", value: Double($0) / 7, step: $0, timestamp: start) }
        let params = (0..<150).map { Param(key: "p\($0)", value: String(repeating: "v", count: $0 * 20)) }
        let tags = Dictionary(uniqueKeysWithValues: (0..<120).map { ("t\($0)", "tag \($0)") })
        try await store.logBatch(runID: run.id, metrics: metrics, params: params, tags: tags)
        let read = try MLflowPython.json(
            """
            import json, sys
            from mlflow import MlflowClient
            c = MlflowClient()
            r = c.get_run(sys.argv[1])
            h = c.get_metric_history(sys.argv[1], "loss")
            print(json.dumps({"params": len(r.data.params), "p149": r.data.params["p149"], "tags": len([t for t in r.data.tags if t.startswith("t")]),
                "history": len(h), "last": repr(max(h, key=lambda m: m.step).value)}))
            """, server: try await MLflowTestServer.url.value, arguments: [run.id])
        #expect(read["params"] as? Int == 150)
        #expect((read["p149"] as? String)?.count == 2980)
        #expect(read["tags"] as? Int == 120)
        #expect(read["history"] as? Int == 2500)
        #expect(Self.double(read["last"]) == 2499.0 / 7)
        #expect(try await store.metricHistory(runID: run.id, key: "loss") == metrics)
    }

    @Test("MLflow's errors become TrackingErrors; a changed param stores nothing of its batch")
    func errors() async throws {
        let store = try await Self.store()
        let name = Self.uniqueName("errors")
        let experiment = try await store.createExperiment(named: name, tags: [:])
        await #expect(throws: TrackingError.experimentExists(name)) {
            _ = try await store.createExperiment(named: name, tags: [:])
        }
        await #expect(throws: TrackingError.experimentNotFound("987654")) {
            _ = try await store.experiment(id: "987654")
        }
        #expect(try await store.experiment(named: Self.uniqueName("absent")) == nil)
        let missing = String(repeating: "0", count: 32)
        await #expect(throws: TrackingError.runNotFound(missing)) { _ = try await store.run(id: missing) }
        await #expect(throws: TrackingError.runNotFound(missing)) {
            _ = try await store.createRun(RunDraft(experimentID: experiment.id, name: "orphan", parentRunID: missing))
        }
        await #expect(throws: TrackingError.experimentNotFound("987654")) {
            _ = try await store.createRun(RunDraft(experimentID: "987654", name: "lost"))
        }

        let run = try await store.createRun(RunDraft(experimentID: experiment.id, name: "params"))
        try await store.logParam(runID: run.id, key: "lr", value: "0.1")
        try await store.logParam(runID: run.id, key: "lr", value: "0.1")  // same value: a no-op
        await #expect(throws: TrackingError.parameterChanged(runID: run.id, key: "lr", old: "0.1", new: "0.2")) {
            try await store.logBatch(
                runID: run.id, metrics: [Metric(key: "loss", value: 1)], params: [Param(key: "lr", value: "0.2")],
                tags: ["t": "x"])
        }
        let after = try await store.run(id: run.id)
        #expect(after.params == ["lr": "0.1"] && after.latestMetrics.isEmpty && after.tags.isEmpty)
        await #expect(throws: TrackingError.self) {
            try await store.logMetric(runID: run.id, key: "bad key!", value: 1)
        }
        await #expect(throws: TrackingError.self) {
            try await store.logMetric(runID: run.id, key: "loss", value: .infinity)
        }

        // Over 100 params take several requests: checked up front, so nothing of the batch is stored.
        let many = (0..<150).map { Param(key: "q\($0)", value: "1") } + [Param(key: "lr", value: "0.3")]
        await #expect(throws: TrackingError.parameterChanged(runID: run.id, key: "lr", old: "0.1", new: "0.3")) {
            try await store.logBatch(runID: run.id, metrics: [], params: many, tags: [:])
        }
        #expect(try await store.run(id: run.id).params == ["lr": "0.1"])

        try await store.deleteRun(id: run.id)
        await #expect(throws: TrackingError.runNotFound(run.id)) { _ = try await store.run(id: run.id) }
        await #expect(throws: TrackingError.runNotFound(run.id)) {
            try await store.logMetric(runID: run.id, key: "loss", value: 1)
        }
        await #expect(throws: TrackingError.runNotFound(run.id)) { try await store.deleteRun(id: run.id) }
        await #expect(throws: TrackingError.runNotFound(run.id)) {
            try await store.updateRun(id: run.id, status: .finished, endTime: Date())
        }
        #expect(try await store.searchRuns(experimentIDs: [experiment.id]).runs.isEmpty)
    }

    @Test("training metadata, artifact records and artifact bytes round-trip; MLflow reads them as artifacts")
    func documents() async throws {
        let url = try await MLflowTestServer.url.value
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "forge-artifacts-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let repository = try ArtifactRepository(directory: directory)
        let store = MLflowTrackingStore(trackingURI: url, configuration: .init(artifactContent: repository))
        let experiment = try await store.createExperiment(named: Self.uniqueName("documents"), tags: [:])
        let run = try await store.createRun(RunDraft(experimentID: experiment.id, name: "model"))
        #expect(try await store.trainingMetadata(runID: run.id) == nil)
        #expect(try await store.artifacts(runID: run.id).isEmpty)

        let training = DatasetInput(
            name: "digits", digest: String(repeating: "c3", count: 32), source: "versions/digits", context: "training",
            rowCount: 1437, features: [FeatureDistribution(name: "pixel0", values: [0, 1, 2, 3, 16], bins: 4)])
        let metadata = TrainingMetadata(
            trainedBy: "ana", startTime: Date(timeIntervalSince1970: 1_700_000_000.123456),
            endTime: Date(timeIntervalSince1970: 1_700_000_600.5),
            configuration: ["optimizer": ["name": "adam", "lr": 0.001], "epochs": 30], trainingData: training,
            modelMetrics: ["test/accuracy": 0.978],
            charts: [
                .confusionMatrix(
                    ConfusionMatrixData(title: "test", labels: ["0", "1"], counts: [[50, 2], [1, 47]])),
                .curve(CurveData(kind: .roc, label: "class 1", x: [0, 0.1, 1], y: [0, 0.9, 1], area: 0.95)),
            ],
            parametersLocation: "model/weights.bin", summaryStatistics: ["parameters": 12_345])
        try await store.setTrainingMetadata(runID: run.id, metadata)
        #expect(try await store.trainingMetadata(runID: run.id) == metadata)

        let weights = Data((0..<4096).map { UInt8($0 % 251) })
        let first = try await repository.store(weights, as: "model/weights.bin")
        let card = try await repository.store(Data("# model card\n".utf8), as: "model/README.md")
        try await store.recordArtifacts(runID: run.id, [first])
        try await store.recordArtifacts(runID: run.id, [card])
        #expect(try await store.artifacts(runID: run.id) == [card, first])
        #expect(try await store.run(id: run.id).tags.isEmpty)  // the flags are reserved tags

        try await store.logInputs(runID: run.id, inputs: [training])
        #expect(try await store.run(id: run.id).inputs == [training])

        let read = try MLflowPython.json(
            """
            import hashlib, json, sys, mlflow
            from mlflow import MlflowClient
            run_id = sys.argv[1]
            meta = mlflow.artifacts.load_dict(f"runs:/{run_id}/forge/training_metadata.json")
            path = mlflow.artifacts.download_artifacts(run_id=run_id, artifact_path="model/weights.bin")
            data = open(path, "rb").read()
            r = MlflowClient().get_run(run_id)
            inputs = [{"name": i.dataset.name, "digest": i.dataset.digest, "tags": {t.key: t.value for t in i.tags},
                       "profile": json.loads(i.dataset.profile)} for i in r.inputs.dataset_inputs]
            print(json.dumps({"trainedBy": meta["trainedBy"], "lr": repr(meta["configuration"]["optimizer"]["lr"]),
                "sha256": hashlib.sha256(data).hexdigest(), "inputs": inputs}))
            """, server: url, arguments: [run.id])
        #expect(read["trainedBy"] as? String == "ana")
        #expect(Self.double(read["lr"]) == 0.001)
        #expect(read["sha256"] as? String == first.digest)
        let inputs = try #require(read["inputs"] as? [[String: Any]])
        #expect(inputs.count == 1)
        #expect(inputs.first?["name"] as? String == "digits")
        #expect(inputs.first?["digest"] as? String == String(training.digest.prefix(36)))
        #expect((inputs.first?["tags"] as? [String: String])?["mlflow.data.context"] == "training")
        #expect((inputs.first?["profile"] as? [String: Any])?["num_rows"] as? Int == 1437)
    }
}
