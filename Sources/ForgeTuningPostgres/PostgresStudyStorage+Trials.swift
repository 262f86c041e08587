import ForgePostgresSupport
public import ForgeTuning
public import Foundation
import PostgresNIO

extension PostgresStudyStorage {
    /// Creates a trial with the study's next number, in one transaction with the number's allocation.
    ///
    /// The study's counter row is incremented with `UPDATE … RETURNING`, which locks the row until the
    /// transaction commits: concurrent workers get consecutive numbers, and a rolled-back insert gives its
    /// number back.
    public func createTrial(studyID: Int, template: FrozenTrial?) async throws -> FrozenTrial {
        let now = Date()
        var trial = template ?? FrozenTrial(id: 0, number: 0, state: .running, startDate: now)
        if trial.state == .running, trial.startDate == nil { trial.startDate = now }
        if trial.state.isFinished, trial.completeDate == nil { trial.completeDate = now }
        let prepared = trial
        let distributions = prepared.internalParams.keys.sorted().compactMap { name in
            prepared.distributions[name].map {
                (name, prepared.internalParams[name] ?? 0, PostgresTuningJSON.encode($0))
            }
        }
        let stored = try await perform("create trial") { connection in
            try await connection.transaction(logger: logger) { connection in
                let counter = try await connection.rows(
                    """
                    UPDATE forge_tuning_studies SET next_trial_number = next_trial_number + 1
                    WHERE id = \(Int64(studyID)) RETURNING next_trial_number - 1
                    """, logger: logger)
                guard let numberRow = counter.first else { throw TuningError.studyNotFound(name: "#\(studyID)") }
                var trial = prepared
                trial.number = Int(try numberRow.decode(Int64.self))
                let idRow = try await connection.rows(
                    """
                    INSERT INTO forge_tuning_trials (study_id, number, state, "values", start_time, complete_time)
                    VALUES (\(Int64(studyID)), \(Int64(trial.number)), \(Int64(trial.state.rawValue)), \(trial.values),
                        \(trial.startDate?.timeIntervalSinceReferenceDate),
                        \(trial.completeDate?.timeIntervalSinceReferenceDate))
                    RETURNING id
                    """, logger: logger)
                trial.id = Int(try idRow[0].decode(Int64.self))
                let trialID = Int64(trial.id)
                if !distributions.isEmpty {
                    try await connection.rows(
                        """
                        INSERT INTO forge_tuning_trial_params (trial_id, name, internal_value, distribution)
                        SELECT \(trialID), name, value, distribution
                        FROM unnest(\(distributions.map(\.0))::text[], \(distributions.map(\.1))::float8[],
                            \(distributions.map(\.2))::text[]) AS p(name, value, distribution)
                        """, logger: logger)
                }
                if !trial.intermediateValues.isEmpty {
                    let steps = trial.intermediateValues.keys.sorted()
                    try await connection.rows(
                        """
                        INSERT INTO forge_tuning_trial_intermediate_values (trial_id, step, value)
                        SELECT \(trialID), step, value
                        FROM unnest(\(steps.map { Int64($0) })::int8[],
                            \(steps.map { trial.intermediateValues[$0] ?? .nan })::float8[]) AS v(step, value)
                        """, logger: logger)
                }
                let attributes =
                    trial.userAttributes.map { (false, $0.key, PostgresTuningJSON.encode($0.value)) }
                    + trial.systemAttributes.map { (true, $0.key, PostgresTuningJSON.encode($0.value)) }
                if !attributes.isEmpty {
                    try await connection.rows(
                        """
                        INSERT INTO forge_tuning_trial_attributes (trial_id, system, key, value)
                        SELECT \(trialID), system, key, value
                        FROM unnest(\(attributes.map(\.0))::bool[], \(attributes.map(\.1))::text[],
                            \(attributes.map(\.2))::text[]) AS a(system, key, value)
                        """, logger: logger)
                }
                return trial
            }
        }
        return stored
    }

