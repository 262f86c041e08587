import Foundation
import GRDB
import Testing

@testable import ForgeTracking

@Suite("SQLite tracking store")
struct SQLiteTrackingStoreTests {
    @Test("NaN is stored with a flag, not as SQLite's NULL, and survives reopening the file")
    func nanRoundTrips() async throws {
        let directory = try TrackingTemporaryDirectory()
        let runID: String
        do {
            let store = try SQLiteTrackingStore(directory: directory.url)
            let run = try await Tracker(store: store, mode: .synchronous).startRun(experiment: "nan", name: "r")
            try await run.logMetric("loss", .nan, step: 0)
            try await run.logMetric("loss", 0, step: 1)
            try await run.logMetric("loss", -.nan, step: 2)
            try await run.finish()
            runID = run.id
            let flags = try await store.read { db in
                try Row.fetchAll(db, sql: "SELECT value, is_nan FROM metrics ORDER BY step").map { row -> [Bool] in
                    [row[0] == nil, row[1]]
                }
            }
            #expect(flags == [[true, true], [false, false], [true, true]])
        }
        let reopened = try SQLiteTrackingStore(url: directory.url.appendingPathComponent("tracking.sqlite"))
        let values = try await reopened.metricHistory(runID: runID, key: "loss").map(\.value)
        #expect(values.count == 3)
        #expect(values[0].isNaN && values[2].isNaN)
        #expect(values[1] == 0 && values[1].sign == .plus)
        #expect(try await reopened.run(id: runID).latestMetrics["loss"]?.value.isNaN == true)
    }

    @Test("the file is in WAL mode with the schema, indexes and latest_metrics in place")
    func schema() async throws {
        let directory = try TrackingTemporaryDirectory()
        let store = try SQLiteTrackingStore(directory: directory.url)
        let (mode, tables, indexes) = try await store.read { db in
            (
                try String.fetchOne(db, sql: "PRAGMA journal_mode"),
                try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"),
                try String.fetchAll(
                    db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%'")
            )
        }
        #expect(mode == "wal")
        for table in [
            "experiments", "runs", "params", "tags", "metrics", "latest_metrics", "inputs", "training_metadata",
            "artifacts",
        ] {
            #expect(tables.contains(table), "missing table \(table)")
        }
        #expect(Set(indexes).isSuperset(of: ["runs_by_experiment", "metrics_history"]))
        #expect(try await store.integrityProblems() == [])
        // Opening the same file again runs no migration twice.
        _ = try SQLiteTrackingStore(directory: directory.url)
    }

    @Test("search uses bound arguments: quotes and SQL in values are data")
    func boundArguments() async throws {
        let directory = try TrackingTemporaryDirectory()
        let store = try SQLiteTrackingStore(directory: directory.url)
        let tracker = Tracker(store: store, mode: .synchronous)
        let run = try await tracker.startRun(experiment: "quotes", name: "r")
        try await run.setTag("note", "it's'); DROP TABLE runs; --")
        try await run.finish()
        let experiment = try #require(try await store.experiment(named: "quotes"))
        let page = try await store.searchRuns(
            experimentIDs: [experiment.id], filter: "tags.note = 'it''s''); DROP TABLE runs; --'")
        #expect(page.runs.map(\.id) == [run.id])
        #expect(try await store.allRuns(experimentIDs: [experiment.id]).count == 1)
    }

    @Test("a local project directory holds tracking.sqlite and content-addressed artifacts")
    func localProject() async throws {
        let directory = try TrackingTemporaryDirectory()
        let project = directory.url.appendingPathComponent("project")
        let tracker = try Tracker.local(at: project, mode: .synchronous)
        let run = try await tracker.startRun(experiment: "local", name: "r")
        let file = directory.url.appendingPathComponent("weights.bin")
        try Data("weights".utf8).write(to: file)
        let records = try await run.logArtifact(file, as: "model/weights.bin")
        try await run.finish()
        #expect(FileManager.default.fileExists(atPath: project.appendingPathComponent("tracking.sqlite").path))
        let stored = try await tracker.store.artifacts(runID: run.id)
        #expect(stored == records)
        let repository = try #require(tracker.artifactRepository)
        #expect(try await repository.data(for: stored[0]) == Data("weights".utf8))
    }

    @Test("searching 10 000 runs with a filter and an ordering is fast")
    func searchTenThousandRuns() async throws {
        let directory = try TrackingTemporaryDirectory()
        let store = try SQLiteTrackingStore(directory: directory.url)
        let experiment = try await store.createExperiment(named: "large", tags: [:])
        try await SearchFixture.populate(store, experimentID: experiment.id, runs: 10_000)
        let filter = try RunFilter(parsing: "metrics.accuracy > 0.9 and params.optimizer = 'adam'")
        let query = RunQuery(
            experimentIDs: [experiment.id], filter: filter,
            orderBy: [RunOrdering(.metric("accuracy"), ascending: false)],
            maxResults: 1000)
        _ = try await store.searchRuns(query)  // warm the page cache
        let clock = ContinuousClock()
        var best = Duration.seconds(10)
        var page = RunPage(runs: [], nextPageToken: nil)
        for _ in 0..<3 {
            let start = clock.now
            page = try await store.searchRuns(query)
            best = min(best, clock.now - start)
        }
        let expected = SearchFixture.expectedMatches(runs: 10_000)
        #expect(page.runs.count == expected)
        #expect(
            page.runs.map { $0.latestMetrics["accuracy"]!.value }
                == page.runs.map { $0.latestMetrics["accuracy"]!.value }.sorted(by: >))
        #expect(page.runs.allSatisfy { $0.params.count == 5 && $0.latestMetrics.count == 5 && $0.tags.count == 2 })
        // The figure the issue asks for (< 50 ms) is measured in release by `forge-bench tracking`; a debug
        // build with a busy machine gets a wider margin here.
        #expect(best < .milliseconds(250), "search took \(best)")
    }
}

