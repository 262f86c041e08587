public import Foundation
import GRDB

/// The embedded default ``TrackingStore``: one SQLite file in WAL mode, safe for several processes at once.
///
/// Every write is one `BEGIN IMMEDIATE` transaction, and every connection waits up to
/// ``busyTimeout`` for a lock instead of failing with "database is locked", so training processes,
/// tuning workers and a report generator can share one file. Readers never block writers (WAL).
/// Searches run in SQL over indexed tables, with a `latest_metrics` table kept in the same transaction
/// as each batch. A process killed at any instant leaves every committed batch readable.
///
/// ```swift
/// let store = try SQLiteTrackingStore(directory: projectURL)   // projectURL/tracking.sqlite
/// let tracker = Tracker(store: store)
/// let run = try await tracker.startRun(experiment: "digits", name: "baseline")
/// try await run.logMetric("loss", 0.31, step: 1)
/// try await run.finish()
/// ```
public final class SQLiteTrackingStore: TrackingStore {
    /// The database file.
    public let url: URL
    /// How long a connection waits for another process's lock before failing.
    public let busyTimeout: TimeInterval
    let pool: DatabasePool

    /// Opens (creating when absent) the database at `url` and brings its schema up to date.
    /// - Parameters:
    ///   - url: The SQLite file; its directory must exist.
    ///   - busyTimeout: Seconds to wait for a lock held by another connection or process.
    /// - Throws: ``TrackingError/storeFailure(store:reason:)`` when the file cannot be opened or migrated.
    public init(url: URL, busyTimeout: TimeInterval = 60) throws {
        self.url = url
        self.busyTimeout = busyTimeout
        var configuration = Configuration()
        configuration.busyMode = .timeout(busyTimeout)
        configuration.label = "ForgeTracking"
        configuration.prepareDatabase { db in
            // WAL + NORMAL: a commit survives the process being killed (the WAL is in the OS cache);
            // only a power loss can drop the last transactions, never corrupt the file.
            if !db.configuration.readonly {
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
            }
            // Readers wait as long as the writer (GRDB gives pool readers 10 s by default).
            try db.execute(sql: "PRAGMA busy_timeout = \(Int(busyTimeout * 1000))")
            SQLiteSchema.registerFunctions(db)
        }
        let description = "SQLite tracking store \(url.path)"
        do {
            pool = try DatabasePool(path: url.path, configuration: configuration)
        } catch {
            throw TrackingError.storeFailure(store: description, reason: "cannot open: \(error)")
        }
        try Self.migrate(pool, description: description)
    }

