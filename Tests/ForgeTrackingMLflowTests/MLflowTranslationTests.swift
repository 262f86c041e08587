import ForgeTracking
import Foundation
import Testing

@testable import ForgeTrackingMLflow

@Suite("MLflow store: filters, batches, retries (no server)")
struct MLflowTranslationTests {
    @Test("AND-only filters translate whole; MLflow's page tokens pass through")
    func exactTranslation() throws {
        let filter = try RunFilter(
            parsing: "metrics.accuracy > 0.9 and params.optimizer = 'adam' and tags.team LIKE 'vis%' "
                + "and attributes.status != 'FAILED' and attributes.start_time >= 1700000000000 "
                + "and attributes.run_id IN ('a', 'b') and attributes.user = 'ana'")
        let plan = MLflowSearchTranslation.plan(
            filter: filter,
            orderBy: [RunOrdering(.metric("val/loss")), RunOrdering(.attribute(.startTime), ascending: false)])
        #expect(
            plan.serverFilter
                == "metrics.`accuracy` > 0.9 and params.`optimizer` = 'adam' and tags.`team` LIKE 'vis%' "
                + "and attributes.status != 'FAILED' and attributes.start_time >= 1700000000000 "
                + "and attributes.run_id IN ('a', 'b') and attributes.user_id = 'ana'")
        #expect(plan.filterIsExact)
        #expect(plan.serverOrder == ["metrics.`val/loss` ASC", "attributes.start_time DESC"])
        #expect(plan.passesThrough)
    }

    @Test("or, numeric param comparisons and param ordering are left to the client")
    func clientSideParts() throws {
        let filter = try RunFilter(
            parsing: "metrics.accuracy >= 0.5 and (params.optimizer = 'adam' or params.optimizer = 'sgd') "
                + "and params.lr < 0.01 and tags.team IN ('a')")
        let plan = MLflowSearchTranslation.plan(filter: filter, orderBy: [RunOrdering(.param("lr"))])
        #expect(plan.serverFilter == "metrics.`accuracy` >= 0.5")
        #expect(!plan.filterIsExact)
        #expect(plan.serverOrder == nil)
        #expect(!plan.passesThrough)
        let quote = MLflowSearchTranslation.plan(
            filter: try RunFilter(parsing: "params.name = 'o''brien'"), orderBy: [])
        #expect(quote.serverFilter.isEmpty && !quote.filterIsExact)
        let parent = MLflowSearchTranslation.plan(
            filter: try RunFilter(parsing: "attributes.parent_run_id = 'abc'"), orderBy: [])
        #expect(parent.serverFilter == "tags.`mlflow.parentRunId` = 'abc'")
    }

    @Test("batches split within MLflow's log-batch limits, params first")
    func batchSplitting() {
        let metrics = (0..<2500).map {
            WireMetric(key: "m\($0 % 7)", value: Double($0), timestamp: WireInt64(1), step: WireInt64(Int64($0)))
        }
        let params = (0..<150).map { WireKeyValue(key: "p\($0)", value: "v") }
        let tags = (0..<120).map { WireKeyValue(key: "t\($0)", value: "v") }
        let requests = MLflowBatchSplitter.split(runID: "r", metrics: metrics, params: params, tags: tags)
        for request in requests {
            #expect(request.metrics.count <= 1000 && request.params.count <= 100 && request.tags.count <= 100)
            #expect(request.metrics.count + request.params.count + request.tags.count <= 1000)
        }
        #expect(requests.flatMap(\.params).map(\.key) == params.map(\.key))
        #expect(requests.flatMap(\.tags).map(\.key) == tags.map(\.key))
        #expect(requests.flatMap(\.metrics).map(\.step?.value) == metrics.map(\.step?.value))
        #expect(requests.first?.params.count == 100)
        #expect(requests.count == 5)  // 100 p | 50 p + 100 t | 20 t + 980 m | 1000 m | 520 m
        // Large values also split by size, to stay under MLflow's 1 MB request limit.
        let bigParams = (0..<100).map { WireKeyValue(key: "p\($0)", value: String(repeating: "x", count: 6000)) }
        let bigTags = (0..<100).map { WireKeyValue(key: "t\($0)", value: String(repeating: "x", count: 8000)) }
        let sized = MLflowBatchSplitter.split(runID: "r", metrics: [], params: bigParams, tags: bigTags)
        #expect(sized.count == 2)
        #expect(sized.allSatisfy { ($0.params.count * 6000 + $0.tags.count * 8000) < 1_000_000 })
        #expect(MLflowBatchSplitter.split(runID: "r", metrics: [], params: [], tags: []).isEmpty)
    }

    @Test("retry delays grow exponentially with jitter, capped")
    func retryDelays() {
        let policy = MLflowRetryPolicy(
            maximumAttempts: 6, initialDelay: .milliseconds(100), maximumDelay: .seconds(1), multiplier: 2)
        #expect(policy.delay(beforeRetry: 1, unit: 0) == .milliseconds(50))
        #expect(policy.delay(beforeRetry: 1, unit: 1) == .milliseconds(100))
        #expect(policy.delay(beforeRetry: 3, unit: 1) == .milliseconds(400))
        #expect(policy.delay(beforeRetry: 10, unit: 1) == .seconds(1))
        #expect(policy.delay(beforeRetry: 10, unit: 0) == .milliseconds(500))
        #expect(MLflowRetryPolicy.isRetryable(status: 429) && MLflowRetryPolicy.isRetryable(status: 503))
        #expect(!MLflowRetryPolicy.isRetryable(status: 400) && !MLflowRetryPolicy.isRetryable(status: 501))
    }

    @Test("connection failures are retried a bounded number of times, then reported")
    func connectionRefused() async throws {
        let port = try MLflowTestServer.freePort()  // nothing listens there
        let store = MLflowTrackingStore(
            trackingURI: URL(string: "http://127.0.0.1:\(port)")!,
            configuration: .init(retry: MLflowRetryPolicy(maximumAttempts: 3, initialDelay: .milliseconds(20))))
        do {
            _ = try await store.experiment(id: "1")
            Issue.record("expected a failure")
        } catch let TrackingError.storeFailure(_, reason) {
            #expect(reason.contains("after 3 attempt(s)"), "\(reason)")
        }
    }

    @Test("429 and 503 answers are retried until the server recovers", .enabled(if: MLflowPython.python != nil))
    func retriesServerErrors() async throws {
        // A stand-in server: 429, then 503, then MLflow's answer to experiments/get.
        let script = """
            import http.server, json, sys
            count = [0]
            class Handler(http.server.BaseHTTPRequestHandler):
                def do_GET(self):
                    count[0] += 1
                    if count[0] == 1:
                        self.send_response(429); self.send_header("Retry-After", "0"); self.end_headers(); return
                    if count[0] == 2:
                        self.send_response(503); self.end_headers(); self.wfile.write(b"busy"); return
                    body = json.dumps({"experiment": {"experiment_id": "7", "name": "flaky", "creation_time": 1700000000000,
                        "lifecycle_stage": "active", "tags": [{"key": "attempts", "value": str(count[0])}]}}).encode()
                    self.send_response(200); self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
                def log_message(self, *args): pass
            server = http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Handler)
            open(sys.argv[2], "w").close()  # listening: the test may start sending
            server.handle_request(); server.handle_request(); server.handle_request()
            """
        let port = try MLflowTestServer.freePort()
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("forge-flaky-\(UUID().uuidString).py")
        try script.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let ready = file.appendingPathExtension("ready")
        defer { try? FileManager.default.removeItem(at: ready) }
        // A child process the test stops itself: no thread of the test waits on it, so a busy
        // concurrency pool cannot keep it from starting or serving.
        let server = Process()
        server.executableURL = URL(fileURLWithPath: try #require(MLflowPython.python))
        server.arguments = [file.path, String(port), ready.path]
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer {
            if server.isRunning { server.terminate() }
            server.waitUntilExit()
        }
        // Python can take seconds to start on a loaded machine; the retries are about the answers, not that.
        let deadline = ContinuousClock.now + .seconds(120)
        while !FileManager.default.fileExists(atPath: ready.path), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        let store = MLflowTrackingStore(
            trackingURI: URL(string: "http://127.0.0.1:\(port)")!,
            configuration: .init(
                retry: MLflowRetryPolicy(
                    maximumAttempts: 40, initialDelay: .milliseconds(50), maximumDelay: .milliseconds(200))))
        let experiment = try await store.experiment(id: "7")
        #expect(experiment.name == "flaky")
        #expect(experiment.tags["attempts"] == "3")
        #expect(experiment.creationTime == Date(timeIntervalSince1970: 1_700_000_000))
    }

    @Test("dataset inputs keep long digests and profiles through MLflow's 36-character digest limit")
    func datasetMapping() throws {
        let digest = String(repeating: "ab", count: 32)
        let input = DatasetInput(
            name: "digits", digest: digest, source: "versions/digits", context: "test", rowCount: 10,
            features: [FeatureDistribution(name: "x", values: [1, 2, .nan, 4], bins: 2)])
        let wire = try MLflowMapping.wireDatasetInput(input)
        #expect(wire.dataset.digest.count == 36)
        let back = MLflowMapping.datasetInput(wire)
        #expect(back.digest == digest && back.context == "test" && back.rowCount == 10)
        #expect(back.features.first?.missing == 1 && back.features.first?.binCounts == input.features.first?.binCounts)
    }
}
