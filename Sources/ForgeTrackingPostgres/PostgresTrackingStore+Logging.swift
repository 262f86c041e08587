import ForgePostgresSupport
public import ForgeTracking
import Foundation
import PostgresNIO

extension PostgresTrackingStore {
    /// Logs metrics, params and tags in one transaction: all of the batch is stored, or none of it.
    ///
    /// Params are inserted with `ON CONFLICT DO NOTHING` and then read back inside the transaction; a key
    /// that already holds another value (logged earlier, or by a concurrent batch that committed first)
    /// rolls the whole batch back with ``TrackingError/parameterChanged(runID:key:old:new:)``. The latest
    /// value of each metric is maintained in the same transaction.
    public func logBatch(runID: String, metrics: [Metric], params: [Param], tags: [String: String]) async throws {
        try TrackingValidation.validateBatch(metrics: metrics, params: params, tags: tags)
        if metrics.isEmpty && params.isEmpty && tags.isEmpty {
            try await requireRun(runID)
            return
        }
        let latest = Self.latestByKey(metrics)
        try await perform("log batch") { connection in
            try await connection.transaction(logger: logger) { connection in
                try await Self.lockRun(runID, connection: connection, logger: logger)
                if !params.isEmpty {
                    try await Self.insertParams(runID: runID, params, connection: connection, logger: logger)
                }
                if !tags.isEmpty {
                    try await connection.rows(
                        """
                        INSERT INTO forge_tracking_tags (run_id, key, value)
                        SELECT \(runID), key, value FROM unnest(\(Array(tags.keys))::text[], \(Array(tags.values))::text[])
                            AS t(key, value)
                        ON CONFLICT (run_id, key) DO UPDATE SET value = EXCLUDED.value
                        """, logger: logger)
                }
                if !metrics.isEmpty {
                    try await connection.rows(
                        """
                        INSERT INTO forge_tracking_metrics (run_id, key, value, step, timestamp)
                        SELECT \(runID), key, value, step, timestamp
                        FROM unnest(\(metrics.map(\.key))::text[], \(metrics.map(\.value))::float8[],
                            \(metrics.map { Int64($0.step) })::int8[],
                            \(metrics.map(\.timestamp.timeIntervalSinceReferenceDate))::float8[])
                            WITH ORDINALITY AS m(key, value, step, timestamp, position)
                        ORDER BY position
                        """, logger: logger)
                    try await connection.rows(
                        """
                        INSERT INTO forge_tracking_latest_metrics AS latest (run_id, key, value, step, timestamp)
                        SELECT \(runID), key, value, step, timestamp
                        FROM unnest(\(latest.map(\.key))::text[], \(latest.map(\.value))::float8[],
                            \(latest.map { Int64($0.step) })::int8[],
                            \(latest.map(\.timestamp.timeIntervalSinceReferenceDate))::float8[]) AS m(key, value, step, timestamp)
                        ON CONFLICT (run_id, key) DO UPDATE
                            SET value = EXCLUDED.value, step = EXCLUDED.step, timestamp = EXCLUDED.timestamp
                            WHERE (EXCLUDED.step, EXCLUDED.timestamp) >= (latest.step, latest.timestamp)
                        """, logger: logger)
                }
            }
        }
    }

    /// Every value logged for metric `key`, ordered by step, then timestamp, then logging order.
    public func metricHistory(runID: String, key: String) async throws -> [Metric] {
        try await perform("read metric history") { connection in
            try await Self.requireRun(runID, connection: connection, logger: logger)
            let rows = try await connection.rows(
                """
                SELECT value, step, timestamp FROM forge_tracking_metrics
                WHERE run_id = \(runID) AND key = \(key) ORDER BY step, timestamp, sequence
                """, logger: logger)
            return try rows.map { row in
                let (value, step, time) = try row.decode((Double, Int64, Double).self)
                return Metric(
                    key: key, value: value, step: Int(step), timestamp: Date(timeIntervalSinceReferenceDate: time))
            }
        }
    }

    /// Records dataset inputs; an input with the same name, digest and context is kept once.
    public func logInputs(runID: String, inputs: [DatasetInput]) async throws {
        let bodies = try inputs.map { try PostgresJSON.encode($0) }
        try await perform("log inputs") { connection in
            try await connection.transaction(logger: logger) { connection in
                try await Self.lockRun(runID, connection: connection, logger: logger)
                for (input, body) in zip(inputs, bodies) {
                    try await connection.rows(
                        """
                        INSERT INTO forge_tracking_inputs (run_id, name, digest, context, body)
                        VALUES (\(runID), \(input.name), \(input.digest), \(input.context), \(body))
                        ON CONFLICT (run_id, name, digest, context) DO NOTHING
                        """, logger: logger)
                }
            }
        }
    }

