import ForgePostgresSupport
public import ForgeTracking
public import Foundation
public import PostgresNIO

/// A ``TrackingStore`` in a PostgreSQL database, for teams that share one tracking server.
///
/// The store talks to the server through a `PostgresClient`, postgres-nio's connection pool. The pool
/// does its work inside its `run()` method, which must be running in a task for as long as the store is
/// used: start it in a task group or a swift-service-lifecycle `ServiceGroup`, create the store, and
/// cancel the task after the last call. ``withStore(configuration:logger:_:)`` does all of this for a
/// scope.
///
/// ```swift
/// let configuration = PostgresClient.Configuration(
///     host: "db.internal", port: 5432, username: "forge", password: secret, database: "tracking", tls: .disable)
/// try await PostgresTrackingStore.withStore(configuration: configuration) { store in
///     let tracker = Tracker(store: store)
///     // … log runs …
/// }
/// ```
///
/// Creating the store creates the tables when they are missing (idempotent, safe from several processes at
/// once; the schema version is kept in `forge_schema_migrations`). Batches run in one transaction each;
/// parameters are immutable through the primary key and a check inside that transaction; NaN metric values
/// are stored as PostgreSQL's `NaN`; run searches are translated to SQL with every literal bound as a
/// parameter.
public final class PostgresTrackingStore: TrackingStore {
    /// The connection pool the store runs its queries on.
    public let client: PostgresClient
    let logger: Logger

    /// Creates the store on a client whose `run()` is already running, creating the tables when missing.
    /// - Parameters:
    ///   - client: a `PostgresClient`; its `run()` must be running in a task while the store is used.
    ///   - logger: where postgres-nio logs queries (nothing by default).
    /// - Throws: ``TrackingError/storeFailure(store:reason:)`` when the server cannot be reached or holds a
    ///   newer schema than this version of Forge knows.
    public init(client: PostgresClient, logger: Logger = Logger(label: "forge.tracking.postgres")) async throws {
        self.client = client
        self.logger = logger
        try await perform("prepare schema") { connection in
            _ = try await PostgresTrackingSchema.migrate(connection, logger: logger)
        }
    }

