import ForgePostgresSupport
import PostgresNIO

/// The tracking tables and the migrations that create them (run by ``PostgresMigrations``: once, even
/// when several processes start at once against an empty database).
enum PostgresTrackingSchema {
    /// The component name in `forge_schema_migrations`.
    static let component = "tracking"

    /// Migration `n` (1-based) brings the schema from version `n - 1` to `n`.
    static let migrations: [[String]] = [
        [
            """
            CREATE TABLE forge_tracking_experiments (
                id BIGSERIAL PRIMARY KEY,
                name TEXT NOT NULL UNIQUE,
                tags TEXT NOT NULL DEFAULT '{}',
                creation_time DOUBLE PRECISION NOT NULL
            )
            """,
            """
            CREATE TABLE forge_tracking_runs (
                id TEXT PRIMARY KEY,
                experiment_id BIGINT NOT NULL REFERENCES forge_tracking_experiments(id) ON DELETE CASCADE,
                name TEXT NOT NULL,
                status TEXT NOT NULL,
                start_time DOUBLE PRECISION NOT NULL,
                end_time DOUBLE PRECISION,
                user_name TEXT NOT NULL,
                host TEXT NOT NULL,
                source TEXT NOT NULL,
                git_commit TEXT,
                parent_run_id TEXT,
                training_metadata TEXT
            )
            """,
            "CREATE INDEX forge_tracking_runs_experiment ON forge_tracking_runs (experiment_id, start_time DESC)",
            """
            CREATE TABLE forge_tracking_params (
                run_id TEXT NOT NULL REFERENCES forge_tracking_runs(id) ON DELETE CASCADE,
                key TEXT NOT NULL,
                value TEXT NOT NULL,
                PRIMARY KEY (run_id, key)
            )
            """,
            """
            CREATE TABLE forge_tracking_tags (
                run_id TEXT NOT NULL REFERENCES forge_tracking_runs(id) ON DELETE CASCADE,
                key TEXT NOT NULL,
                value TEXT NOT NULL,
                PRIMARY KEY (run_id, key)
            )
            """,
            """
            CREATE TABLE forge_tracking_metrics (
                sequence BIGSERIAL PRIMARY KEY,
                run_id TEXT NOT NULL REFERENCES forge_tracking_runs(id) ON DELETE CASCADE,
                key TEXT NOT NULL,
                value DOUBLE PRECISION NOT NULL,
                step BIGINT NOT NULL,
                timestamp DOUBLE PRECISION NOT NULL
            )
            """,
            "CREATE INDEX forge_tracking_metrics_history ON forge_tracking_metrics (run_id, key, step, timestamp, sequence)",
            """
            CREATE TABLE forge_tracking_latest_metrics (
                run_id TEXT NOT NULL REFERENCES forge_tracking_runs(id) ON DELETE CASCADE,
                key TEXT NOT NULL,
                value DOUBLE PRECISION NOT NULL,
                step BIGINT NOT NULL,
                timestamp DOUBLE PRECISION NOT NULL,
                PRIMARY KEY (run_id, key)
            )
            """,
            """
            CREATE TABLE forge_tracking_inputs (
                sequence BIGSERIAL PRIMARY KEY,
                run_id TEXT NOT NULL REFERENCES forge_tracking_runs(id) ON DELETE CASCADE,
                name TEXT NOT NULL,
                digest TEXT NOT NULL,
                context TEXT NOT NULL,
                body TEXT NOT NULL,
                UNIQUE (run_id, name, digest, context)
            )
            """,
            """
            CREATE TABLE forge_tracking_artifacts (
                run_id TEXT NOT NULL REFERENCES forge_tracking_runs(id) ON DELETE CASCADE,
                path TEXT NOT NULL,
                digest TEXT NOT NULL,
                size BIGINT NOT NULL,
                PRIMARY KEY (run_id, path)
            )
            """,
            #"""
            CREATE FUNCTION forge_tracking_number(value TEXT) RETURNS DOUBLE PRECISION
            LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $body$
            BEGIN
                IF value ~ '^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$' THEN
                    BEGIN
                        RETURN value::double precision;
                    EXCEPTION WHEN numeric_value_out_of_range THEN
                        -- Swift's Double(_:) reads overflow as infinity and underflow as zero.
                        IF value ~ '[eE]-' THEN RETURN 0; END IF;
                        IF left(value, 1) = '-' THEN RETURN '-Infinity'; END IF;
                        RETURN 'Infinity';
                    END;
                ELSIF lower(value) IN ('nan', '+nan', '-nan') THEN RETURN 'NaN';
                ELSIF lower(value) IN ('inf', '+inf', 'infinity', '+infinity') THEN RETURN 'Infinity';
                ELSIF lower(value) IN ('-inf', '-infinity') THEN RETURN '-Infinity';
                END IF;
                RETURN NULL;
            END
            $body$
            """#,
        ]
    ]

    /// The schema version this build writes.
    static var currentVersion: Int { migrations.count }

    /// Brings the database to ``currentVersion``; a no-op when it is there already.
    /// - Throws: `TrackingError.storeFailure` when the database is at a newer version.
    static func migrate(_ connection: PostgresConnection, logger: Logger) async throws -> Int {
        try await PostgresMigrations.migrate(
            connection, component: component, migrations: migrations, logger: logger)
    }
}
