package import Foundation

/// The studies and trials of a storage as plain values, with the life-cycle rules every storage
/// enforces. The in-memory storage wraps one; the journal storage replays its log into one.
package struct StudyModel: Sendable {
    package private(set) var studies: [Int: StudyRecord] = [:]
    package private(set) var trialsByID: [Int: FrozenTrial] = [:]
    package private(set) var trialIDsByStudy: [Int: [Int]] = [:]
    package private(set) var studyIDOfTrial: [Int: Int] = [:]
    package private(set) var nextStudyID = 0
    package private(set) var nextTrialID = 0

    package init() {}

    package func studyID(named name: String) throws(TuningError) -> Int {
        guard let record = studies.values.first(where: { $0.name == name }) else { throw .studyNotFound(name: name) }
        return record.id
    }

    package func study(id: Int) throws(TuningError) -> StudyRecord {
        guard let record = studies[id] else { throw .studyNotFound(name: "#\(id)") }
        return record
    }

    package func trial(id: Int) throws(TuningError) -> FrozenTrial {
        guard let trial = trialsByID[id] else { throw .trialNotFound(id: id) }
        return trial
    }

    package func trials(studyID: Int, states: Set<TrialState>?) throws(TuningError) -> [FrozenTrial] {
        guard let ids = trialIDsByStudy[studyID] else { throw .studyNotFound(name: "#\(studyID)") }
        let trials = ids.compactMap { trialsByID[$0] }
        guard let states else { return trials }
        return trials.filter { states.contains($0.state) }
    }

    @discardableResult
    package mutating func createStudy(name: String, directions: [StudyDirection]) throws(TuningError) -> Int {
        guard !studies.values.contains(where: { $0.name == name }) else { throw .studyAlreadyExists(name: name) }
        guard !directions.isEmpty else { throw .invalidArgument(reason: "study '\(name)' needs at least one direction") }
        let id = nextStudyID
        nextStudyID += 1
        studies[id] = StudyRecord(id: id, name: name, directions: directions)
        trialIDsByStudy[id] = []
        return id
    }

    package mutating func deleteStudy(id: Int) throws(TuningError) {
        guard studies[id] != nil else { throw .studyNotFound(name: "#\(id)") }
        for trialID in trialIDsByStudy[id] ?? [] {
            trialsByID[trialID] = nil
            studyIDOfTrial[trialID] = nil
        }
        studies[id] = nil
        trialIDsByStudy[id] = nil
    }

    package mutating func setStudyAttribute(
        studyID: Int, key: String, value: AttributeValue, system: Bool
    ) throws(TuningError) {
        guard studies[studyID] != nil else { throw .studyNotFound(name: "#\(studyID)") }
        if system {
            studies[studyID]?.systemAttributes[key] = value
        } else {
            studies[studyID]?.userAttributes[key] = value
        }
    }

    package mutating func createTrial(studyID: Int, template: FrozenTrial?, now: Date) throws(TuningError)
        -> FrozenTrial
    {
        guard let ids = trialIDsByStudy[studyID] else { throw .studyNotFound(name: "#\(studyID)") }
        let id = nextTrialID
        nextTrialID += 1
        var trial: FrozenTrial
        if var template {
            template.id = id
            template.number = ids.count
            if template.state == .running, template.startDate == nil { template.startDate = now }
            if template.state.isFinished, template.completeDate == nil { template.completeDate = now }
            trial = template
        } else {
            trial = FrozenTrial(id: id, number: ids.count, state: .running, startDate: now)
        }
        trial.id = id
        trialsByID[id] = trial
        trialIDsByStudy[studyID, default: []].append(id)
        studyIDOfTrial[id] = studyID
        return trial
    }

    private func unfinishedTrial(_ id: Int) throws(TuningError) -> FrozenTrial {
        let trial = try trial(id: id)
        guard !trial.state.isFinished else { throw .trialAlreadyFinished(number: trial.number, state: trial.state) }
        return trial
    }

    package mutating func setTrialParameter(
        trialID: Int, name: String, internalValue: Double, distribution: Distribution
    ) throws(TuningError) {
        let trial = try unfinishedTrial(trialID)
        if let existing = trial.distributions[name], existing != distribution {
            throw .incompatibleDistribution(parameter: name, existing: existing, requested: distribution)
        }
        // Like Optuna: the earliest trial of the study with this parameter fixes its kind, log scale and choices.
        if let studyID = studyIDOfTrial[trialID] {
            for otherID in trialIDsByStudy[studyID] ?? [] {
                guard let earlier = trialsByID[otherID]?.distributions[name] else { continue }
                if !earlier.isCompatible(with: distribution) {
                    throw .incompatibleDistribution(parameter: name, existing: earlier, requested: distribution)
                }
                break
            }
        }
        trialsByID[trialID]?.internalParams[name] = internalValue
        trialsByID[trialID]?.distributions[name] = distribution
    }

    package mutating func setTrialIntermediateValue(trialID: Int, step: Int, value: Double) throws(TuningError) {
        _ = try unfinishedTrial(trialID)
        trialsByID[trialID]?.intermediateValues[step] = value
    }

    @discardableResult
    package mutating func setTrialState(
        trialID: Int, state: TrialState, values: [Double]?, now: Date
    ) throws(TuningError) -> Bool {
        let trial = try unfinishedTrial(trialID)
        switch state {
        case .running:
            guard trial.state == .waiting else { return false }
            trialsByID[trialID]?.startDate = now
        case .waiting:
            throw .invalidStateTransition(
                number: trial.number, from: trial.state, to: state, reason: "a trial cannot go back to waiting")
        case .complete:
            guard values != nil else {
                throw .invalidStateTransition(
                    number: trial.number, from: trial.state, to: state, reason: "a complete trial needs values")
            }
            fallthrough
        case .pruned, .failed:
            trialsByID[trialID]?.completeDate = now
            if trial.startDate == nil { trialsByID[trialID]?.startDate = now }
        }
        trialsByID[trialID]?.state = state
        if let values { trialsByID[trialID]?.values = values }
        return true
    }

    package mutating func setTrialAttribute(
        trialID: Int, key: String, value: AttributeValue, system: Bool
    ) throws(TuningError) {
        _ = try unfinishedTrial(trialID)
        if system {
            trialsByID[trialID]?.systemAttributes[key] = value
        } else {
            trialsByID[trialID]?.userAttributes[key] = value
        }
    }
}