/// Runs shaped like a sweep: 5 params, 5 metrics and 2 tags each, inserted in one transaction.
enum SearchFixture {
    static func accuracy(_ index: Int) -> Double { Double((index * 7919) % 10_000) / 10_000 }
    static func optimizer(_ index: Int) -> String { ["adam", "sgd", "rmsprop", "adamw"][index % 4] }

    static func expectedMatches(runs: Int) -> Int {
        (0..<runs).filter { accuracy($0) > 0.9 && optimizer($0) == "adam" }.count
    }

    static func populate(_ store: SQLiteTrackingStore, experimentID: String, runs: Int) async throws {
        let base = Date(timeIntervalSince1970: 1_750_000_000)
        guard let experimentKey = Int64(experimentID) else { throw TrackingError.experimentNotFound(experimentID) }
        for start in stride(from: 0, to: runs, by: 1000) {
            try await store.write { db in
                for index in start..<min(runs, start + 1000) {
                    let id = String(format: "%032x", index)
                    try db.execute(
                        sql: """
                            INSERT INTO runs (id, experiment_id, name, status, start_time, end_time, user, host, source)
                            VALUES (?, ?, ?, 'FINISHED', ?, ?, 'bench', 'host', 'test')
                            """,
                        arguments: [
                            id, experimentKey, "run-\(index)",
                            base.timeIntervalSinceReferenceDate + Double(index),
                            base.timeIntervalSinceReferenceDate + Double(index) + 60,
                        ])
                    let key = db.lastInsertedRowID
                    let params = [
                        ("optimizer", optimizer(index)), ("lr", String(0.001 * Double(index % 10 + 1))),
                        ("batch_size", String([32, 64, 128][index % 3])), ("depth", String(index % 6)),
                        ("seed", String(index)),
                    ]
                    for (name, value) in params {
                        try db.execute(sql: "INSERT INTO params VALUES (?, ?, ?)", arguments: [key, name, value])
                    }
                    for (name, value) in [("team", index % 2 == 0 ? "vision" : "nlp"), ("stage", "sweep")] {
                        try db.execute(sql: "INSERT INTO tags VALUES (?, ?, ?)", arguments: [key, name, value])
                    }
                    let metrics = [
                        ("accuracy", accuracy(index)), ("loss", 1 - accuracy(index)), ("f1", accuracy(index) * 0.9),
                        ("precision", 0.5), ("recall", Double(index % 100) / 100),
                    ]
                    for (name, value) in metrics {
                        let arguments: StatementArguments = [
                            key, name, value, false, 10, base.timeIntervalSinceReferenceDate,
                        ]
                        try db.execute(
                            sql:
                                "INSERT INTO metrics (run_key, key, value, is_nan, step, timestamp) VALUES (?, ?, ?, ?, ?, ?)",
                            arguments: arguments)
                        try db.execute(
                            sql: "INSERT INTO latest_metrics VALUES (?, ?, ?, ?, ?, ?)", arguments: arguments)
                    }
                }
            }
        }
    }
}
