import Foundation
import GRDB

extension SQLiteTrackingStore {
    /// Logs metrics, params and tags in one transaction: all of it is stored, or none.
    ///
    /// Params are checked against what the run already has inside the transaction, so two processes
    /// logging different values for one key cannot both succeed. The `latest_metrics` row of each key is
    /// updated in the same transaction.
    public func logBatch(runID: String, metrics: [Metric], params: [Param], tags: [String: String]) async throws {
        try TrackingValidation.validateBatch(metrics: metrics, params: params, tags: tags)
        if metrics.isEmpty && params.isEmpty && tags.isEmpty {
            _ = try await read { db in try Self.runKey(db, runID) }
            return
        }
        let latest = Self.latestByKey(metrics)
        try await write { db in
            let runKey = try Self.runKey(db, runID)
            if !params.isEmpty {
                let select = try db.cachedStatement(sql: "SELECT value FROM params WHERE run_key = ? AND key = ?")
                let insert = try db.cachedStatement(
                    sql: "INSERT OR IGNORE INTO params (run_key, key, value) VALUES (?, ?, ?)")
                for param in params {
                    if let old = try String.fetchOne(select, arguments: [runKey, param.key]), old != param.value {
                        throw TrackingError.parameterChanged(runID: runID, key: param.key, old: old, new: param.value)
                    }
                    try insert.execute(arguments: [runKey, param.key, param.value])
                }
            }
            if !tags.isEmpty {
                let upsert = try db.cachedStatement(
                    sql: """
                        INSERT INTO tags (run_key, key, value) VALUES (?, ?, ?)
                        ON CONFLICT (run_key, key) DO UPDATE SET value = excluded.value
                        """)
                for (key, value) in tags.sorted(by: { $0.key < $1.key }) {
                    try upsert.execute(arguments: [runKey, key, value])
                }
            }
            if !metrics.isEmpty {
                let insert = try db.cachedStatement(
                    sql: "INSERT INTO metrics (run_key, key, value, is_nan, step, timestamp) VALUES (?, ?, ?, ?, ?, ?)")
                for metric in metrics {
                    try insert.execute(arguments: Self.arguments(runKey, metric))
                }
                // The newer of the stored latest row and this batch's latest wins: higher step, then a
                // later-or-equal timestamp (the order MetricSummary uses).
                let upsert = try db.cachedStatement(
                    sql: """
                        INSERT INTO latest_metrics (run_key, key, value, is_nan, step, timestamp)
                        VALUES (?, ?, ?, ?, ?, ?)
                        ON CONFLICT (run_key, key) DO UPDATE SET
                            value = excluded.value, is_nan = excluded.is_nan, step = excluded.step,
                            timestamp = excluded.timestamp
                        WHERE excluded.step > latest_metrics.step
                            OR (excluded.step = latest_metrics.step AND excluded.timestamp >= latest_metrics.timestamp)
                        """)
                for metric in latest {
                    try upsert.execute(arguments: Self.arguments(runKey, metric))
                }
            }
        }
    }

    /// Every value logged for `key`, ordered by step, then timestamp, then logging order.
    public func metricHistory(runID: String, key: String) async throws -> [Metric] {
        try await read { db in
            let runKey = try Self.runKey(db, runID)
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT value, is_nan, step, timestamp FROM metrics WHERE run_key = ? AND key = ?
                    ORDER BY step, timestamp, rowid
                    """,
                arguments: [runKey, key])
            var history: [Metric] = []
            while let row = try rows.next() {
                history.append(Self.metric(key: key, row: row, offset: 0))
            }
            return history
        }
    }

    /// Records dataset inputs (an input with the same name, digest and context is kept once, first wins).
    public func logInputs(runID: String, inputs: [DatasetInput]) async throws {
        let documents = try inputs.map { try SQLiteCoding.encode($0) }
        try await write { db in
            let runKey = try Self.runKey(db, runID)
            for (input, document) in zip(inputs, documents) {
                try db.execute(
                    sql:
                        "INSERT OR IGNORE INTO inputs (run_key, name, digest, context, document) VALUES (?, ?, ?, ?, ?)",
                    arguments: [runKey, input.name, input.digest, input.context, document])
            }
        }
    }

    /// Stores (replaces) the run's training metadata as a JSON document.
    public func setTrainingMetadata(runID: String, _ metadata: TrainingMetadata) async throws {
        let document = try SQLiteCoding.encode(metadata)
        try await write { db in
            let runKey = try Self.runKey(db, runID)
            try db.execute(
                sql: "INSERT OR REPLACE INTO training_metadata (run_key, document) VALUES (?, ?)",
                arguments: [runKey, document])
        }
    }

    /// The run's training metadata, or nil.
    public func trainingMetadata(runID: String) async throws -> TrainingMetadata? {
        let document = try await read { db -> String? in
            let runKey = try Self.runKey(db, runID)
            return try String.fetchOne(
                db, sql: "SELECT document FROM training_metadata WHERE run_key = ?", arguments: [runKey])
        }
        return try document.map {
            try SQLiteCoding.decode(TrainingMetadata.self, from: $0, what: "training metadata of run \(runID)")
        }
    }

    /// Records artifacts; a path already recorded is replaced.
    public func recordArtifacts(runID: String, _ artifacts: [ArtifactRecord]) async throws {
        try await write { db in
            let runKey = try Self.runKey(db, runID)
            for artifact in artifacts {
                try db.execute(
                    sql: "INSERT OR REPLACE INTO artifacts (run_key, path, digest, size) VALUES (?, ?, ?, ?)",
                    arguments: [runKey, artifact.path, artifact.digest, artifact.size])
            }
        }
    }

    /// The run's artifacts, ordered by path.
    public func artifacts(runID: String) async throws -> [ArtifactRecord] {
        try await read { db in
            let runKey = try Self.runKey(db, runID)
            return try Row.fetchAll(
                db, sql: "SELECT path, digest, size FROM artifacts WHERE run_key = ? ORDER BY path", arguments: [runKey]
            ).map { ArtifactRecord(path: $0[0], digest: $0[1], size: $0[2]) }
        }
    }

    // MARK: Metric rows

    /// The latest metric of each key in a batch (higher step, then later-or-equal timestamp).
    static func latestByKey(_ metrics: [Metric]) -> [Metric] {
        var latest: [String: Metric] = [:]
        for metric in metrics {
            if let current = latest[metric.key],
                metric.step < current.step || (metric.step == current.step && metric.timestamp < current.timestamp)
            {
                continue
            }
            latest[metric.key] = metric
        }
        return latest.values.sorted { $0.key < $1.key }
    }

    /// Statement arguments for a metric row; NaN is stored as NULL with `is_nan = 1`.
    static func arguments(_ runKey: Int64, _ metric: Metric) -> StatementArguments {
        let isNaN = metric.value.isNaN
        return [
            runKey, metric.key, isNaN ? nil : metric.value, isNaN, metric.step,
            metric.timestamp.timeIntervalSinceReferenceDate,
        ]
    }

    /// A metric from columns `value, is_nan, step, timestamp` starting at `offset`.
    static func metric(key: String, row: Row, offset: Int) -> Metric {
        let isNaN: Bool = row[offset + 1]
        let value: Double? = row[offset]
        return Metric(
            key: key, value: isNaN ? .nan : (value ?? .nan), step: row[offset + 2],
            timestamp: Date(timeIntervalSinceReferenceDate: row[offset + 3]))
    }
}
