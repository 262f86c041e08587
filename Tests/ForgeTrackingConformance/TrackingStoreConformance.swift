// ForgeTrackingConformance — the behaviour every TrackingStore must have, as named cases any test runs.
//
// How to use it for a new store (Postgres, MLflow, your own):
//
//     import ForgeTrackingConformance
//     import Testing
//
//     @Test(arguments: TrackingStoreConformance.cases)
//     func conformance(_ conformanceCase: ConformanceCase) async throws {
//         try await conformanceCase.run(try await makeMyStore())
//     }
//
// Every case creates its own experiment under a unique name, so one store (one database, one server)
// can serve all cases, in any order, also concurrently. A case throws a `ConformanceFailure` naming the
// case, what differed and the values, or the store's own error when a call that must succeed throws.
// The reference semantics are `InMemoryTrackingStore`'s; search results are also checked against
// `RunFilter.matches` and `RunOrdering.sort` applied to the store's own runs.
// Timestamps in the cases are whole milliseconds and compared to the millisecond, so stores that keep
// milliseconds (MLflow) pass.
public import ForgeTracking

/// The conformance suite: every case of the ``TrackingStore`` contract.
public enum TrackingStoreConformance {
    /// All cases, in a stable order.
    public static let cases: [ConformanceCase] =
        experimentCases + runCases + loggingCases + recordCases + searchCases

    /// The case named `name`, for running one case on its own.
    public static func named(_ name: String) -> ConformanceCase? { cases.first { $0.name == name } }

    /// Runs every case against stores from `makeStore`, collecting failures instead of stopping at the first.
    /// - Returns: one entry per failed case: its name and the error.
    public static func runAll(_ makeStore: @Sendable () async throws -> any TrackingStore) async
        -> [(name: String, error: any Error)]
    {
        var failures: [(name: String, error: any Error)] = []
        for conformanceCase in cases {
            do {
                try await conformanceCase.run(try await makeStore())
            } catch {
                failures.append((conformanceCase.name, error))
            }
        }
        return failures
    }
}

/// One named check of the store contract.
public struct ConformanceCase: Sendable, CustomStringConvertible {
    /// A stable, descriptive name (`params are immutable and a conflicting batch stores nothing`).
    public let name: String
    /// The check; throws ``ConformanceFailure`` on a mismatch.
    public let body: @Sendable (any TrackingStore) async throws -> Void

    /// Creates a case.
    public init(_ name: String, _ body: @escaping @Sendable (any TrackingStore) async throws -> Void) {
        self.name = name
        self.body = body
    }

    /// Runs the case against `store`; failures carry the case name.
    public func run(_ store: any TrackingStore) async throws {
        do {
            try await body(store)
        } catch var failure as ConformanceFailure {
            failure.caseName = name
            throw failure
        }
    }

    /// The case name (shown by test runners for parameterized tests).
    public var description: String { name }
}

/// A store behaved differently from the contract: what was checked, what was expected and what came back.
public struct ConformanceFailure: Error, Sendable, CustomStringConvertible {
    /// The case that failed (filled in by ``ConformanceCase/run(_:)``).
    public var caseName: String?
    /// What differed, with the values.
    public var message: String
    /// Where in the suite the check is.
    public var location: String

    /// Creates a failure.
    public init(_ message: String, caseName: String? = nil, fileID: String = #fileID, line: Int = #line) {
        self.caseName = caseName
        self.message = message
        self.location = "\(fileID):\(line)"
    }

    /// `[case] message (file:line)`.
    public var description: String { "[\(caseName ?? "conformance")] \(message) (\(location))" }
}
