import ForgeTracking
import ForgeTrackingConformance
import ForgeTrackingPostgres
import Testing

extension PostgresTrackingTests {
    /// The PostgreSQL store through the shared ``TrackingStoreConformance`` suite.
    @Suite("TrackingStore conformance")
    struct Conformance {
        @Test("PostgreSQL store", arguments: TrackingStoreConformance.cases)
        func postgres(_ conformanceCase: ConformanceCase) async throws {
            try await withFreshStore { store in try await conformanceCase.run(store) }
        }

        @Test("one database serves every case, run concurrently")
        func sharedDatabase() async throws {
            try await withFreshStore { store in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for conformanceCase in TrackingStoreConformance.cases {
                        group.addTask { try await conformanceCase.run(store) }
                    }
                    try await group.waitForAll()
                }
            }
        }
    }
}
