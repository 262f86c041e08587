import ForgePostgresTestSupport
import ForgeTrackingPostgres
import PostgresNIO
import Testing

/// Starts one PostgreSQL server for a whole suite and shares it with the suite's tests.
struct PostgresServerTrait: SuiteTrait, TestScoping {
    /// The server of the suite being run.
    @TaskLocal static var current: PostgresTestServer?

    func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        let server = try PostgresTestServer.start()
        defer { server.stop() }
        try await PostgresServerTrait.$current.withValue(server) { try await function() }
    }
}

extension Trait where Self == PostgresServerTrait {
    /// A PostgreSQL server on 127.0.0.1 for the suite (see ``PostgresServerTrait``).
    static var postgresServer: Self { Self() }
}

/// Whether the PostgreSQL server programs are installed; suites are skipped without them.
let postgresAvailable = PostgresTestServer.isAvailable

/// A client configuration for a new, empty database on the suite's server.
func freshDatabase() throws -> PostgresClient.Configuration {
    let server = try #require(PostgresServerTrait.current, "the suite needs the .postgresServer trait")
    let database = try server.createDatabase()
    return PostgresClient.Configuration(
        host: server.host, port: server.port, username: server.user, password: nil, database: database, tls: .disable)
}

/// Runs `body` with a store on a new, empty database.
func withFreshStore(_ body: (PostgresTrackingStore) async throws -> Void) async throws {
    let configuration = try freshDatabase()
    try await PostgresTrackingStore.withStore(configuration: configuration) { store in try await body(store) }
}
