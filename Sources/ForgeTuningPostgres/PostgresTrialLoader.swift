import ForgePostgresSupport
import ForgeTuning
import Foundation
import PostgresNIO

/// Reads whole ``FrozenTrial`` values with four queries, whatever the number of trials.
enum PostgresTrialLoader {
    /// Which trials to read.
    enum Selection {
        /// One trial by id.
        case trial(Int64)
        /// Every trial of a study.
        case study(Int64)
        /// Running trials of a study whose heartbeat (or start) is older than a time.
        case stale(study: Int64, before: Double)
    }

    /// The selected trials in number order, only those in `states` when given.
    static func load(
        where selection: Selection, states: Set<TrialState>?, connection: PostgresConnection, logger: Logger
    ) async throws -> [FrozenTrial] {
        var sql = SQLBuilder(
            """
            SELECT id, number, state, "values", start_time, complete_time FROM forge_tuning_trials WHERE
            """)
        switch selection {
        case .trial(let id):
            let placeholder = sql.bind(id)
            sql.append(" id = \(placeholder)")
        case .study(let study):
            let placeholder = sql.bind(study)
            sql.append(" study_id = \(placeholder)")
        case .stale(let study, let before):
            let (studyPlaceholder, beforePlaceholder) = (sql.bind(study), sql.bind(before))
            sql.append(" study_id = \(studyPlaceholder) AND state = \(TrialState.running.rawValue)")
            sql.append(" AND COALESCE(heartbeat, start_time, '-Infinity'::float8) < \(beforePlaceholder)")
        }
        if let states {
            let placeholder = sql.bind(states.map { Int64($0.rawValue) })
            sql.append(" AND state = ANY(\(placeholder)::int8[])")
        }
        sql.append(" ORDER BY number")
        var trials: [FrozenTrial] = []
        var index: [Int64: Int] = [:]
        for row in try await connection.rows(sql.query, logger: logger) {
            let (id, number, code, values, start, complete) = try row.decode(
                (Int64, Int64, Int64, [Double]?, Double?, Double?).self)
            guard let state = TrialState(rawValue: Int(code)) else {
                throw TuningError.storageFailure(reason: "PostgreSQL: trial \(number) has unknown state \(code)")
            }
            index[id] = trials.count
            trials.append(
                FrozenTrial(
                    id: Int(id), number: Int(number), state: state, values: values,
                    startDate: start.map { Date(timeIntervalSinceReferenceDate: $0) },
                    completeDate: complete.map { Date(timeIntervalSinceReferenceDate: $0) }))
        }
        guard !trials.isEmpty else { return [] }
        let ids = Array(index.keys)
        for row in try await connection.rows(
            """
            SELECT trial_id, name, internal_value, distribution FROM forge_tuning_trial_params
            WHERE trial_id = ANY(\(ids)::int8[])
            """, logger: logger)
        {
            let (id, name, value, text) = try row.decode((Int64, String, Double, String).self)
            guard let position = index[id] else { continue }
            trials[position].internalParams[name] = value
            trials[position].distributions[name] = try PostgresTuningJSON.decodeDistribution(text, parameter: name)
        }
        for row in try await connection.rows(
            """
            SELECT trial_id, step, value FROM forge_tuning_trial_intermediate_values WHERE trial_id = ANY(\(ids)::int8[])
            """, logger: logger)
        {
            let (id, step, value) = try row.decode((Int64, Int64, Double).self)
            if let position = index[id] { trials[position].intermediateValues[Int(step)] = value }
        }
        for row in try await connection.rows(
            """
            SELECT trial_id, system, key, value FROM forge_tuning_trial_attributes WHERE trial_id = ANY(\(ids)::int8[])
            """, logger: logger)
        {
            let (id, system, key, text) = try row.decode((Int64, Bool, String, String).self)
            guard let position = index[id] else { continue }
            let value = try PostgresTuningJSON.decode(text)
            if system {
                trials[position].systemAttributes[key] = value
            } else {
                trials[position].userAttributes[key] = value
            }
        }
        return trials
    }
}