    /// Stores a parameter; the same name with another distribution throws
    /// ``TuningError/incompatibleDistribution(parameter:existing:requested:)``.
    public func setTrialParameter(
        trialID: Int, name: String, internalValue: Double, distribution: Distribution
    ) async throws {
        let text = PostgresTuningJSON.encode(distribution)
        try await perform("set trial parameter") { connection in
            try await connection.transaction(logger: logger) { connection in
                _ = try await Self.lockUnfinishedTrial(trialID, connection: connection, logger: logger)
                let existing = try await connection.rows(
                    """
                    SELECT distribution FROM forge_tuning_trial_params WHERE trial_id = \(Int64(trialID)) AND name = \(name)
                    """, logger: logger)
                if let row = existing.first {
                    let stored = try PostgresTuningJSON.decodeDistribution(try row.decode(String.self), parameter: name)
                    if stored != distribution {
                        throw TuningError.incompatibleDistribution(
                            parameter: name, existing: stored, requested: distribution)
                    }
                }
                // Like Optuna: the earliest trial of the study with this name fixes its kind, log scale and choices.
                let earliest = try await connection.rows(
                    """
                    SELECT p.distribution FROM forge_tuning_trial_params p
                    JOIN forge_tuning_trials t ON t.id = p.trial_id
                    WHERE t.study_id = (SELECT study_id FROM forge_tuning_trials WHERE id = \(Int64(trialID)))
                        AND p.name = \(name)
                    ORDER BY t.number LIMIT 1
                    """, logger: logger)
                if let row = earliest.first {
                    let first = try PostgresTuningJSON.decodeDistribution(try row.decode(String.self), parameter: name)
                    if !first.isCompatible(with: distribution) {
                        throw TuningError.incompatibleDistribution(
                            parameter: name, existing: first, requested: distribution)
                    }
                }
                try await connection.rows(
                    """
                    INSERT INTO forge_tuning_trial_params (trial_id, name, internal_value, distribution)
                    VALUES (\(Int64(trialID)), \(name), \(internalValue), \(text))
                    ON CONFLICT (trial_id, name) DO UPDATE SET internal_value = EXCLUDED.internal_value
                    """, logger: logger)
            }
        }
    }

    /// Stores an intermediate value at a step, replacing an earlier value at that step.
    public func setTrialIntermediateValue(trialID: Int, step: Int, value: Double) async throws {
        try await perform("set intermediate value") { connection in
            try await connection.transaction(logger: logger) { connection in
                _ = try await Self.lockUnfinishedTrial(trialID, connection: connection, logger: logger)
                try await connection.rows(
                    """
                    INSERT INTO forge_tuning_trial_intermediate_values (trial_id, step, value)
                    VALUES (\(Int64(trialID)), \(Int64(step)), \(value))
                    ON CONFLICT (trial_id, step) DO UPDATE SET value = EXCLUDED.value
                    """, logger: logger)
            }
        }
    }

    /// Moves a trial to `state` under a row lock; see ``StudyStorage/setTrialState(trialID:state:values:)``.
    ///
    /// Of two workers finishing the same trial, the second waits for the first's lock, then sees a finished
    /// trial and throws ``TuningError/trialAlreadyFinished(number:state:)``; of two claiming a waiting trial,
    /// the second gets `false`.
    @discardableResult
    public func setTrialState(trialID: Int, state: TrialState, values: [Double]?) async throws -> Bool {
        let now = Date().timeIntervalSinceReferenceDate
        return try await perform("set trial state") { connection in
            try await connection.transaction(logger: logger) { connection in
                let (number, current) = try await Self.lockUnfinishedTrial(
                    trialID, connection: connection, logger: logger)
                let id = Int64(trialID)
                switch state {
                case .running:
                    guard current == .waiting else { return false }
                    try await connection.rows(
                        """
                        UPDATE forge_tuning_trials SET state = \(Int64(state.rawValue)), start_time = \(now),
                            "values" = COALESCE(\(values), "values")
                        WHERE id = \(id)
                        """, logger: logger)
                    return true
                case .waiting:
                    throw TuningError.invalidStateTransition(
                        number: number, from: current, to: state, reason: "a trial cannot go back to waiting")
                case .complete, .pruned, .failed:
                    if state == .complete, values == nil {
                        throw TuningError.invalidStateTransition(
                            number: number, from: current, to: state, reason: "a complete trial needs values")
                    }
                    try await connection.rows(
                        """
                        UPDATE forge_tuning_trials SET state = \(Int64(state.rawValue)), complete_time = \(now),
                            start_time = COALESCE(start_time, \(now)), "values" = COALESCE(\(values), "values")
                        WHERE id = \(id)
                        """, logger: logger)
                    return true
                }
            }
        }
    }

    /// Sets (or replaces) a user attribute of an unfinished trial.
    public func setTrialUserAttribute(trialID: Int, key: String, value: AttributeValue) async throws {
        try await setTrialAttribute(trialID: trialID, key: key, value: value, system: false)
    }

    /// Sets (or replaces) a system attribute of an unfinished trial.
    public func setTrialSystemAttribute(trialID: Int, key: String, value: AttributeValue) async throws {
        try await setTrialAttribute(trialID: trialID, key: key, value: value, system: true)
    }

