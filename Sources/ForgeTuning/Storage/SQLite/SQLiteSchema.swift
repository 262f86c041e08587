import GRDB

/// The tables of ``SQLiteStudyStorage``. Attributes, directions, values and distributions are JSON text;
/// NaN values are stored as NULL (SQLite has no NaN) and read back as NaN.
enum SQLiteSchema {
    static let version = 1

    static let statements = [
        """
        CREATE TABLE IF NOT EXISTS studies (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            name TEXT NOT NULL UNIQUE,
            directions TEXT NOT NULL
        )
        """,
        """
        CREATE TABLE IF NOT EXISTS study_attributes (
            study_id INTEGER NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
            system INTEGER NOT NULL,
            key TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (study_id, system, key)
        )
        """,
        """
        CREATE TABLE IF NOT EXISTS trials (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            study_id INTEGER NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
            number INTEGER NOT NULL,
            state INTEGER NOT NULL,
            objective_values TEXT,
            start_date REAL,
            complete_date REAL,
            UNIQUE (study_id, number)
        )
        """,
        "CREATE INDEX IF NOT EXISTS trials_by_study_state ON trials(study_id, state)",
        """
        CREATE TABLE IF NOT EXISTS trial_params (
            trial_id INTEGER NOT NULL REFERENCES trials(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            internal_value REAL NOT NULL,
            distribution TEXT NOT NULL,
            PRIMARY KEY (trial_id, name)
        )
        """,
        """
        CREATE TABLE IF NOT EXISTS trial_intermediate_values (
            trial_id INTEGER NOT NULL REFERENCES trials(id) ON DELETE CASCADE,
            step INTEGER NOT NULL,
            value REAL,
            PRIMARY KEY (trial_id, step)
        )
        """,
        """
        CREATE TABLE IF NOT EXISTS trial_attributes (
            trial_id INTEGER NOT NULL REFERENCES trials(id) ON DELETE CASCADE,
            system INTEGER NOT NULL,
            key TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (trial_id, system, key)
        )
        """,
    ]

    /// Creates the tables if they are missing (idempotent, so concurrent first opens are safe).
    static func create(_ db: Database) throws {
        for statement in statements { try db.execute(sql: statement) }
        let current = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
        if current < version { try db.execute(sql: "PRAGMA user_version = \(version)") }
    }
}
