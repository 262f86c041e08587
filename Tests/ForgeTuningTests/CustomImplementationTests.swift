import Foundation
import Synchronization
import Testing

import ForgeTuning

/// A user-style pruner: stops any trial whose reported value exceeds a fixed threshold.
struct ThresholdPruner: Pruner {
    let threshold: Double

    func shouldPrune(study: StudyView, trial: FrozenTrial) -> Bool {
        guard let step = trial.lastStep, let value = trial.intermediateValues[step] else { return false }
        return value > threshold
    }
}

/// A user-style storage: forwards to another storage and counts writes (a decorator a host might use to
/// add metrics or access control).
final class CountingStorage: StudyStorage {
    let base: any StudyStorage
    let writes = Mutex(0)

    init(_ base: any StudyStorage) { self.base = base }

    private func count() { writes.withLock { $0 += 1 } }

    func createStudy(name: String, directions: [StudyDirection]) async throws -> Int {
        count()
        return try await base.createStudy(name: name, directions: directions)
    }
    func studyID(named name: String) async throws -> Int { try await base.studyID(named: name) }
    func study(id: Int) async throws -> StudyRecord { try await base.study(id: id) }
    func allStudies() async throws -> [StudyRecord] { try await base.allStudies() }
    func deleteStudy(id: Int) async throws {
        count()
        try await base.deleteStudy(id: id)
    }
    func setStudyUserAttribute(studyID: Int, key: String, value: AttributeValue) async throws {
        count()
        try await base.setStudyUserAttribute(studyID: studyID, key: key, value: value)
    }
    func setStudySystemAttribute(studyID: Int, key: String, value: AttributeValue) async throws {
        count()
        try await base.setStudySystemAttribute(studyID: studyID, key: key, value: value)
    }
    func createTrial(studyID: Int, template: FrozenTrial?) async throws -> FrozenTrial {
        count()
        return try await base.createTrial(studyID: studyID, template: template)
    }
    func setTrialParameter(trialID: Int, name: String, internalValue: Double, distribution: Distribution) async throws {
        count()
        try await base.setTrialParameter(trialID: trialID, name: name, internalValue: internalValue, distribution: distribution)
    }
    func setTrialIntermediateValue(trialID: Int, step: Int, value: Double) async throws {
        count()
        try await base.setTrialIntermediateValue(trialID: trialID, step: step, value: value)
    }
    func setTrialState(trialID: Int, state: TrialState, values: [Double]?) async throws -> Bool {
        count()
        return try await base.setTrialState(trialID: trialID, state: state, values: values)
    }
    func setTrialUserAttribute(trialID: Int, key: String, value: AttributeValue) async throws {
        count()
        try await base.setTrialUserAttribute(trialID: trialID, key: key, value: value)
    }
    func setTrialSystemAttribute(trialID: Int, key: String, value: AttributeValue) async throws {
        count()
        try await base.setTrialSystemAttribute(trialID: trialID, key: key, value: value)
    }
    func trial(id trialID: Int) async throws -> FrozenTrial { try await base.trial(id: trialID) }
    func trials(studyID: Int, states: Set<TrialState>?) async throws -> [FrozenTrial] {
        try await base.trials(studyID: studyID, states: states)
    }
}

@Suite("User-style implementations")
struct CustomImplementationTests {
    @Test func customStoragePassesTheConformanceChecks() async throws {
        let storage = CountingStorage(InMemoryStudyStorage())
        try await checkStorageConformance(storage)
        #expect(storage.writes.withLock { $0 } > 10)
    }

    @Test func customPrunerAndSamplerInAStudy() async throws {
        let storage = CountingStorage(InMemoryStudyStorage())
        let study = try await Study.create(
            storage: storage, sampler: UniformTestSampler(seed: 2), pruner: ThresholdPruner(threshold: 0.5))
        try await study.optimize(trials: 20) { trial in
            let x = try await trial.suggestFloat("x", 0...1)
            try await trial.report(x, step: 0)
            if try await trial.shouldPrune() { throw TrialPruned() }
            return x
        }
        let trials = try await study.trials()
        #expect(trials.count == 20)
        for trial in trials {
            let x = try #require(trial.params["x"]?.doubleValue)
            #expect(trial.state == (x > 0.5 ? .pruned : .complete))
        }
        // Per trial: create, one parameter, one intermediate value, finish.
        #expect(storage.writes.withLock { $0 } == 1 + 20 * 4)
    }
}
