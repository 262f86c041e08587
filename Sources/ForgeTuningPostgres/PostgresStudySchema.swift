import ForgePostgresSupport
import PostgresNIO

/// The study tables and the migrations that create them (run by `PostgresMigrations`: once, even when
/// several workers start at once against an empty database).
///
/// Times are `double precision` seconds since 2001-01-01 (Foundation's reference date), so dates survive
/// bit for bit; objective and intermediate values are `double precision`, which holds NaN; attributes and
/// distributions are JSON text in Optuna's forms.
enum PostgresStudySchema {
    /// The component name in `forge_schema_migrations`.
    static let component = "tuning"

    static let migrations: [[String]] = [
        [
            """
            CREATE TABLE forge_tuning_studies (
                id BIGSERIAL PRIMARY KEY,
                name TEXT NOT NULL UNIQUE,
                directions INT8[] NOT NULL,
                next_trial_number BIGINT NOT NULL DEFAULT 0
            )
            """,
            """
            CREATE TABLE forge_tuning_study_attributes (
                study_id BIGINT NOT NULL REFERENCES forge_tuning_studies(id) ON DELETE CASCADE,
                system BOOLEAN NOT NULL,
                key TEXT NOT NULL,
                value TEXT NOT NULL,
                PRIMARY KEY (study_id, system, key)
            )
            """,
            """
            CREATE TABLE forge_tuning_trials (
                id BIGSERIAL PRIMARY KEY,
                study_id BIGINT NOT NULL REFERENCES forge_tuning_studies(id) ON DELETE CASCADE,
                number BIGINT NOT NULL,
                state INT8 NOT NULL,
                "values" FLOAT8[],
                start_time DOUBLE PRECISION,
                complete_time DOUBLE PRECISION,
                heartbeat DOUBLE PRECISION,
                UNIQUE (study_id, number)
            )
            """,
            "CREATE INDEX forge_tuning_trials_state ON forge_tuning_trials (study_id, state)",
            """
            CREATE TABLE forge_tuning_trial_params (
                trial_id BIGINT NOT NULL REFERENCES forge_tuning_trials(id) ON DELETE CASCADE,
                name TEXT NOT NULL,
                internal_value DOUBLE PRECISION NOT NULL,
                distribution TEXT NOT NULL,
                PRIMARY KEY (trial_id, name)
            )
            """,
            """
            CREATE TABLE forge_tuning_trial_intermediate_values (
                trial_id BIGINT NOT NULL REFERENCES forge_tuning_trials(id) ON DELETE CASCADE,
                step BIGINT NOT NULL,
                value DOUBLE PRECISION NOT NULL,
                PRIMARY KEY (trial_id, step)
            )
            """,
            """
            CREATE TABLE forge_tuning_trial_attributes (
                trial_id BIGINT NOT NULL REFERENCES forge_tuning_trials(id) ON DELETE CASCADE,
                system BOOLEAN NOT NULL,
                key TEXT NOT NULL,
                value TEXT NOT NULL,
                PRIMARY KEY (trial_id, system, key)
            )
            """,
        ]
    ]

    /// Brings the database to the newest study schema; a no-op when it is there already.
    static func migrate(_ connection: PostgresConnection, logger: Logger) async throws {
        _ = try await PostgresMigrations.migrate(
            connection, component: component, migrations: migrations, logger: logger)
    }
}
