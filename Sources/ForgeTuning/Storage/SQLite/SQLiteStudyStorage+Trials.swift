import Foundation
import GRDB

extension SQLiteStudyStorage {
    /// Creates a trial; the number is allocated in the same transaction as the insert.
    public func createTrial(studyID: Int, template: FrozenTrial?) async throws -> FrozenTrial {
        let now = Date()
        var trial = template ?? FrozenTrial(id: -1, number: -1, state: .running)
        if trial.state == .running, trial.startDate == nil { trial.startDate = now }
        if trial.state.isFinished, trial.completeDate == nil { trial.completeDate = now }
        let prepared = trial
        let stored = try await write { db in
            guard try Int.fetchOne(db, sql: "SELECT id FROM studies WHERE id = ?", arguments: [studyID]) != nil else {
                throw TuningError.studyNotFound(name: "#\(studyID)")
            }
            var trial = prepared
            trial.number =
                try Int.fetchOne(
                    db, sql: "SELECT COALESCE(MAX(number) + 1, 0) FROM trials WHERE study_id = ?", arguments: [studyID])
                ?? 0
            try db.execute(
                sql: """
                    INSERT INTO trials (study_id, number, state, objective_values, start_date, complete_date)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    studyID, trial.number, trial.state.rawValue, Self.encodeValues(trial.values),
                    trial.startDate?.timeIntervalSince1970, trial.completeDate?.timeIntervalSince1970,
                ])
            trial.id = Int(db.lastInsertedRowID)
            for (name, value) in trial.internalParams {
                guard let distribution = trial.distributions[name] else { continue }
                try Self.insertParameter(db, trial.id, name, value, distribution)
            }
            for (step, value) in trial.intermediateValues {
                try db.execute(
                    sql: "INSERT INTO trial_intermediate_values (trial_id, step, value) VALUES (?, ?, ?)",
                    arguments: [trial.id, step, value.isNaN ? nil : value])
            }
            for (system, attributes) in [(0, trial.userAttributes), (1, trial.systemAttributes)] {
                for (key, value) in attributes {
                    try db.execute(
                        sql: "INSERT INTO trial_attributes (trial_id, system, key, value) VALUES (?, ?, ?, ?)",
                        arguments: [trial.id, system, key, JSONText.encode(value)])
                }
            }
            return trial
        }
        return stored
    }

    private static func insertParameter(_ db: Database, _ trialID: Int, _ name: String, _ value: Double, _ distribution: Distribution) throws {
        try db.execute(
            sql: "INSERT OR REPLACE INTO trial_params (trial_id, name, internal_value, distribution) VALUES (?, ?, ?, ?)",
            arguments: [trialID, name, value, JSONText.encode(distribution.optunaJSON)])
    }

    static func encodeValues(_ values: [Double]?) -> String? {
        values.map { JSONText.encode(.array($0.map(AttributeValue.double))) }
    }

    /// The unfinished trial's number and study, or the typed error for a missing or finished trial.
    static func unfinished(_ db: Database, _ trialID: Int) throws -> (number: Int, studyID: Int, state: TrialState) {
        guard let row = try Row.fetchOne(db, sql: "SELECT number, study_id, state FROM trials WHERE id = ?", arguments: [trialID])
        else { throw TuningError.trialNotFound(id: trialID) }
        let state = TrialState(rawValue: row["state"]) ?? .failed
        if state.isFinished { throw TuningError.trialAlreadyFinished(number: row["number"], state: state) }
        return (row["number"], row["study_id"], state)
    }

    /// Stores a parameter (checking the study's earlier distribution for the name, as Optuna does).
    public func setTrialParameter(trialID: Int, name: String, internalValue: Double, distribution: Distribution) async throws {
        try await write { db in
            let (_, studyID, _) = try Self.unfinished(db, trialID)
            if let existing = try String.fetchOne(
                db, sql: "SELECT distribution FROM trial_params WHERE trial_id = ? AND name = ?", arguments: [trialID, name])
            {
                let existingDistribution = try Distribution(optunaJSON: try JSONText.decode(existing), parameter: name)
                if existingDistribution != distribution {
                    throw TuningError.incompatibleDistribution(parameter: name, existing: existingDistribution, requested: distribution)
                }
            }
            if let earlier = try String.fetchOne(
                db,
                sql: """
                    SELECT p.distribution FROM trial_params p JOIN trials t ON t.id = p.trial_id
                    WHERE t.study_id = ? AND p.name = ? ORDER BY t.number LIMIT 1
                    """,
                arguments: [studyID, name])
            {
                let earlierDistribution = try Distribution(optunaJSON: try JSONText.decode(earlier), parameter: name)
                if !earlierDistribution.isCompatible(with: distribution) {
                    throw TuningError.incompatibleDistribution(parameter: name, existing: earlierDistribution, requested: distribution)
                }
            }
            try Self.insertParameter(db, trialID, name, internalValue, distribution)
        }
    }

    /// Stores an intermediate value.
    public func setTrialIntermediateValue(trialID: Int, step: Int, value: Double) async throws {
        try await write { db in
            _ = try Self.unfinished(db, trialID)
            try db.execute(
                sql: "INSERT OR REPLACE INTO trial_intermediate_values (trial_id, step, value) VALUES (?, ?, ?)",
                arguments: [trialID, step, value.isNaN ? nil : value])
        }
    }

    /// Moves a trial to a new state, atomically with the check of its current state.
    @discardableResult
    public func setTrialState(trialID: Int, state: TrialState, values: [Double]?) async throws -> Bool {
        let now = Date().timeIntervalSince1970
        return try await write { db in
            let (number, _, current) = try Self.unfinished(db, trialID)
            switch state {
            case .running:
                guard current == .waiting else { return false }
                try db.execute(
                    sql: "UPDATE trials SET state = ?, start_date = ? WHERE id = ?",
                    arguments: [state.rawValue, now, trialID])
                return true
            case .waiting:
                throw TuningError.invalidStateTransition(
                    number: number, from: current, to: state, reason: "a trial cannot go back to waiting")
            case .complete, .pruned, .failed:
                if state == .complete, values == nil {
                    throw TuningError.invalidStateTransition(
                        number: number, from: current, to: state, reason: "a complete trial needs values")
                }
                try db.execute(
                    sql: """
                        UPDATE trials SET state = ?, objective_values = COALESCE(?, objective_values),
                        complete_date = ?, start_date = COALESCE(start_date, ?) WHERE id = ?
                        """,
                    arguments: [state.rawValue, Self.encodeValues(values), now, now, trialID])
                return true
            }
        }
    }

    /// Sets a trial user attribute.
    public func setTrialUserAttribute(trialID: Int, key: String, value: AttributeValue) async throws {
        try await setTrialAttribute(trialID: trialID, key: key, value: value, system: false)
    }

    /// Sets a trial system attribute.
    public func setTrialSystemAttribute(trialID: Int, key: String, value: AttributeValue) async throws {
        try await setTrialAttribute(trialID: trialID, key: key, value: value, system: true)
    }

    private func setTrialAttribute(trialID: Int, key: String, value: AttributeValue, system: Bool) async throws {
        let encoded = JSONText.encode(value)
        try await write { db in
            _ = try Self.unfinished(db, trialID)
            try db.execute(
                sql: "INSERT OR REPLACE INTO trial_attributes (trial_id, system, key, value) VALUES (?, ?, ?, ?)",
                arguments: [trialID, system ? 1 : 0, key, encoded])
        }
    }

    /// The trial with id `trialID`.
    public func trial(id trialID: Int) async throws -> FrozenTrial {
        if let cached = cache.trial(trialID) { return cached }
        let trials = try await read { db in try SQLiteTrialReader.trials(db, trialID: trialID) }
        guard let trial = trials.first else { throw TuningError.trialNotFound(id: trialID) }
        cache.store(trials)
        return trial
    }

    /// The trials of a study; finished trials come from the cache after their first read.
    public func trials(studyID: Int, states: Set<TrialState>?) async throws -> [FrozenTrial] {
        let cachedIDs = cache.finishedIDs(studyID: studyID)
        let (exists, fresh, order) = try await read { db in
            let exists = try Int.fetchOne(db, sql: "SELECT id FROM studies WHERE id = ?", arguments: [studyID]) != nil
            let order = try Int.fetchAll(db, sql: "SELECT id FROM trials WHERE study_id = ? ORDER BY number", arguments: [studyID])
            let fresh = try SQLiteTrialReader.trials(db, studyID: studyID, excluding: cachedIDs)
            return (exists, fresh, order)
        }
        guard exists else { throw TuningError.studyNotFound(name: "#\(studyID)") }
        cache.store(fresh, studyID: studyID)
        let byID = Dictionary(uniqueKeysWithValues: fresh.map { ($0.id, $0) })
        let all = order.compactMap { byID[$0] ?? cache.trial($0) }
        guard let states else { return all }
        return all.filter { states.contains($0.state) }
    }
}
