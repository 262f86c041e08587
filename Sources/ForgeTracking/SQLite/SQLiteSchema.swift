import Foundation
import GRDB

/// The SQLite tracking schema, its migrations, and the SQL functions search uses.
///
/// Layout: runs have an integer `run_key` (the join key every child table uses, so indexes stay small)
/// and the public 32-hex-digit `id`. `latest_metrics` holds one row per run and metric key, maintained
/// in the same transaction as `metrics`, so searches never scan histories. SQLite turns a stored NaN into
/// NULL, so metric values carry an `is_nan` flag and NaN rows store NULL with `is_nan = 1`.
///
/// Indexes follow the searches: `runs(experiment_id, start_time DESC, id)` is the default search order;
/// the `(run_key, key)` primary keys of `params`, `tags` and `latest_metrics` serve the filters' `EXISTS`
/// lookups and the orderings' joins; `metrics(run_key, key, step, timestamp)` returns histories in order.
enum SQLiteSchema {
    /// The migrations, in order. Statements are idempotent (`IF NOT EXISTS`) so two processes racing to
    /// create one file cannot fail half-way.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-tracking", foreignKeyChecks: .immediate) { db in
            try db.execute(
                sql: """
                    CREATE TABLE IF NOT EXISTS experiments (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        name TEXT NOT NULL UNIQUE,
                        creation_time REAL NOT NULL,
                        tags TEXT NOT NULL DEFAULT '{}'
                    );
                    CREATE TABLE IF NOT EXISTS runs (
                        run_key INTEGER PRIMARY KEY,
                        id TEXT NOT NULL UNIQUE,
                        experiment_id INTEGER NOT NULL REFERENCES experiments(id),
                        name TEXT NOT NULL,
                        status TEXT NOT NULL,
                        start_time REAL NOT NULL,
                        end_time REAL,
                        user TEXT NOT NULL,
                        host TEXT NOT NULL,
                        source TEXT NOT NULL,
                        git_commit TEXT,
                        parent_run_id TEXT
                    );
                    CREATE INDEX IF NOT EXISTS runs_by_experiment ON runs(experiment_id, start_time DESC, id);
                    CREATE INDEX IF NOT EXISTS runs_by_parent ON runs(parent_run_id) WHERE parent_run_id IS NOT NULL;
                    CREATE TABLE IF NOT EXISTS params (
                        run_key INTEGER NOT NULL REFERENCES runs(run_key) ON DELETE CASCADE,
                        key TEXT NOT NULL,
                        value TEXT NOT NULL,
                        PRIMARY KEY (run_key, key)
                    ) WITHOUT ROWID;
                    CREATE TABLE IF NOT EXISTS tags (
                        run_key INTEGER NOT NULL REFERENCES runs(run_key) ON DELETE CASCADE,
                        key TEXT NOT NULL,
                        value TEXT NOT NULL,
                        PRIMARY KEY (run_key, key)
                    ) WITHOUT ROWID;
                    CREATE TABLE IF NOT EXISTS metrics (
                        run_key INTEGER NOT NULL REFERENCES runs(run_key) ON DELETE CASCADE,
                        key TEXT NOT NULL,
                        value REAL,
                        is_nan INTEGER NOT NULL DEFAULT 0,
                        step INTEGER NOT NULL,
                        timestamp REAL NOT NULL
                    );
                    CREATE INDEX IF NOT EXISTS metrics_history ON metrics(run_key, key, step, timestamp);
                    CREATE TABLE IF NOT EXISTS latest_metrics (
                        run_key INTEGER NOT NULL REFERENCES runs(run_key) ON DELETE CASCADE,
                        key TEXT NOT NULL,
                        value REAL,
                        is_nan INTEGER NOT NULL DEFAULT 0,
                        step INTEGER NOT NULL,
                        timestamp REAL NOT NULL,
                        PRIMARY KEY (run_key, key)
                    ) WITHOUT ROWID;
                    CREATE TABLE IF NOT EXISTS inputs (
                        run_key INTEGER NOT NULL REFERENCES runs(run_key) ON DELETE CASCADE,
                        name TEXT NOT NULL,
                        digest TEXT NOT NULL,
                        context TEXT NOT NULL,
                        document TEXT NOT NULL,
                        UNIQUE (run_key, name, digest, context)
                    );
                    CREATE TABLE IF NOT EXISTS training_metadata (
                        run_key INTEGER PRIMARY KEY REFERENCES runs(run_key) ON DELETE CASCADE,
                        document TEXT NOT NULL
                    );
                    CREATE TABLE IF NOT EXISTS artifacts (
                        run_key INTEGER NOT NULL REFERENCES runs(run_key) ON DELETE CASCADE,
                        path TEXT NOT NULL,
                        digest TEXT NOT NULL,
                        size INTEGER NOT NULL,
                        PRIMARY KEY (run_key, path)
                    ) WITHOUT ROWID;
                    """)
        }
        return migrator
    }

    /// Registers the functions search SQL calls, on every connection.
    ///
    /// `forge_number(text)` is Swift's `Double(text)` (NULL when it does not parse or is NaN) and
    /// `forge_is_number(text)` says whether it parses at all; `forge_like(text, pattern, caseInsensitive)`
    /// is the in-memory store's `LIKE`. Using Swift's own parsing keeps SQL search identical to
    /// ``RunFilter/matches(_:)``.
    static func registerFunctions(_ db: Database) {
        db.add(
            function: DatabaseFunction("forge_number", argumentCount: 1, pure: true) { values in
                guard let text = String.fromDatabaseValue(values[0]), let number = Double(text), !number.isNaN else {
                    return nil
                }
                return number
            })
        db.add(
            function: DatabaseFunction("forge_is_number", argumentCount: 1, pure: true) { values in
                guard let text = String.fromDatabaseValue(values[0]) else { return false }
                return Double(text) != nil
            })
        db.add(
            function: DatabaseFunction("forge_like", argumentCount: 3, pure: true) { values in
                guard let text = String.fromDatabaseValue(values[0]), let pattern = String.fromDatabaseValue(values[1])
                else { return false }
                let caseInsensitive = Bool.fromDatabaseValue(values[2]) ?? false
                return LikePattern(pattern, caseInsensitive: caseInsensitive).matches(text)
            })
    }
}