    private func setTrialAttribute(trialID: Int, key: String, value: AttributeValue, system: Bool) async throws {
        let text = PostgresTuningJSON.encode(value)
        try await perform("set trial attribute") { connection in
            try await connection.transaction(logger: logger) { connection in
                _ = try await Self.lockUnfinishedTrial(trialID, connection: connection, logger: logger)
                try await connection.rows(
                    """
                    INSERT INTO forge_tuning_trial_attributes (trial_id, system, key, value)
                    VALUES (\(Int64(trialID)), \(system), \(key), \(text))
                    ON CONFLICT (trial_id, system, key) DO UPDATE SET value = EXCLUDED.value
                    """, logger: logger)
            }
        }
    }

    /// The trial with id `trialID`.
    public func trial(id trialID: Int) async throws -> FrozenTrial {
        let trials = try await perform("read trial") { connection in
            try await PostgresTrialLoader.load(
                where: .trial(Int64(trialID)), states: nil, connection: connection, logger: logger)
        }
        guard let trial = trials.first else { throw TuningError.trialNotFound(id: trialID) }
        return trial
    }

    /// The trials of a study in number order, only those in `states` when given.
    public func trials(studyID: Int, states: Set<TrialState>?) async throws -> [FrozenTrial] {
        try await perform("read trials") { connection in
            let found = try await connection.rows(
                "SELECT 1 FROM forge_tuning_studies WHERE id = \(Int64(studyID))", logger: logger)
            guard !found.isEmpty else { throw TuningError.studyNotFound(name: "#\(studyID)") }
            return try await PostgresTrialLoader.load(
                where: .study(Int64(studyID)), states: states, connection: connection, logger: logger)
        }
    }

    /// Records that a running trial's worker is alive: the trial's heartbeat column and its
    /// `forge:heartbeat` system attribute (seconds since 1970), in one transaction. A finished trial takes
    /// no heartbeat (``TuningError/trialAlreadyFinished(number:state:)``).
    public func recordHeartbeat(trialID: Int, at date: Date) async throws {
        let text = PostgresTuningJSON.encode(.double(date.timeIntervalSince1970))
        let beat = date.timeIntervalSinceReferenceDate
        try await perform("record heartbeat") { connection in
            try await connection.transaction(logger: logger) { connection in
                _ = try await Self.lockUnfinishedTrial(trialID, connection: connection, logger: logger)
                try await connection.rows(
                    "UPDATE forge_tuning_trials SET heartbeat = \(beat) WHERE id = \(Int64(trialID))", logger: logger)
                try await connection.rows(
                    """
                    INSERT INTO forge_tuning_trial_attributes (trial_id, system, key, value)
                    VALUES (\(Int64(trialID)), TRUE, \(heartbeatAttributeKey), \(text))
                    ON CONFLICT (trial_id, system, key) DO UPDATE SET value = EXCLUDED.value
                    """, logger: logger)
            }
        }
    }

    /// The running trials whose last heartbeat (or start, without heartbeats) is older than `date`.
    public func staleTrials(studyID: Int, olderThan date: Date) async throws -> [FrozenTrial] {
        try await perform("find stale trials") { connection in
            try await PostgresTrialLoader.load(
                where: .stale(study: Int64(studyID), before: date.timeIntervalSinceReferenceDate), states: nil,
                connection: connection, logger: logger)
        }
    }

    // MARK: Locks

    /// Locks the trial's row until the transaction ends and returns its number and state.
    @discardableResult
    static func lockTrial(
        _ trialID: Int, connection: PostgresConnection, logger: Logger
    ) async throws -> (number: Int, state: TrialState) {
        let rows = try await connection.rows(
            "SELECT number, state FROM forge_tuning_trials WHERE id = \(Int64(trialID)) FOR UPDATE", logger: logger)
        guard let row = rows.first else { throw TuningError.trialNotFound(id: trialID) }
        let (number, code) = try row.decode((Int64, Int64).self)
        guard let state = TrialState(rawValue: Int(code)) else {
            throw TuningError.storageFailure(reason: "PostgreSQL: trial \(number) has unknown state \(code)")
        }
        return (Int(number), state)
    }

    /// Locks the trial's row and throws ``TuningError/trialAlreadyFinished(number:state:)`` when finished.
    static func lockUnfinishedTrial(
        _ trialID: Int, connection: PostgresConnection, logger: Logger
    ) async throws -> (number: Int, state: TrialState) {
        let (number, state) = try await lockTrial(trialID, connection: connection, logger: logger)
        if state.isFinished { throw TuningError.trialAlreadyFinished(number: number, state: state) }
        return (number, state)
    }
}
