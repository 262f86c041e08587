package import PostgresNIO

/// The migration runner every Forge PostgreSQL store shares.
///
/// Each run is one transaction under a transaction-level advisory lock (one key for every component, so
/// tracking and tuning stores starting together against an empty database do not race to create the
/// version table); the version reached is kept per component in `forge_schema_migrations`, and a database
/// at a newer version than this build knows is refused rather than written to.
package enum PostgresMigrations {
    /// The advisory-lock key that serializes schema changes ("ForgeSch").
    package static let lockKey: Int64 = 0x466F_7267_6553_6368

    /// A database whose stored version is newer than the migrations this build knows.
    package struct NewerSchema: Error {
        /// The component whose schema is newer.
        package var component: String
        /// The version in the database.
        package var stored: Int
        /// The newest version this build knows.
        package var known: Int
    }

    /// Applies the migrations after the stored version and returns the version reached.
    ///
    /// Migration `n` (1-based) brings the schema from version `n - 1` to `n`.
    package static func migrate(
        _ connection: PostgresConnection, component: String, migrations: [[String]], logger: Logger
    ) async throws -> Int {
        try await connection.transaction(logger: logger) { connection in
            try await connection.rows("SELECT pg_advisory_xact_lock(\(lockKey))", logger: logger)
            try await connection.rows(
                """
                CREATE TABLE IF NOT EXISTS forge_schema_migrations (
                    component TEXT PRIMARY KEY,
                    version INTEGER NOT NULL,
                    applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
                )
                """, logger: logger)
            let stored =
                try await connection.rows(
                    "SELECT version FROM forge_schema_migrations WHERE component = \(component)", logger: logger
                ).first.map { try $0.decode(Int.self) } ?? 0
            guard stored <= migrations.count else {
                throw NewerSchema(component: component, stored: stored, known: migrations.count)
            }
            for statements in migrations[stored...] {
                for statement in statements {
                    try await connection.rows(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
            }
            if stored < migrations.count {
                try await connection.rows(
                    """
                    INSERT INTO forge_schema_migrations (component, version) VALUES (\(component), \(migrations.count))
                    ON CONFLICT (component) DO UPDATE SET version = EXCLUDED.version, applied_at = now()
                    """, logger: logger)
            }
            return migrations.count
        }
    }
}
