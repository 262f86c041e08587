import Foundation
import Testing

@testable import ForgeTuning

#if canImport(Glibc)
    import Glibc
#endif

/// The `TuningWorkerHelper` executable, built next to the test binary.
func tuningWorkerURL() throws -> URL {
    let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    var folder = testBinary.deletingLastPathComponent()
    if folder.path.hasSuffix(".xctest/Contents/MacOS") {  // Darwin bundles
        folder = folder.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }
    let helper = folder.appendingPathComponent("TuningWorkerHelper")
    try #require(FileManager.default.isExecutableFile(atPath: helper.path), "helper not built at \(helper.path)")
    return helper
}

func startWorker(_ kind: String, path: String, trials: Int, hang: Bool = false, output: URL? = nil) throws -> Process {
    let process = Process()
    process.executableURL = try tuningWorkerURL()
    process.arguments = [kind, path, "shared", String(trials)] + (hang ? ["hang"] : [])
    if let output {
        FileManager.default.createFile(atPath: output.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: output)
    }
    try process.run()
    return process
}

@Suite("Multi-process studies")
struct MultiProcessTests {
    func twoWorkersShareOneStudy(_ kind: String, _ makeStorage: (String) throws -> any StudyStorage) async throws {
        let directory = try TemporaryDirectory()
        let path = directory.url.appendingPathComponent("shared.\(kind)").path
        let workers = try (0..<2).map { _ in try startWorker(kind, path: path, trials: 25) }
        for worker in workers { worker.waitUntilExit() }
        #expect(workers.allSatisfy { $0.terminationStatus == 0 })
        let storage = try makeStorage(path)
        let study = try await Study.load(name: "shared", storage: storage, sampler: UniformTestSampler())
        let trials = try await study.trials()
        #expect(trials.map(\.number) == Array(0..<50), "unique numbers, nothing lost")
        #expect(trials.allSatisfy { $0.state == .complete && $0.params["x"] != nil && $0.intermediateValues[0] != nil })
        let pids = Set(trials.compactMap { $0.userAttributes["pid"] })
        #expect(pids.count == 2, "both workers ran trials")
        for trial in trials {
            let x = try #require(trial.params["x"]?.doubleValue)
            #expect(trial.value == x * x)
        }
    }

    @Test func twoProcessesAppendToOneJournal() async throws {
        try await twoWorkersShareOneStudy("journal") { try JournalFileStorage(path: $0) }
    }

    @Test func twoProcessesShareOneSQLiteDatabase() async throws {
        try await twoWorkersShareOneStudy("sqlite") { try SQLiteStudyStorage(path: $0) }
    }

    @Test func aKilledWorkersTrialIsFailedAndTheStudyResumes() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.url.appendingPathComponent("crash.log").path
        let output = directory.url.appendingPathComponent("worker.out")
        let worker = try startWorker("journal", path: path, trials: 3, hang: true, output: output)
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if String(decoding: (try? Data(contentsOf: output)) ?? Data(), as: UTF8.self).contains("hanging") { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        kill(worker.processIdentifier, SIGKILL)
        worker.waitUntilExit()
        let storage = try JournalFileStorage(path: path)
        let study = try await Study.load(name: "shared", storage: storage, sampler: UniformTestSampler())
        #expect(try await study.trials().map(\.state) == [.complete, .complete, .complete, .running])
        #expect(try await study.failStaleTrials(olderThan: .zero) == [3])
        try await study.optimize(trials: 2) { try await $0.suggestFloat("x", -1...1) }
        let states = try await study.trials().map(\.state)
        #expect(states == [.complete, .complete, .complete, .failed, .complete, .complete])
        let failed = try await study.trials(states: [.failed])
        #expect(failed[0].intermediateValues == [0: 1])
    }
}
