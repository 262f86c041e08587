import Foundation
import Testing

@testable import ForgeTuning

/// Checks the guarantees every ``StudyStorage`` documents; each storage's tests run it.
func checkStorageConformance(_ storage: any StudyStorage) async throws {
    let studyID = try await storage.createStudy(name: "conformance", directions: [.minimize])
    await #expect(throws: TuningError.studyAlreadyExists(name: "conformance")) {
        _ = try await storage.createStudy(name: "conformance", directions: [.maximize])
    }
    await #expect(throws: TuningError.studyNotFound(name: "missing")) { _ = try await storage.studyID(named: "missing") }
    #expect(try await storage.studyID(named: "conformance") == studyID)
    let otherID = try await storage.createStudy(name: "other", directions: [.maximize, .minimize])
    #expect(try await storage.study(id: otherID).directions == [.maximize, .minimize])
    try await storage.setStudyUserAttribute(studyID: studyID, key: "owner", value: "ml-team")
    try await storage.setStudySystemAttribute(studyID: studyID, key: "forge:version", value: 1)
    let record = try await storage.study(id: studyID)
    #expect(record.userAttributes == ["owner": "ml-team"] && record.systemAttributes == ["forge:version": 1])
    #expect(try await storage.allStudies().map(\.name) == ["conformance", "other"])

    // Numbers: 0, 1, 2 per study; ids unique across studies.
    let first = try await storage.createTrial(studyID: studyID, template: nil)
    let foreign = try await storage.createTrial(studyID: otherID, template: nil)
    let second = try await storage.createTrial(studyID: studyID, template: nil)
    #expect(first.number == 0 && second.number == 1 && foreign.number == 0)
    #expect(Set([first.id, second.id, foreign.id]).count == 3)
    #expect(first.state == .running && first.startDate != nil)

    let learningRate = try Distribution.float(low: 1e-5, high: 1e-1, log: true)
    let optimizer = try Distribution.categorical(["adam", "sgd"])
    try await storage.setTrialParameter(trialID: first.id, name: "lr", internalValue: 0.01, distribution: learningRate)
    try await storage.setTrialParameter(trialID: first.id, name: "optimizer", internalValue: 1, distribution: optimizer)
    try await storage.setTrialIntermediateValue(trialID: first.id, step: 0, value: 0.9)
    try await storage.setTrialIntermediateValue(trialID: first.id, step: 1, value: .nan)
    try await storage.setTrialUserAttribute(trialID: first.id, key: "note", value: ["a": [1, 2.5, "x"]])
    try await storage.setTrialSystemAttribute(trialID: first.id, key: "fixed", value: true)
    // A parameter keeps its kind across the study.
    await #expect(throws: TuningError.self) {
        try await storage.setTrialParameter(
            trialID: second.id, name: "lr", internalValue: 0.5, distribution: try .float(low: 0, high: 1))
    }
    await #expect(throws: TuningError.self) {
        try await storage.setTrialParameter(
            trialID: second.id, name: "optimizer", internalValue: 0, distribution: try .categorical(["adam"]))
    }
    try await storage.setTrialParameter(
        trialID: second.id, name: "lr", internalValue: 0.001, distribution: try .float(low: 1e-4, high: 1, log: true))

    #expect(try await storage.setTrialState(trialID: first.id, state: .complete, values: [0.25]))
    await #expect(throws: TuningError.trialAlreadyFinished(number: 0, state: .complete)) {
        try await storage.setTrialState(trialID: first.id, state: .failed, values: nil)
    }
    await #expect(throws: TuningError.trialAlreadyFinished(number: 0, state: .complete)) {
        try await storage.setTrialParameter(trialID: first.id, name: "x", internalValue: 0, distribution: learningRate)
    }
    await #expect(throws: TuningError.self) {
        try await storage.setTrialUserAttribute(trialID: first.id, key: "late", value: 1)
    }
    await #expect(throws: TuningError.trialNotFound(id: 999)) { _ = try await storage.trial(id: 999) }

    let stored = try await storage.trial(id: first.id)
    #expect(stored.state == .complete && stored.values == [0.25] && stored.completeDate != nil)
    #expect(stored.params == ["lr": .double(0.01), "optimizer": .string("sgd")])
    #expect(stored.distributions == ["lr": learningRate, "optimizer": optimizer])
    #expect(stored.intermediateValues[0] == 0.9 && stored.intermediateValues[1]?.isNaN == true)
    #expect(stored.userAttributes == ["note": ["a": [1, 2.5, "x"]]] && stored.systemAttributes == ["fixed": true])

    // Waiting trials are claimed once.
    let waiting = try await storage.createTrial(
        studyID: studyID,
        template: FrozenTrial(id: -1, number: -1, state: .waiting, systemAttributes: ["fixed_params": ["x": 1.5]]))
    #expect(waiting.number == 2 && waiting.state == .waiting)
    #expect(try await storage.setTrialState(trialID: waiting.id, state: .running, values: nil))
    #expect(try await storage.setTrialState(trialID: waiting.id, state: .running, values: nil) == false)
    #expect(try await storage.trial(id: waiting.id).state == .running)

    // A finished trial from elsewhere keeps its values, params and intermediate values.
    let imported = try await storage.createTrial(
        studyID: studyID,
        template: FrozenTrial(
            id: -1, number: -1, state: .complete, values: [0.125], startDate: Date(timeIntervalSince1970: 1e9),
            completeDate: Date(timeIntervalSince1970: 1e9 + 5), internalParams: ["lr": 0.02],
            distributions: ["lr": learningRate], intermediateValues: [3: 0.5], userAttributes: ["from": "warm start"]))
    #expect(imported.number == 3)
    let importedBack = try await storage.trial(id: imported.id)
    #expect(importedBack.values == [0.125] && importedBack.params["lr"] == .double(0.02))
    #expect(importedBack.intermediateValues == [3: 0.5] && importedBack.duration.map { abs($0 - 5) < 1e-3 } == true)

    let trials = try await storage.trials(studyID: studyID, states: nil)
    #expect(trials.map(\.number) == [0, 1, 2, 3])
    #expect(try await storage.trials(studyID: studyID, states: [.complete]).map(\.number) == [0, 3])
    #expect(try await storage.trials(studyID: studyID, states: [.running]).map(\.number) == [1, 2])

    // Heartbeats and stale trials.
    try await storage.recordHeartbeat(trialID: second.id, at: Date(timeIntervalSince1970: 100))
    let stale = try await storage.staleTrials(studyID: studyID, olderThan: Date(timeIntervalSince1970: 200))
    #expect(stale.map(\.number) == [1])

    try await storage.deleteStudy(id: otherID)
    await #expect(throws: TuningError.studyNotFound(name: "other")) { _ = try await storage.studyID(named: "other") }
    #expect(try await storage.trials(studyID: studyID, states: nil).count == 4)
}

