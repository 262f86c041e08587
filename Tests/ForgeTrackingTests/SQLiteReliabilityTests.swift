import ForgeTracking
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The `TrackingCrashHelper` executable, built next to the test binary.
func trackingHelperURL() throws -> URL {
    let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    var folder = testBinary.deletingLastPathComponent()
    if folder.path.hasSuffix(".xctest/Contents/MacOS") {  // Darwin bundles
        folder = folder.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }
    let helper = folder.appendingPathComponent("TrackingCrashHelper")
    try #require(FileManager.default.isExecutableFile(atPath: helper.path), "helper not built at \(helper.path)")
    return helper
}

/// Starts the helper with stdout and stderr going to files (which keep what a killed child wrote).
func startTrackingHelper(_ arguments: [String], output: URL, errors: URL) throws -> Process {
    _ = FileManager.default.createFile(atPath: output.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
    let process = Process()
    process.executableURL = try trackingHelperURL()
    process.arguments = arguments
    process.standardOutput = try FileHandle(forWritingTo: output)
    process.standardError = try FileHandle(forWritingTo: errors)
    try process.run()
    return process
}

func lines(of file: URL) -> [String] {
    (try? String(contentsOf: file, encoding: .utf8))?.split(separator: "\n").map(String.init) ?? []
}

@Suite("SQLite tracking store reliability", .serialized)
struct SQLiteReliabilityTests {
    @Test("four processes logging into one new file at once all succeed, every row present")
    func concurrentProcesses() async throws {
        let directory = try TrackingTemporaryDirectory()
        let project = directory.url.appendingPathComponent("project")
        let count = 4000
        var children: [(Process, URL)] = []
        for index in 0..<4 {
            let errors = directory.url.appendingPathComponent("err-\(index).txt")
            let child = try startTrackingHelper(
                [project.path, "concurrent", "worker-\(index)", String(count)],
                output: directory.url.appendingPathComponent("out-\(index).txt"), errors: errors)
            children.append((child, errors))
        }
        for (child, errors) in children {
            child.waitUntilExit()
            let message = lines(of: errors).joined(separator: "\n")
            #expect(child.terminationStatus == 0, "child failed: \(message)")
            #expect(!message.contains("locked"), "\(message)")
        }
        let store = try SQLiteTrackingStore(directory: project)
        #expect(try await store.integrityProblems() == [])
        let experiment = try #require(try await store.experiment(named: "shared"))
        #expect(try await store.experiments().filter { $0.name == "shared" }.count == 1)
        let runs = try await store.allRuns(experimentIDs: [experiment.id], orderBy: [RunOrdering(.attribute(.runName))])
        #expect(runs.map(\.info.name) == (0..<4).map { "worker-\($0)" })
        for run in runs {
            let history = try await store.metricHistory(runID: run.id, key: "x")
            #expect(history.count == count, "\(run.info.name) has \(history.count) of \(count) values")
            #expect(history.map(\.step) == Array(0..<count))
            #expect(history.allSatisfy { $0.value == Double($0.step) })
            #expect(run.params == ["count": String(count), "name": run.info.name])
            #expect(run.tags["progress"] == "3000")
            #expect(run.latestMetrics["x"]?.step == count - 1)
            #expect(run.info.status == .finished)
        }
    }

    @Test("a child killed while logging loses at most its unflushed buffer; the file stays sound and logging resumes")
    func killedWhileLogging() async throws {
        let directory = try TrackingTemporaryDirectory()
        let project = directory.url.appendingPathComponent("project")
        var generator = SystemRandomNumberGenerator()
        var kills = 0
        for round in 0..<10 {
            let output = directory.url.appendingPathComponent("out-\(round).txt")
            let child = try startTrackingHelper(
                [project.path, "crash", "round-\(round)"], output: output,
                errors: directory.url.appendingPathComponent("err-\(round).txt"))
            // Wait until the run exists, then kill at a random moment of the logging loop.
            let deadline = Date().addingTimeInterval(30)
            while !lines(of: output).contains(where: { $0.hasPrefix("run ") }), child.isRunning, Date() < deadline {
                try await Task.sleep(for: .milliseconds(10))
            }
            try await Task.sleep(for: .milliseconds(Int.random(in: 50...500, using: &generator)))
            try #require(child.isRunning, "round \(round): the child stopped by itself")
            kill(child.processIdentifier, SIGKILL)
            child.waitUntilExit()
            kills += 1

            let printed = lines(of: output)
            let runID = try #require(printed.first { $0.hasPrefix("run ") }.map { String($0.dropFirst(4)) })
            let flushed = printed.compactMap { $0.hasPrefix("flushed ") ? Int($0.dropFirst(8)) : nil }.max() ?? 0
            #expect(flushed > 0, "round \(round): killed before the first flush")
            let store = try SQLiteTrackingStore(directory: project)
            #expect(try await store.integrityProblems() == [], "round \(round)")
            let history = try await store.metricHistory(runID: runID, key: "x")
            #expect(history.count >= flushed, "round \(round): \(history.count) values stored, \(flushed) were flushed")
            #expect(history.map(\.step) == Array(0..<history.count), "round \(round): stored steps have gaps")
            let run = try await store.run(id: runID)
            #expect(
                run.latestMetrics["x"]?.step == history.count - 1, "round \(round): latest_metrics agrees with metrics")
        }
        #expect(kills == 10)
        // Every killed run is still there, and a new process logs into the same file normally.
        let store = try SQLiteTrackingStore(directory: project)
        let experiment = try #require(try await store.experiment(named: "crash"))
        #expect(try await store.allRuns(experimentIDs: [experiment.id]).count == 10)
        let tracker = Tracker(store: store, mode: .synchronous)
        let resumed = try await tracker.startRun(experiment: "crash", name: "after")
        try await resumed.logMetric("x", 1, step: 0)
        try await resumed.finish()
        #expect(try await store.metricHistory(runID: resumed.id, key: "x").count == 1)
    }
}
