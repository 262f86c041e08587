import ForgePostgresSupport
public import ForgeTuning
import Foundation
public import PostgresNIO

/// A ``StudyStorage`` in a PostgreSQL database, so workers on several machines share one study.
///
/// The storage talks to the server through a `PostgresClient`, postgres-nio's connection pool, whose
/// `run()` must be running in a task while the storage is used (start it in a task group or a
/// swift-service-lifecycle `ServiceGroup`, and cancel it after the last call);
/// ``withStorage(configuration:logger:_:)`` does this for a scope:
///
/// ```swift
/// let configuration = PostgresClient.Configuration(
///     host: "db.internal", port: 5432, username: "forge", password: secret, database: "tuning", tls: .disable)
/// try await PostgresStudyStorage.withStorage(configuration: configuration) { storage in
///     let study = try await Study.create(name: "mlp", direction: .maximize, storage: storage, loadIfExists: true)
///     try await study.optimize(trials: 50) { trial in try await train(trial) }
/// }
/// ```
///
/// What the protocol asks of a shared storage, and how this one does it:
/// - trial numbers come from a per-study counter row that ``createTrial(studyID:template:)`` increments in
///   the transaction that inserts the trial, so numbers are unique and contiguous across machines;
/// - every change to a trial locks its row (`SELECT … FOR UPDATE`) and checks its state first, so only a
///   running trial can finish and a second finisher gets ``TuningError/trialAlreadyFinished(number:state:)``;
/// - heartbeats are a column of the trial (and the `forge:heartbeat` system attribute), and
///   ``staleTrials(studyID:olderThan:)`` selects in SQL.
///
/// Creating the storage creates its tables when they are missing (idempotent; the version is kept in
/// `forge_schema_migrations`).
public final class PostgresStudyStorage: StudyStorage {
    /// The connection pool the storage runs its queries on.
    public let client: PostgresClient
    let logger: Logger

    /// Creates the storage on a client whose `run()` is already running, creating the tables when missing.
    /// - Parameters:
    ///   - client: a `PostgresClient`; its `run()` must be running in a task while the storage is used.
    ///   - logger: where postgres-nio logs queries.
    /// - Throws: ``TuningError/storageFailure(reason:)`` when the server cannot be reached or holds a newer
    ///   schema than this version of Forge knows.
    public init(client: PostgresClient, logger: Logger = Logger(label: "forge.tuning.postgres")) async throws {
        self.client = client
        self.logger = logger
        try await perform("prepare schema") { connection in
            try await PostgresStudySchema.migrate(connection, logger: logger)
        }
    }

