import Foundation
import Testing

@testable import ForgeTuning

@Suite("Study")
struct StudyTests {
    @Test func optimizesAQuadraticAndRecordsEveryTrial() async throws {
        let study = try await Study.create(name: "quadratic", sampler: UniformTestSampler(seed: 3))
        try await study.optimize(trials: 60) { trial in
            let x = try await trial.suggestFloat("x", -10...10)
            let y = try await trial.suggestInt("y", -3...3)
            return (x - 2) * (x - 2) + Double(y * y)
        }
        let trials = try await study.trials()
        #expect(trials.map(\.number) == Array(0..<60))
        #expect(trials.allSatisfy { $0.state == .complete && $0.duration != nil })
        let best = try await study.bestTrial
        let expected = trials.compactMap(\.value).min()
        #expect(best.value == expected)
        #expect(try await study.bestValue == expected)
        let x = try #require(best.params["x"]?.doubleValue)
        let y = try #require(best.params["y"]?.intValue)
        #expect(abs((x - 2) * (x - 2) + Double(y * y) - (best.value ?? 0)) < 1e-12)
    }

    @Test func failedAndNaNTrialsAreRecordedAndTheStudyGoesOn() async throws {
        struct Boom: Error {}
        let study = try await Study.create(sampler: UniformTestSampler())
        try await study.optimize(trials: 6) { trial in
            switch trial.number {
            case 1: throw Boom()
            case 2: return .nan
            case 3: throw TrialPruned()
            default: return Double(trial.number)
            }
        }
        let states = try await study.trials().map(\.state)
        #expect(states == [.complete, .failed, .failed, .pruned, .complete, .complete])
        let failed = try await study.trials(states: [.failed])
        #expect(failed[0].systemAttributes["fail_reason"]?.stringValue?.contains("Boom") == true)
        #expect(failed[1].systemAttributes["fail_reason"]?.stringValue?.contains("NaN") == true)
        #expect(try await study.bestValue == 0)
    }