    /// Opens the project directory `directory`: `tracking.sqlite` inside it (both created when absent).
    public convenience init(directory: URL, busyTimeout: TimeInterval = 60) throws {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw TrackingError.storeFailure(
                store: "SQLite tracking store \(directory.path)", reason: "cannot create the directory: \(error)")
        }
        try self.init(url: directory.appendingPathComponent("tracking.sqlite"), busyTimeout: busyTimeout)
    }

    /// Runs the migrations; a process that loses the race to migrate a new file sees the winner's schema.
    private static func migrate(_ pool: DatabasePool, description: String) throws {
        let migrator = SQLiteSchema.migrator
        for attempt in 0..<3 {
            do {
                try migrator.migrate(pool)
                return
            } catch {
                if (try? pool.read(migrator.hasCompletedMigrations)) == true { return }
                if attempt == 2 {
                    throw TrackingError.storeFailure(store: description, reason: "cannot migrate the schema: \(error)")
                }
            }
        }
    }

    /// Checks the file with `PRAGMA integrity_check`; returns SQLite's problem lines, empty when sound.
    public func integrityProblems() async throws -> [String] {
        let lines = try await read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
        return lines == ["ok"] ? [] : lines
    }

    // MARK: Experiments

    /// Creates an experiment.
    public func createExperiment(named name: String, tags: [String: String]) async throws -> Experiment {
        try TrackingValidation.validateKey(name, kind: "experiment")
        for (key, value) in tags { try TrackingValidation.validateTag(key: key, value: value) }
        let tagsJSON = try SQLiteCoding.encode(tags)
        let now = Date()
        return try await write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM experiments WHERE name = ?", arguments: [name]) == true {
                throw TrackingError.experimentExists(name)
            }
            try db.execute(
                sql: "INSERT INTO experiments (name, creation_time, tags) VALUES (?, ?, ?)",
                arguments: [name, now.timeIntervalSinceReferenceDate, tagsJSON])
            return Experiment(id: String(db.lastInsertedRowID), name: name, tags: tags, creationTime: now)
        }
    }

    /// The experiment with `id`.
    public func experiment(id: String) async throws -> Experiment {
        guard let key = Int64(id), let found = try await experiments(where: "id = ?", [key]).first else {
            throw TrackingError.experimentNotFound(id)
        }
        return found
    }

    /// The experiment named `name`, or nil.
    public func experiment(named name: String) async throws -> Experiment? {
        try await experiments(where: "name = ?", [name]).first
    }

    /// Every experiment, oldest first.
    public func experiments() async throws -> [Experiment] {
        try await experiments(where: "1", [])
    }

    private func experiments(where condition: String, _ arguments: StatementArguments) async throws -> [Experiment] {
        try await read { db in
            try Row.fetchAll(
                db, sql: "SELECT id, name, creation_time, tags FROM experiments WHERE \(condition) ORDER BY id",
                arguments: arguments
            ).map { row in
                Experiment(
                    id: String(row[0] as Int64), name: row[1],
                    tags: try SQLiteCoding.decode([String: String].self, from: row[3], what: "experiment tags"),
                    creationTime: Date(timeIntervalSinceReferenceDate: row[2]))
            }
        }
    }

    // MARK: Runs

    /// Creates a running run.
    public func createRun(_ draft: RunDraft) async throws -> RunInfo {
        for (key, value) in draft.tags { try TrackingValidation.validateTag(key: key, value: value) }
        guard let experimentKey = Int64(draft.experimentID) else {
            throw TrackingError.experimentNotFound(draft.experimentID)
        }
        let info = RunInfo(
            id: TrackingIdentifiers.newRunID(), experimentID: draft.experimentID, name: draft.name, status: .running,
            startTime: draft.startTime, user: draft.user, host: draft.host, source: draft.source,
            gitCommit: draft.gitCommit, parentRunID: draft.parentRunID)
        return try await write { db in
            guard
                try Bool.fetchOne(db, sql: "SELECT 1 FROM experiments WHERE id = ?", arguments: [experimentKey]) == true
            else { throw TrackingError.experimentNotFound(draft.experimentID) }
            if let parent = draft.parentRunID,
                try Bool.fetchOne(db, sql: "SELECT 1 FROM runs WHERE id = ?", arguments: [parent]) != true
            {
                throw TrackingError.runNotFound(parent)
            }
            try db.execute(
                sql: """
                    INSERT INTO runs (id, experiment_id, name, status, start_time, user, host, source, git_commit,
                                      parent_run_id)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    info.id, experimentKey, info.name, info.status.rawValue,
                    info.startTime.timeIntervalSinceReferenceDate,
                    info.user, info.host, info.source, info.gitCommit, info.parentRunID,
                ])
            let runKey = db.lastInsertedRowID
            for (key, value) in draft.tags {
                try db.execute(
                    sql: "INSERT INTO tags (run_key, key, value) VALUES (?, ?, ?)", arguments: [runKey, key, value])
            }
            return info
        }
    }

    /// Sets status and end time.
    public func updateRun(id: String, status: RunStatus, endTime: Date?) async throws {
        try await write { db in
            try db.execute(
                sql: "UPDATE runs SET status = ?, end_time = ? WHERE id = ?",
                arguments: [status.rawValue, endTime?.timeIntervalSinceReferenceDate, id])
            if db.changesCount == 0 { throw TrackingError.runNotFound(id) }
        }
    }

    /// The run with `id`, with params, tags, latest metrics and inputs.
    public func run(id: String) async throws -> Run {
        try await read { db in
            guard let run = try SQLiteRunLoader.runs(db, where: "r.id = ?", arguments: [id]).first else {
                throw TrackingError.runNotFound(id)
            }
            return run
        }
    }

    /// Deletes a run and everything logged to it.
    public func deleteRun(id: String) async throws {
        try await write { db in
            try db.execute(sql: "DELETE FROM runs WHERE id = ?", arguments: [id])
            if db.changesCount == 0 { throw TrackingError.runNotFound(id) }
        }
    }

    // MARK: Access

    /// Runs `body` in one `IMMEDIATE` transaction; tracking errors pass through, SQLite errors are wrapped.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await pool.write(body)
        } catch let error as TrackingError {
            throw error
        } catch {
            throw TrackingError.storeFailure(store: "SQLite tracking store \(url.path)", reason: "\(error)")
        }
    }

    /// Runs `body` on a WAL snapshot; tracking errors pass through, SQLite errors are wrapped.
    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await pool.read(body)
        } catch let error as TrackingError {
            throw error
        } catch {
            throw TrackingError.storeFailure(store: "SQLite tracking store \(url.path)", reason: "\(error)")
        }
    }

    /// The integer key of run `id`, or ``TrackingError/runNotFound(_:)``.
    static func runKey(_ db: Database, _ id: String) throws -> Int64 {
        guard let key = try Int64.fetchOne(db, sql: "SELECT run_key FROM runs WHERE id = ?", arguments: [id]) else {
            throw TrackingError.runNotFound(id)
        }
        return key
    }
}

extension Tracker {
    /// A tracker over a local project directory: `tracking.sqlite` and an `artifacts` object directory
    /// inside `directory` (all created when absent).
    ///
    /// ```swift
    /// let tracker = try Tracker.local(at: URL(fileURLWithPath: "runs"))
    /// ```
    public static func local(at directory: URL, mode: LoggingMode = .default) throws -> Tracker {
        let store = try SQLiteTrackingStore(directory: directory)
        let artifacts: ArtifactRepository
        do {
            artifacts = try ArtifactRepository(directory: directory.appendingPathComponent("artifacts"))
        } catch {
            throw TrackingError.artifact(path: directory.appendingPathComponent("artifacts").path, reason: "\(error)")
        }
        return Tracker(store: store, artifactRepository: artifacts, mode: mode)
    }
}

/// JSON columns: sorted keys for stable files, errors naming the column.
enum SQLiteCoding {
    static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, from text: String, what: String) throws -> T {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        do {
            return try decoder.decode(type, from: Data(text.utf8))
        } catch {
            throw TrackingError.storeFailure(store: "SQLite tracking store", reason: "unreadable \(what): \(error)")
        }
    }
}