    /// Stores (replaces) the run's training metadata as JSON.
    public func setTrainingMetadata(runID: String, _ metadata: TrainingMetadata) async throws {
        let body = try PostgresJSON.encode(metadata)
        let rows = try await perform("set training metadata") { connection in
            try await connection.rows(
                "UPDATE forge_tracking_runs SET training_metadata = \(body) WHERE id = \(runID) RETURNING id",
                logger: logger)
        }
        if rows.isEmpty { throw TrackingError.runNotFound(runID) }
    }

    /// The run's training metadata, or nil.
    public func trainingMetadata(runID: String) async throws -> TrainingMetadata? {
        let rows = try await perform("read training metadata") { connection in
            try await connection.rows(
                "SELECT training_metadata FROM forge_tracking_runs WHERE id = \(runID)", logger: logger)
        }
        guard let row = rows.first else { throw TrackingError.runNotFound(runID) }
        return try row.decode(String?.self).map { try PostgresJSON.decode(TrainingMetadata.self, from: $0) }
    }

    /// Records artifacts; a path already recorded is replaced.
    public func recordArtifacts(runID: String, _ artifacts: [ArtifactRecord]) async throws {
        var byPath: [String: ArtifactRecord] = [:]
        for artifact in artifacts { byPath[artifact.path] = artifact }  // the last record of a path wins
        let records = Array(byPath.values)
        try await perform("record artifacts") { connection in
            try await connection.transaction(logger: logger) { connection in
                try await Self.lockRun(runID, connection: connection, logger: logger)
                guard !records.isEmpty else { return }
                try await connection.rows(
                    """
                    INSERT INTO forge_tracking_artifacts (run_id, path, digest, size)
                    SELECT \(runID), path, digest, size
                    FROM unnest(\(records.map(\.path))::text[], \(records.map(\.digest))::text[],
                        \(records.map { Int64($0.size) })::int8[]) AS a(path, digest, size)
                    ON CONFLICT (run_id, path) DO UPDATE SET digest = EXCLUDED.digest, size = EXCLUDED.size
                    """, logger: logger)
            }
        }
    }

    /// The run's artifacts, ordered by path.
    public func artifacts(runID: String) async throws -> [ArtifactRecord] {
        try await perform("read artifacts") { connection in
            try await Self.requireRun(runID, connection: connection, logger: logger)
            let rows = try await connection.rows(
                """
                SELECT path, digest, size FROM forge_tracking_artifacts WHERE run_id = \(runID)
                ORDER BY path COLLATE "C"
                """, logger: logger)
            return try rows.map { row in
                let (path, digest, size) = try row.decode((String, String, Int64).self)
                return ArtifactRecord(path: path, digest: digest, size: Int(size))
            }
        }
    }

    // MARK: Helpers

    private func requireRun(_ runID: String) async throws {
        try await perform("read run") { connection in
            try await Self.requireRun(runID, connection: connection, logger: logger)
        }
    }

    static func requireRun(_ runID: String, connection: PostgresConnection, logger: Logger) async throws {
        let rows = try await connection.rows("SELECT 1 FROM forge_tracking_runs WHERE id = \(runID)", logger: logger)
        if rows.isEmpty { throw TrackingError.runNotFound(runID) }
    }

    /// Checks the run exists and keeps it from being deleted until the transaction ends.
    static func lockRun(_ runID: String, connection: PostgresConnection, logger: Logger) async throws {
        let rows = try await connection.rows(
            "SELECT 1 FROM forge_tracking_runs WHERE id = \(runID) FOR KEY SHARE", logger: logger)
        if rows.isEmpty { throw TrackingError.runNotFound(runID) }
    }

    /// Inserts new params and throws when a key already holds a different value.
    private static func insertParams(
        runID: String, _ params: [Param], connection: PostgresConnection, logger: Logger
    ) async throws {
        var unique: [String: String] = [:]
        for param in params { unique[param.key] = param.value }
        let keys = Array(unique.keys)
        try await connection.rows(
            """
            INSERT INTO forge_tracking_params (run_id, key, value)
            SELECT \(runID), key, value FROM unnest(\(keys)::text[], \(keys.map { unique[$0] ?? "" })::text[])
                AS p(key, value)
            ON CONFLICT (run_id, key) DO NOTHING
            """, logger: logger)
        // Read committed: this statement sees whatever a concurrent batch committed for these keys.
        let stored = try await connection.rows(
            "SELECT key, value FROM forge_tracking_params WHERE run_id = \(runID) AND key = ANY(\(keys)::text[])",
            logger: logger)
        for row in stored {
            let (key, old) = try row.decode((String, String).self)
            if let new = unique[key], new != old {
                throw TrackingError.parameterChanged(runID: runID, key: key, old: old, new: new)
            }
        }
    }

    /// The metric of each key with the highest step (latest timestamp, then last logged, on ties).
    static func latestByKey(_ metrics: [Metric]) -> [Metric] {
        var latest: [String: Metric] = [:]
        for metric in metrics {
            if let current = latest[metric.key], (metric.step, metric.timestamp) < (current.step, current.timestamp) {
                continue
            }
            latest[metric.key] = metric
        }
        return Array(latest.values)
    }
}