@Suite("Storage conformance")
struct StorageConformanceTests {
    @Test func inMemory() async throws {
        try await checkStorageConformance(InMemoryStudyStorage())
    }

    @Test func journalFile() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.url.appendingPathComponent("journal.log").path
        try await checkStorageConformance(try JournalFileStorage(path: path))
        // Replaying the file gives the same state.
        let first = try JournalFileStorage(path: path)
        let reopened = try JournalFileStorage(path: path)
        let studyID = try await reopened.studyID(named: "conformance")
        let again = try await reopened.trials(studyID: studyID, states: nil)
        let original = try await first.trials(studyID: studyID, states: nil)
        #expect(again.count == 4)
        #expect(again.map(\.params) == original.map(\.params))
        #expect(again.map(\.state) == [.complete, .running, .running, .complete])
    }

    @Test func sqlite() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.url.appendingPathComponent("studies.sqlite").path
        try await checkStorageConformance(try SQLiteStudyStorage(path: path))
        // A second connection (as another process would open it) sees the same state, uncached.
        let reopened = try SQLiteStudyStorage(path: path)
        let studyID = try await reopened.studyID(named: "conformance")
        let trials = try await reopened.trials(studyID: studyID, states: nil)
        #expect(trials.map(\.state) == [.complete, .running, .running, .complete])
        #expect(trials[0].intermediateValues[1]?.isNaN == true)
        // Cached finished trials are returned unchanged on the next read.
        #expect(try await reopened.trials(studyID: studyID, states: [.complete]) == [trials[0], trials[3]])
    }

    @Test func malformedJournalLinesAreReportedWithTheirLine() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.url.appendingPathComponent("bad.log").path
        let good = #"{"op_code":0,"worker_id":"w","study_name":"s","directions":[1]}"#
        try Data((good + "\n{\"op_code\": 4, \"study_id\": \n").utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: TuningError.self) { _ = try JournalFileStorage(path: path) }
        do {
            _ = try JournalFileStorage(path: path)
        } catch let error as TuningError {
            guard case .malformedJournal(let file, let line, _) = error else {
                Issue.record("wrong error \(error)")
                return
            }
            #expect(file == path && line == 2)
        }
        // A last line still being written (no newline yet) is not read.
        try Data((good + "\n{\"op_code\": 4").utf8).write(to: URL(fileURLWithPath: path))
        let storage = try JournalFileStorage(path: path)
        #expect(try await storage.allStudies().map(\.name) == ["s"])
        let unknown = #"{"op_code":42,"worker_id":"w"}"#
        try Data((good + "\n" + unknown + "\n").utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: TuningError.self) { _ = try JournalFileStorage(path: path) }
    }

    @Test func twoJournalWritersRacingToFinishOneTrial() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.url.appendingPathComponent("race.log").path
        let first = try JournalFileStorage(path: path)
        let second = try JournalFileStorage(path: path)
        let studyID = try await first.createStudy(name: "race", directions: [.minimize])
        let trial = try await first.createTrial(studyID: studyID, template: nil)
        // The second writer has not read the first's completion when it tries: the file decides.
        _ = try await second.trials(studyID: studyID, states: nil)
        try await first.setTrialState(trialID: trial.id, state: .complete, values: [1])
        await #expect(throws: TuningError.trialAlreadyFinished(number: 0, state: .complete)) {
            try await second.setTrialState(trialID: trial.id, state: .failed, values: nil)
        }
        let waiting = try await first.createTrial(
            studyID: studyID, template: FrozenTrial(id: -1, number: -1, state: .waiting))
        _ = try await second.trials(studyID: studyID, states: nil)
        #expect(try await first.setTrialState(trialID: waiting.id, state: .running, values: nil))
        #expect(try await second.setTrialState(trialID: waiting.id, state: .running, values: nil) == false)
    }
}
