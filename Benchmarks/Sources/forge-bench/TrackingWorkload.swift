import Dispatch
import ForgeTracking
import Foundation

/// `tracking`: ForgeTracking's SQLite store against MLflow's default SQLite store, both in one run.
///
/// Each key holds `{"forge": x, "mlflow": y}`:
/// - `log_metric_us`: one `ActiveRun.logMetric` call in the default asynchronous mode, flushing included
///   (N calls plus the final `flush()`, divided by N; N = 100 000, 20 000 with `--quick`), against one
///   `mlflow.log_metric` call;
/// - `log_batch_1000_ms`: one synchronous `logBatch` of 1000 metrics against `MlflowClient.log_batch`
///   (median of 5 after one warm-up call, on both sides);
/// - `search_10k_runs_ms`: `metrics.accuracy > 0.9 and params.optimizer = 'adam'` ordered by
///   `metrics.accuracy DESC`, at most 1000 results, over 10 000 runs of 5 params, 5 metrics and 2 tags
///   (best of 3 after a warm-up search, on both sides; the runs are created through the public API).
///
/// The MLflow side is `peers/mlflow_peer.py`, run with `$FORGE_MLFLOW_PYTHON`, `$FORGE_PEER_PYTHON` or
/// `Benchmarks/.venv` (the first that exists); without MLflow the `mlflow` figures are "n/a".
struct TrackingWorkload: Workload {
    let name = "tracking"
    let resultKey = "tracking"
    let summary = "log_metric (async), log_batch of 1000, search over 10 000 runs; Forge SQLite vs MLflow, µs/ms"

    static let filter = "metrics.accuracy > 0.9 and params.optimizer = 'adam'"

    func run(settings: BenchmarkSettings) -> JSONValue {
        let workspace = FileManager.default.temporaryDirectory.appendingPathComponent(
            "forge-bench-tracking-\(getpid())")
        defer { try? FileManager.default.removeItem(at: workspace) }
        let mlflow = runMLflowPeer(quick: settings.quick)
        let forge = blockingResult { try await Self.measure(directory: workspace, quick: settings.quick) }
        guard case .success(let figures) = forge else {
            if case .failure(let error) = forge { return .object([("error", .string("\(error)"))]) }
            return .object([])
        }
        func pair(_ key: String, _ places: Int) -> (String, JSONValue) {
            (
                key,
                .object([
                    ("forge", .rounded(figures[key] ?? .nan, places: places)),
                    ("mlflow", mlflow[key].map { .rounded($0, places: places) } ?? .string("n/a")),
                ])
            )
        }
        return .object([pair("log_metric_us", 3), pair("log_batch_1000_ms", 3), pair("search_10k_runs_ms", 3)])
    }

    private static func measure(directory: URL, quick: Bool) async throws -> [String: Double] {
        let store = try SQLiteTrackingStore(directory: directory)
        var figures: [String: Double] = [:]
        let clock = ContinuousClock()

        // log_metric: the default asynchronous mode; the flush at the end is part of the cost.
        let tracker = Tracker(store: store)
        let run = try await tracker.startRun(experiment: "bench", name: "log-metric")
        for step in 0..<1000 { try await run.logMetric("warmup", 0.5, step: step) }
        try await run.flush()
        let calls = quick ? 20_000 : 100_000
        let start = clock.now
        for step in 0..<calls { try await run.logMetric("loss", 1 / Double(step + 1), step: step) }
        try await run.flush()
        figures["log_metric_us"] = microseconds(clock.now - start) / Double(calls)
        try await run.finish()
        let stored = try await store.metricHistory(runID: run.id, key: "loss").count
        precondition(stored == calls, "tracking benchmark: \(stored) of \(calls) metrics stored")

        // log_batch of 1000 metrics, synchronous.
        let batchRun = try await store.createRun(RunDraft(experimentID: run.info.experimentID, name: "batch"))
        let timestamp = Date()
        var durations: [Double] = []
        for repeat_ in 0..<6 {
            let metrics = (0..<1000).map {
                Metric(key: "m\($0 % 10)", value: Double($0) * 0.001, step: repeat_ * 1000 + $0, timestamp: timestamp)
            }
            let batchStart = clock.now
            try await store.logBatch(runID: batchRun.id, metrics: metrics, params: [], tags: [:])
            if repeat_ > 0 { durations.append(microseconds(clock.now - batchStart) / 1000) }
        }
        figures["log_batch_1000_ms"] = durations.sorted()[durations.count / 2]

        // search over 10 000 runs.
        let experiment = try await store.createExperiment(named: "search", tags: [:])
        try await createRuns(store, experimentID: experiment.id, count: 10_000)
        let query = RunQuery(
            experimentIDs: [experiment.id], filter: try RunFilter(parsing: filter),
            orderBy: [RunOrdering(.metric("accuracy"), ascending: false)], maxResults: 1000)
        let expected = (0..<10_000).filter { accuracy($0) > 0.9 && $0 % 4 == 0 }.count
        var best = Double.infinity
        for attempt in 0..<4 {
            let searchStart = clock.now
            let page = try await store.searchRuns(query)
            let elapsed = microseconds(clock.now - searchStart) / 1000
            precondition(
                page.runs.count == expected, "tracking benchmark: search found \(page.runs.count) of \(expected)")
            if attempt > 0 { best = min(best, elapsed) }
        }
        figures["search_10k_runs_ms"] = best
        return figures
    }