    /// Connects with `configuration`, runs `body` with a ready store, and closes the pool afterwards.
    ///
    /// - Parameters:
    ///   - configuration: host, port, user, password, database and TLS of the server.
    ///   - logger: where postgres-nio logs (background work and queries).
    ///   - body: the work to do with the store; the pool is closed when it returns or throws.
    /// - Returns: what `body` returns.
    public static func withStore<Result: Sendable>(
        configuration: PostgresClient.Configuration,
        logger: Logger = Logger(label: "forge.tracking.postgres"),
        _ body: (PostgresTrackingStore) async throws -> Result
    ) async throws -> Result {
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            let store = try await PostgresTrackingStore(client: client, logger: logger)
            return try await body(store)
        }
    }

    // MARK: Experiments

    /// Creates an experiment; the database assigns the next decimal id.
    public func createExperiment(named name: String, tags: [String: String]) async throws -> Experiment {
        try TrackingValidation.validateKey(name, kind: "experiment")
        for (key, value) in tags { try TrackingValidation.validateTag(key: key, value: value) }
        let created = Date()
        let encodedTags = try PostgresJSON.encode(tags)
        let time = created.timeIntervalSinceReferenceDate
        let rows = try await perform("create experiment") { connection in
            try await connection.rows(
                """
                INSERT INTO forge_tracking_experiments (name, tags, creation_time) VALUES (\(name), \(encodedTags), \(time))
                ON CONFLICT (name) DO NOTHING RETURNING id
                """, logger: logger)
        }
        guard let row = rows.first else { throw TrackingError.experimentExists(name) }
        return Experiment(id: String(try row.decode(Int64.self)), name: name, tags: tags, creationTime: created)
    }

    /// The experiment with `id`.
    public func experiment(id: String) async throws -> Experiment {
        guard let number = Int64(id) else { throw TrackingError.experimentNotFound(id) }
        let rows = try await perform("read experiment") { connection in
            try await connection.rows(
                "SELECT id, name, tags, creation_time FROM forge_tracking_experiments WHERE id = \(number)",
                logger: logger)
        }
        guard let row = rows.first else { throw TrackingError.experimentNotFound(id) }
        return try Self.decodeExperiment(row)
    }

    /// The experiment named `name`, or nil.
    public func experiment(named name: String) async throws -> Experiment? {
        let rows = try await perform("read experiment") { connection in
            try await connection.rows(
                "SELECT id, name, tags, creation_time FROM forge_tracking_experiments WHERE name = \(name)",
                logger: logger)
        }
        return try rows.first.map(Self.decodeExperiment)
    }

    /// Every experiment, oldest first.
    public func experiments() async throws -> [Experiment] {
        let rows = try await perform("list experiments") { connection in
            try await connection.rows(
                "SELECT id, name, tags, creation_time FROM forge_tracking_experiments ORDER BY id", logger: logger)
        }
        return try rows.map(Self.decodeExperiment)
    }

    private static func decodeExperiment(_ row: PostgresRow) throws -> Experiment {
        let (id, name, tags, time) = try row.decode((Int64, String, String, Double).self)
        return Experiment(
            id: String(id), name: name, tags: try PostgresJSON.decode([String: String].self, from: tags),
            creationTime: Date(timeIntervalSinceReferenceDate: time))
    }

    // MARK: Runs

    /// Creates a running run with the draft's tags, in one transaction.
    public func createRun(_ draft: RunDraft) async throws -> RunInfo {
        for (key, value) in draft.tags { try TrackingValidation.validateTag(key: key, value: value) }
        guard let experimentNumber = Int64(draft.experimentID) else {
            throw TrackingError.experimentNotFound(draft.experimentID)
        }
        let info = RunInfo(
            id: TrackingIdentifiers.newRunID(), experimentID: draft.experimentID, name: draft.name, status: .running,
            startTime: draft.startTime, user: draft.user, host: draft.host, source: draft.source,
            gitCommit: draft.gitCommit, parentRunID: draft.parentRunID)
        let start = info.startTime.timeIntervalSinceReferenceDate
        let (tagKeys, tagValues) = (Array(draft.tags.keys), Array(draft.tags.values))
        try await perform("create run") { connection in
            try await connection.transaction(logger: logger) { connection in
                let experiment = try await connection.rows(
                    "SELECT 1 FROM forge_tracking_experiments WHERE id = \(experimentNumber) FOR KEY SHARE",
                    logger: logger)
                guard !experiment.isEmpty else { throw TrackingError.experimentNotFound(draft.experimentID) }
                if let parent = info.parentRunID {
                    let found = try await connection.rows(
                        "SELECT 1 FROM forge_tracking_runs WHERE id = \(parent)", logger: logger)
                    guard !found.isEmpty else { throw TrackingError.runNotFound(parent) }
                }
                try await connection.rows(
                    """
                    INSERT INTO forge_tracking_runs
                        (id, experiment_id, name, status, start_time, user_name, host, source, git_commit, parent_run_id)
                    VALUES (\(info.id), \(experimentNumber), \(info.name), \(info.status.rawValue), \(start),
                        \(info.user), \(info.host), \(info.source), \(info.gitCommit), \(info.parentRunID))
                    """, logger: logger)
                if !tagKeys.isEmpty {
                    try await connection.rows(
                        """
                        INSERT INTO forge_tracking_tags (run_id, key, value)
                        SELECT \(info.id), key, value FROM unnest(\(tagKeys)::text[], \(tagValues)::text[]) AS t(key, value)
                        """, logger: logger)
                }
            }
        }
        return info
    }

    /// Sets a run's status and end time.
    public func updateRun(id: String, status: RunStatus, endTime: Date?) async throws {
        let end = endTime?.timeIntervalSinceReferenceDate
        let rows = try await perform("update run") { connection in
            try await connection.rows(
                """
                UPDATE forge_tracking_runs SET status = \(status.rawValue), end_time = \(end)
                WHERE id = \(id) RETURNING id
                """, logger: logger)
        }
        if rows.isEmpty { throw TrackingError.runNotFound(id) }
    }

    /// The run with `id`, with params, tags, latest metrics and inputs.
    public func run(id: String) async throws -> Run {
        let runs = try await perform("read run") { connection in
            try await PostgresRunLoader.load(ids: [id], connection: connection, logger: logger)
        }
        guard let run = runs.first else { throw TrackingError.runNotFound(id) }
        return run
    }

    /// Deletes a run and everything logged to it.
    public func deleteRun(id: String) async throws {
        let rows = try await perform("delete run") { connection in
            try await connection.rows("DELETE FROM forge_tracking_runs WHERE id = \(id) RETURNING id", logger: logger)
        }
        if rows.isEmpty { throw TrackingError.runNotFound(id) }
    }

    // MARK: Plumbing

    /// Leases a connection for `body`, passing ``TrackingError`` through and turning database and
    /// connection failures into ``TrackingError/storeFailure(store:reason:)`` naming the operation.
    func perform<Result: Sendable>(
        _ operation: String, _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        do {
            return try await client.withConnection { connection in try await body(connection) }
        } catch let error as TrackingError {
            throw error
        } catch let error as PSQLError {
            throw TrackingError.storeFailure(store: "PostgreSQL", reason: "\(operation): \(error.readableMessage)")
        } catch let error as PostgresMigrations.NewerSchema {
            throw TrackingError.storeFailure(
                store: "PostgreSQL",
                reason: "\(operation): the database's \(error.component) schema is at version \(error.stored), this "
                    + "version of Forge knows up to \(error.known); upgrade Forge")
        } catch {
            throw TrackingError.storeFailure(store: "PostgreSQL", reason: "\(operation): \(error)")
        }
    }
}

/// JSON text columns. JSON has no NaN or infinities, so they are written as the strings `forge:NaN`,
/// `forge:+Infinity` and `forge:-Infinity` (prefixed, so a configuration string "NaN" stays a string).
enum PostgresJSON {
    static func encode<Value: Encodable>(_ value: Value) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "forge:+Infinity", negativeInfinity: "forge:-Infinity", nan: "forge:NaN")
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func decode<Value: Decodable>(_ type: Value.Type, from text: String) throws -> Value {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "forge:+Infinity", negativeInfinity: "forge:-Infinity", nan: "forge:NaN")
        do {
            return try decoder.decode(type, from: Data(text.utf8))
        } catch {
            throw TrackingError.storeFailure(
                store: "PostgreSQL", reason: "stored \(type) is not valid JSON: \(error)")
        }
    }
}
