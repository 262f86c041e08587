import Foundation
import GRDB

/// A study storage in an SQLite database (through GRDB, in WAL mode): durable, and shared safely by
/// several processes on one machine. Trial numbers are allocated inside `IMMEDIATE` transactions, so two
/// processes never get the same number; a busy database is retried for up to `busyTimeout` seconds.
///
/// ```swift
/// let storage = try SQLiteStudyStorage(path: "studies.sqlite")
/// let study = try await Study.create(name: "mlp", storage: storage, sampler: TPESampler(), loadIfExists: true)
/// ```
///
/// Finished trials never change, so they are cached in memory after the first read.
public final class SQLiteStudyStorage: StudyStorage {
    /// The database file's path.
    public let path: String
    private let pool: DatabasePool
    let cache = FinishedTrialCache()

    /// Opens (or creates) the database at `path`.
    /// - Parameters:
    ///   - path: the database file.
    ///   - busyTimeout: seconds to wait for another process's write lock.
    /// - Throws: ``TuningError/storageFailure(reason:)`` when the database cannot be opened or created.
    public init(path: String, busyTimeout: Double = 30) throws {
        self.path = path
        var configuration = Configuration()
        configuration.busyMode = .timeout(busyTimeout)
        configuration.foreignKeysEnabled = true
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            try pool.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    try SQLiteSchema.create(db)
                    return .commit
                }
            }
        } catch {
            throw TuningError.storageFailure(reason: "cannot open the SQLite study database \(path): \(error)")
        }
    }

    /// Runs `body` in an IMMEDIATE transaction (the write lock is taken at the start).
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await pool.writeWithoutTransaction { db in
                var result: T?
                try db.inTransaction(.immediate) {
                    result = try body(db)
                    return .commit
                }
                guard let result else { throw TuningError.storageFailure(reason: "\(self.path): empty transaction") }
                return result
            }
        } catch let error as TuningError {
            throw error
        } catch let error as DatabaseError {
            throw TuningError.storageFailure(reason: "\(path): \(error)")
        }
    }

    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await pool.read(body)
        } catch let error as DatabaseError {
            throw TuningError.storageFailure(reason: "\(path): \(error)")
        }
    }

    // MARK: Studies

    /// Creates a study.
    public func createStudy(name: String, directions: [StudyDirection]) async throws -> Int {
        guard !directions.isEmpty else { throw TuningError.invalidArgument(reason: "study '\(name)' needs a direction") }
        let encoded = JSONText.encode(.array(directions.map { .int($0.rawValue) }))
        return try await write { db in
            if try Int.fetchOne(db, sql: "SELECT id FROM studies WHERE name = ?", arguments: [name]) != nil {
                throw TuningError.studyAlreadyExists(name: name)
            }
            try db.execute(sql: "INSERT INTO studies (name, directions) VALUES (?, ?)", arguments: [name, encoded])
            return Int(db.lastInsertedRowID)
        }
    }

    /// The id of the study called `name`.
    public func studyID(named name: String) async throws -> Int {
        let id = try await read { db in try Int.fetchOne(db, sql: "SELECT id FROM studies WHERE name = ?", arguments: [name]) }
        guard let id else { throw TuningError.studyNotFound(name: name) }
        return id
    }

    /// The record of study `id`.
    public func study(id: Int) async throws -> StudyRecord {
        guard let record = try await read({ db in try Self.studies(db, id: id).first }) else {
            throw TuningError.studyNotFound(name: "#\(id)")
        }
        return record
    }

    /// Every study.
    public func allStudies() async throws -> [StudyRecord] {
        try await read { db in try Self.studies(db, id: nil) }
    }

    private static func studies(_ db: Database, id: Int?) throws -> [StudyRecord] {
        let filter = id == nil ? "" : " WHERE id = \(id ?? 0)"
        var records: [StudyRecord] = []
        for row in try Row.fetchAll(db, sql: "SELECT id, name, directions FROM studies\(filter) ORDER BY id") {
            var directions: [StudyDirection] = []
            if case .array(let codes) = try JSONText.decode(row["directions"]) {
                directions = codes.compactMap { value in
                    if case .int(let code) = value { return StudyDirection(rawValue: code) }
                    return nil
                }
            }
            var record = StudyRecord(id: row["id"], name: row["name"], directions: directions)
            let attributes = try Row.fetchAll(
                db, sql: "SELECT system, key, value FROM study_attributes WHERE study_id = ?", arguments: [record.id])
            for attribute in attributes {
                let value = try JSONText.decode(attribute["value"])
                if (attribute["system"] as Int) == 1 {
                    record.systemAttributes[attribute["key"]] = value
                } else {
                    record.userAttributes[attribute["key"]] = value
                }
            }
            records.append(record)
        }
        return records
    }

    /// Deletes a study and its trials.
    public func deleteStudy(id: Int) async throws {
        try await write { db in
            try db.execute(sql: "DELETE FROM studies WHERE id = ?", arguments: [id])
            if db.changesCount == 0 { throw TuningError.studyNotFound(name: "#\(id)") }
        }
    }

    /// Sets a study user attribute.
    public func setStudyUserAttribute(studyID: Int, key: String, value: AttributeValue) async throws {
        try await setStudyAttribute(studyID: studyID, key: key, value: value, system: false)
    }

    /// Sets a study system attribute.
    public func setStudySystemAttribute(studyID: Int, key: String, value: AttributeValue) async throws {
        try await setStudyAttribute(studyID: studyID, key: key, value: value, system: true)
    }

    private func setStudyAttribute(studyID: Int, key: String, value: AttributeValue, system: Bool) async throws {
        let encoded = JSONText.encode(value)
        try await write { db in
            guard try Int.fetchOne(db, sql: "SELECT id FROM studies WHERE id = ?", arguments: [studyID]) != nil else {
                throw TuningError.studyNotFound(name: "#\(studyID)")
            }
            try db.execute(
                sql: "INSERT OR REPLACE INTO study_attributes (study_id, system, key, value) VALUES (?, ?, ?, ?)",
                arguments: [studyID, system ? 1 : 0, key, encoded])
        }
    }
}
