import ForgeTracking
import Foundation

/// Checks used by the cases; each throws a ``ConformanceFailure`` with the values that differed.
enum Check {
    static func that(
        _ condition: Bool, _ message: @autoclosure () -> String, fileID: String = #fileID, line: Int = #line
    )
        throws
    {
        if !condition { throw ConformanceFailure(message(), fileID: fileID, line: line) }
    }

    static func equal<T: Equatable>(
        _ actual: T, _ expected: T, _ what: String, fileID: String = #fileID, line: Int = #line
    ) throws {
        if actual != expected {
            throw ConformanceFailure("\(what): expected \(expected), got \(actual)", fileID: fileID, line: line)
        }
    }

    /// Two instants within a millisecond (stores may keep milliseconds only).
    static func sameInstant(
        _ actual: Date?, _ expected: Date?, _ what: String, fileID: String = #fileID, line: Int = #line
    )
        throws
    {
        switch (actual, expected) {
        case (nil, nil): return
        case (let actual?, let expected?) where abs(actual.timeIntervalSince(expected)) < 0.001: return
        default:
            throw ConformanceFailure(
                "\(what): expected \(describe(expected)), got \(describe(actual))", fileID: fileID, line: line)
        }
    }

    /// Metric lists equal key by key, value (NaN equals NaN), step and timestamp (to the millisecond).
    static func sameMetrics(
        _ actual: [Metric], _ expected: [Metric], _ what: String, fileID: String = #fileID, line: Int = #line
    )
        throws
    {
        let matches =
            actual.count == expected.count
            && zip(actual, expected).allSatisfy { a, b in
                a.key == b.key && a.step == b.step && abs(a.timestamp.timeIntervalSince(b.timestamp)) < 0.001
                    && (a.value == b.value || (a.value.isNaN && b.value.isNaN))
            }
        if !matches {
            throw ConformanceFailure(
                "\(what): expected \(expected.map(describe)), got \(actual.map(describe))", fileID: fileID, line: line)
        }
    }

    /// `body` must throw an error `accept` recognizes.
    static func throwsError(
        _ what: String, fileID: String = #fileID, line: Int = #line, accept: (any Error) -> Bool,
        _ body: () async throws -> Void
    ) async throws {
        do {
            try await body()
        } catch {
            if accept(error) { return }
            throw ConformanceFailure("\(what): threw an unexpected error: \(error)", fileID: fileID, line: line)
        }
        throw ConformanceFailure("\(what): expected an error, but the call succeeded", fileID: fileID, line: line)
    }

    static func describe(_ date: Date?) -> String {
        date.map { String(format: "%.3f", $0.timeIntervalSince1970) } ?? "nil"
    }

    static func describe(_ metric: Metric) -> String {
        "\(metric.key)@\(metric.step)=\(metric.value) t=\(describe(metric.timestamp))"
    }
}

/// Error predicates for ``Check/throwsError(_:fileID:line:accept:_:)``.
enum Expected {
    static func runNotFound(_ error: any Error) -> Bool {
        if case TrackingError.runNotFound = error { return true }
        return false
    }
    static func experimentNotFound(_ error: any Error) -> Bool {
        if case TrackingError.experimentNotFound = error { return true }
        return false
    }
    static func invalidKey(_ error: any Error) -> Bool {
        if case TrackingError.invalidKey = error { return true }
        return false
    }
    static func invalidValue(_ error: any Error) -> Bool {
        if case TrackingError.invalidValue = error { return true }
        return false
    }
    static func anyTrackingError(_ error: any Error) -> Bool { error is TrackingError }
}

/// Fixtures: unique experiment names, whole-millisecond times, drafts with every field set.
enum Fixture {
    /// A fixed base time with whole milliseconds (2025-06-15).
    static let baseTime = Date(timeIntervalSince1970: 1_750_000_000)

    /// `baseTime + milliseconds`.
    static func time(_ milliseconds: Int) -> Date {
        Date(timeIntervalSince1970: 1_750_000_000 + Double(milliseconds) / 1000)
    }

    /// A new experiment with a unique name.
    static func experiment(_ store: any TrackingStore, _ label: String, tags: [String: String] = [:]) async throws
        -> Experiment
    {
        let suffix = UUID().uuidString.prefix(8).lowercased()
        return try await store.createExperiment(named: "conformance-\(label)-\(suffix)", tags: tags)
    }

    /// A draft with every field given, starting `startOffset` milliseconds after ``baseTime``.
    static func draft(
        _ experiment: Experiment, name: String, startOffset: Int = 0, parent: String? = nil,
        tags: [String: String] = [:]
    ) -> RunDraft {
        RunDraft(
            experimentID: experiment.id, name: name, user: "conformance-user", host: "conformance-host",
            source: "ForgeTrackingConformance", gitCommit: "0123456789abcdef0123456789abcdef01234567",
            parentRunID: parent, tags: tags, startTime: time(startOffset))
    }

    /// A run with `draft`'s fields in a fresh experiment.
    static func run(_ store: any TrackingStore, _ label: String) async throws -> RunInfo {
        let experiment = try await experiment(store, label)
        return try await store.createRun(draft(experiment, name: label))
    }
}