    /// The peer's accuracy of run `index` (see `peers/mlflow_peer.py`).
    private static func accuracy(_ index: Int) -> Double { Double((index * 7919) % 10_000) / 10_000 }

    /// 10 000 finished runs through the public API, the same values as the peer's.
    private static func createRuns(_ store: SQLiteTrackingStore, experimentID: String, count: Int) async throws {
        let base = Date(timeIntervalSince1970: 1_750_000_000)
        let optimizers = ["adam", "sgd", "rmsprop", "adamw"]
        for index in 0..<count {
            let start = base.addingTimeInterval(Double(index))
            let info = try await store.createRun(
                RunDraft(
                    experimentID: experimentID, name: "run-\(index)", user: "bench", host: "bench",
                    source: "forge-bench",
                    gitCommit: nil, parentRunID: nil,
                    tags: ["team": index % 2 == 0 ? "vision" : "nlp", "stage": "sweep"],
                    startTime: start))
            let accuracy = accuracy(index)
            let metrics = [
                ("accuracy", accuracy), ("loss", 1 - accuracy), ("f1", accuracy * 0.9), ("precision", 0.5),
                ("recall", Double(index % 100) / 100),
            ].map { Metric(key: $0.0, value: $0.1, step: 10, timestamp: start) }
            let params = [
                ("optimizer", optimizers[index % 4]), ("lr", String(0.001 * Double(index % 10 + 1))),
                ("batch_size", String([32, 64, 128][index % 3])), ("depth", String(index % 6)), ("seed", String(index)),
            ].map { Param(key: $0.0, value: $0.1) }
            try await store.logBatch(runID: info.id, metrics: metrics, params: params, tags: [:])
            try await store.updateRun(id: info.id, status: .finished, endTime: start.addingTimeInterval(60))
        }
    }

    private static func microseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1e6 + Double(duration.components.attoseconds) / 1e12
    }

    private func runMLflowPeer(quick: Bool) -> [String: Double] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()  // Benchmarks/
        let environment = ProcessInfo.processInfo.environment
        let candidates: [String?] = [
            environment["FORGE_MLFLOW_PYTHON"], environment["FORGE_PEER_PYTHON"],
            root.appendingPathComponent(".venv/bin/python").path,
        ]
        guard
            let python = candidates.compactMap({ $0 }).first(where: { FileManager.default.isExecutableFile(atPath: $0) }
            )
        else {
            return [:]
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [root.appendingPathComponent("peers/mlflow_peer.py").path] + (quick ? ["--quick"] : [])
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return [:] }
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let object = (try? JSONSerialization.jsonObject(with: output)) as? [String: Any] ?? [:]
        return object.compactMapValues { ($0 as? NSNumber)?.doubleValue }
    }
}