    /// Connects with `configuration`, runs `body` with a ready storage, and closes the pool afterwards.
    ///
    /// - Parameters:
    ///   - configuration: host, port, user, password, database and TLS of the server.
    ///   - logger: where postgres-nio logs (background work and queries).
    ///   - body: the work to do with the storage; the pool is closed when it returns or throws.
    /// - Returns: what `body` returns.
    public static func withStorage<Result: Sendable>(
        configuration: PostgresClient.Configuration,
        logger: Logger = Logger(label: "forge.tuning.postgres"),
        _ body: (PostgresStudyStorage) async throws -> Result
    ) async throws -> Result {
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            let storage = try await PostgresStudyStorage(client: client, logger: logger)
            return try await body(storage)
        }
    }

    // MARK: Studies

    /// Creates a study; throws ``TuningError/studyAlreadyExists(name:)`` when the name is taken.
    public func createStudy(name: String, directions: [StudyDirection]) async throws -> Int {
        guard !directions.isEmpty else {
            throw TuningError.invalidArgument(reason: "study '\(name)' needs at least one direction")
        }
        let codes = directions.map { Int64($0.rawValue) }
        let rows = try await perform("create study") { connection in
            try await connection.rows(
                """
                INSERT INTO forge_tuning_studies (name, directions) VALUES (\(name), \(codes))
                ON CONFLICT (name) DO NOTHING RETURNING id
                """, logger: logger)
        }
        guard let row = rows.first else { throw TuningError.studyAlreadyExists(name: name) }
        return Int(try row.decode(Int64.self))
    }

    /// The id of the study called `name`.
    public func studyID(named name: String) async throws -> Int {
        let rows = try await perform("find study") { connection in
            try await connection.rows("SELECT id FROM forge_tuning_studies WHERE name = \(name)", logger: logger)
        }
        guard let row = rows.first else { throw TuningError.studyNotFound(name: name) }
        return Int(try row.decode(Int64.self))
    }

    /// The record of study `id`.
    public func study(id: Int) async throws -> StudyRecord {
        guard let record = try await studies(id: id).first else { throw TuningError.studyNotFound(name: "#\(id)") }
        return record
    }

    /// Every study, by id.
    public func allStudies() async throws -> [StudyRecord] { try await studies(id: nil) }

    /// Deletes a study and its trials.
    public func deleteStudy(id: Int) async throws {
        let rows = try await perform("delete study") { connection in
            try await connection.rows(
                "DELETE FROM forge_tuning_studies WHERE id = \(Int64(id)) RETURNING id", logger: logger)
        }
        if rows.isEmpty { throw TuningError.studyNotFound(name: "#\(id)") }
    }

    /// Sets (or replaces) a user attribute of a study.
    public func setStudyUserAttribute(studyID: Int, key: String, value: AttributeValue) async throws {
        try await setStudyAttribute(studyID: studyID, key: key, value: value, system: false)
    }

    /// Sets (or replaces) a system attribute of a study.
    public func setStudySystemAttribute(studyID: Int, key: String, value: AttributeValue) async throws {
        try await setStudyAttribute(studyID: studyID, key: key, value: value, system: true)
    }

    private func setStudyAttribute(studyID: Int, key: String, value: AttributeValue, system: Bool) async throws {
        let text = PostgresTuningJSON.encode(value)
        try await perform("set study attribute") { connection in
            try await connection.transaction(logger: logger) { connection in
                let found = try await connection.rows(
                    "SELECT 1 FROM forge_tuning_studies WHERE id = \(Int64(studyID)) FOR KEY SHARE", logger: logger)
                guard !found.isEmpty else { throw TuningError.studyNotFound(name: "#\(studyID)") }
                try await connection.rows(
                    """
                    INSERT INTO forge_tuning_study_attributes (study_id, system, key, value)
                    VALUES (\(Int64(studyID)), \(system), \(key), \(text))
                    ON CONFLICT (study_id, system, key) DO UPDATE SET value = EXCLUDED.value
                    """, logger: logger)
            }
        }
    }

    private func studies(id: Int?) async throws -> [StudyRecord] {
        try await perform("read studies") { connection in
            let filter = id.map { Int64($0) }
            let rows = try await connection.rows(
                """
                SELECT id, name, directions FROM forge_tuning_studies
                WHERE \(filter)::int8 IS NULL OR id = \(filter) ORDER BY id
                """, logger: logger)
            var records: [Int: StudyRecord] = [:]
            var order: [Int] = []
            for row in rows {
                let (studyID, name, codes) = try row.decode((Int64, String, [Int64]).self)
                let directions = try codes.map { code in
                    guard let direction = StudyDirection(rawValue: Int(code)) else {
                        throw TuningError.storageFailure(reason: "study '\(name)' has unknown direction \(code)")
                    }
                    return direction
                }
                records[Int(studyID)] = StudyRecord(id: Int(studyID), name: name, directions: directions)
                order.append(Int(studyID))
            }
            guard !order.isEmpty else { return [] }
            let ids = order.map { Int64($0) }
            for row in try await connection.rows(
                """
                SELECT study_id, system, key, value FROM forge_tuning_study_attributes
                WHERE study_id = ANY(\(ids)::int8[])
                """, logger: logger)
            {
                let (studyID, system, key, text) = try row.decode((Int64, Bool, String, String).self)
                let value = try PostgresTuningJSON.decode(text)
                if system {
                    records[Int(studyID)]?.systemAttributes[key] = value
                } else {
                    records[Int(studyID)]?.userAttributes[key] = value
                }
            }
            return order.compactMap { records[$0] }
        }
    }

    // MARK: Plumbing

    /// Leases a connection for `body`, passing ``TuningError`` through and turning database and connection
    /// failures into ``TuningError/storageFailure(reason:)`` naming the operation.
    func perform<Result: Sendable>(
        _ operation: String, _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        do {
            return try await client.withConnection { connection in try await body(connection) }
        } catch let error as TuningError {
            throw error
        } catch let error as PSQLError {
            throw TuningError.storageFailure(reason: "PostgreSQL, \(operation): \(error.readableMessage)")
        } catch let error as PostgresMigrations.NewerSchema {
            throw TuningError.storageFailure(
                reason: "PostgreSQL, \(operation): the database's \(error.component) schema is at version "
                    + "\(error.stored), this version of Forge knows up to \(error.known); upgrade Forge")
        } catch {
            throw TuningError.storageFailure(reason: "PostgreSQL, \(operation): \(error)")
        }
    }
}

/// Attribute and distribution values as JSON text, in ForgeTuning's (and Optuna's) JSON forms.
enum PostgresTuningJSON {
    static func encode(_ value: AttributeValue) -> String { JSONText.encode(value) }

    static func decode(_ text: String) throws -> AttributeValue {
        do {
            return try JSONText.decode(text)
        } catch {
            throw TuningError.storageFailure(reason: "PostgreSQL: a stored attribute is not valid JSON: \(error)")
        }
    }

    static func encode(_ distribution: Distribution) -> String { JSONText.encode(distribution.optunaJSON) }

    static func decodeDistribution(_ text: String, parameter: String) throws -> Distribution {
        try Distribution(optunaJSON: try decode(text), parameter: parameter)
    }
}