    @Test func repeatedSuggestionsReturnTheSameValueAndConflictsThrow() async throws {
        let study = try await Study.create(sampler: UniformTestSampler(seed: 9))
        let trial = try await study.ask()
        let first = try await trial.suggestFloat("lr", 1e-5...1e-1, log: true)
        let second = try await trial.suggestFloat("lr", 1e-5...1e-1, log: true)
        #expect(first == second)
        #expect(first >= 1e-5 && first <= 1e-1)
        await #expect(throws: TuningError.self) { _ = try await trial.suggestFloat("lr", 1e-4...1e-1, log: true) }
        await #expect(throws: TuningError.invalidDistribution(parameter: "bad", reason: "log scale needs low > 0, got low 0.0")) {
            _ = try await trial.suggestFloat("bad", 0...1, log: true)
        }
        let stepped = try await trial.suggestFloat("dropout", 0...0.5, step: 0.1)
        #expect(abs(stepped * 10 - (stepped * 10).rounded()) < 1e-9)
        let kind = try await trial.suggestCategorical("optimizer", ["adam", "sgd"])
        #expect(["adam", "sgd"].contains(kind))
        let fixed = try await trial.suggestInt("fixed", 4...4)
        #expect(fixed == 4)
        try await trial.report(0.5, step: 0)
        try await trial.report(0.7, step: 0)  // ignored: step 0 already reported
        await #expect(throws: TuningError.self) { try await trial.report(0.1, step: -1) }
        try await trial.setUserAttribute("note", "hello")
        try await study.tell(trial, values: [1])
        let stored = try await study.trials()[0]
        #expect(stored.intermediateValues == [0: 0.5])
        #expect(stored.userAttributes["note"] == "hello")
        #expect(stored.params["optimizer"] == .string(kind))
        await #expect(throws: TuningError.self) { try await study.tell(trial, values: [2]) }
    }

    @Test func enqueuedTrialsRunFirstWithTheirFixedParameters() async throws {
        let study = try await Study.create(sampler: UniformTestSampler())
        try await study.enqueueTrial(params: ["x": 3.5, "units": 64], userAttributes: ["source": "manual"])
        try await study.enqueueTrial(params: ["x": 3.5, "units": 64], skipIfExists: true)
        try await study.optimize(trials: 3) { trial in
            let x = try await trial.suggestFloat("x", 0...10)
            let units = try await trial.suggestInt("units", 16...128)
            let other = try await trial.suggestFloat("other", 0...1)
            return x + Double(units) + other
        }
        let trials = try await study.trials()
        #expect(trials.count == 3)
        #expect(trials[0].params["x"] == .double(3.5) && trials[0].params["units"] == .int(64))
        #expect(trials[0].userAttributes["source"] == "manual")
        #expect(trials[0].params["other"] != nil)
    }

    @Test func concurrentTrialsGetUniqueNumbers() async throws {
        let study = try await Study.create(sampler: UniformTestSampler(seed: 5))
        try await study.optimize(trials: 24, concurrency: 4) { trial in
            let x = try await trial.suggestFloat("x", 0...1)
            try await Task.sleep(for: .milliseconds(Int(x * 5)))
            return x
        }
        let numbers = try await study.trials().map(\.number)
        #expect(numbers == Array(0..<24))
        #expect(try await study.trials(states: [.complete]).count == 24)
    }

    @Test func timeoutStopsStartingTrials() async throws {
        let study = try await Study.create(sampler: UniformTestSampler())
        // Trials of 150 ms with a 200 ms timeout: the second starts at ~150 ms, none after ~300 ms.
        // A loaded machine only delays trials, which can leave one trial but never more than two.
        try await study.optimize(timeout: .milliseconds(200)) { _ in
            try await Task.sleep(for: .milliseconds(150))
            return 1
        }
        let trials = try await study.trials()
        #expect((1...2).contains(trials.count))
        #expect(trials.allSatisfy { $0.state == .complete })
    }

    @Test func paretoFrontOfATwoObjectiveStudy() async throws {
        let study = try await Study.create(directions: [.minimize, .maximize], sampler: UniformTestSampler())
        let points: [[Double]] = [[1, 1], [2, 3], [3, 3], [0.5, 0.2], [2, 2], [4, 5]]
        for point in points {
            let trial = try await study.ask()
            try await study.tell(trial, values: point)
        }
        let front = try await study.bestTrials.map(\.number)
        // [3,3] is dominated by [2,3]; [2,2] by [2,3]; the rest trade off.
        #expect(front == [0, 1, 3, 5])
        await #expect(throws: TuningError.self) { _ = try await study.bestTrial }
        let wrong = try await study.ask()
        await #expect(throws: TuningError.valuesCountMismatch(number: 6, expected: 2, got: 1)) {
            try await study.tell(wrong, values: [1])
        }
    }

    @Test func staleTrialsAreFailedAndTheStudyResumes() async throws {
        let storage = InMemoryStudyStorage()
        let crashed = try await Study.create(name: "resume", storage: storage, sampler: UniformTestSampler())
        try await crashed.optimize(trials: 2) { try await $0.suggestFloat("x", 0...1) }
        _ = try await crashed.ask()  // the worker "crashes" with this trial running
        let resumed = try await Study.create(
            name: "resume", storage: storage, sampler: UniformTestSampler(seed: 1), loadIfExists: true)
        #expect(try await resumed.failStaleTrials(olderThan: .seconds(3600)) == [])
        #expect(try await resumed.failStaleTrials(olderThan: .zero) == [2])
        try await resumed.optimize(trials: 2) { try await $0.suggestFloat("x", 0...1) }
        let states = try await resumed.trials().map(\.state)
        #expect(states == [.complete, .complete, .failed, .complete, .complete])
        await #expect(throws: TuningError.studyAlreadyExists(name: "resume")) {
            _ = try await Study.create(name: "resume", storage: storage, sampler: UniformTestSampler())
        }
        await #expect(throws: TuningError.self) {
            _ = try await Study.create(
                name: "resume", direction: .maximize, storage: storage, sampler: UniformTestSampler(),
                loadIfExists: true)
        }
    }

    @Test func heartbeatsAreRecordedWhileATrialRuns() async throws {
        let study = try await Study.create(sampler: UniformTestSampler(), heartbeatInterval: .milliseconds(20))
        try await study.optimize(trials: 1) { _ in
            try await Task.sleep(for: .milliseconds(100))
            return 1
        }
        let trial = try #require(try await study.trials().first)
        let beat = try #require(trial.systemAttributes[heartbeatAttributeKey]?.doubleValue)
        #expect(beat >= (trial.startDate?.timeIntervalSince1970 ?? .infinity) - 1)
    }

    @Test func observersSeeEveryTrialStartAndFinish() async throws {
        let log = EventLog()
        let observer = ClosureStudyObserver(
            didStart: { _, trial in await log.append("start \(trial.number)") },
            didFinish: { _, trial in await log.append("finish \(trial.number) \(trial.state) \(trial.params.count)") })
        let study = try await Study.create(sampler: UniformTestSampler(), observers: [observer])
        try await study.optimize(trials: 2) { trial in
            if trial.number == 1 { throw TrialPruned() }
            return try await trial.suggestFloat("x", 0...1)
        }
        #expect(await log.events == ["start 0", "finish 0 complete 1", "start 1", "finish 1 pruned 0"])
    }

    @Test func workersWithHeartbeatsFailADeadWorkersTrial() async throws {
        let storage = InMemoryStudyStorage()
        let dead = try await Study.create(
            name: "beats", storage: storage, sampler: UniformTestSampler(), heartbeatInterval: .milliseconds(50))
        let abandoned = try await dead.ask()  // its worker dies: no heartbeat after the start
        try await Task.sleep(for: .milliseconds(150))
        let alive = try await Study.load(
            name: "beats", storage: storage, sampler: UniformTestSampler(seed: 1), heartbeatInterval: .milliseconds(50))
        try await alive.optimize(trials: 1) { try await $0.suggestFloat("x", 0...1) }
        let trials = try await alive.trials()
        #expect(trials.map(\.state) == [.failed, .complete])
        #expect(trials[0].number == abandoned.number)
        #expect(trials[0].systemAttributes["fail_reason"]?.stringValue?.hasPrefix("stale") == true)
        await #expect(throws: TuningError.studyNotFound(name: "missing")) {
            _ = try await Study.load(name: "missing", storage: storage, sampler: UniformTestSampler())
        }
    }
}
