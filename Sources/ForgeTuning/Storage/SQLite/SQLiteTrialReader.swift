import Foundation
import GRDB
import Synchronization

/// Reads trials (with their parameters, intermediate values and attributes) from the SQLite tables.
enum SQLiteTrialReader {
    /// One trial by id (empty when missing).
    static func trials(_ db: Database, trialID: Int) throws -> [FrozenTrial] {
        let rows = try Row.fetchAll(db, sql: "SELECT * FROM trials WHERE id = ?", arguments: [trialID])
        return try complete(db, rows)
    }

    /// The trials of a study except those in `excluded` (already cached), in number order.
    static func trials(_ db: Database, studyID: Int, excluding excluded: Set<Int>) throws -> [FrozenTrial] {
        let rows = try Row.fetchAll(
            db, sql: "SELECT * FROM trials WHERE study_id = ? ORDER BY number", arguments: [studyID]
        ).filter { !excluded.contains($0["id"]) }
        return try complete(db, rows)
    }

    private static func complete(_ db: Database, _ rows: [Row]) throws -> [FrozenTrial] {
        var trials: [Int: FrozenTrial] = [:]
        var order: [Int] = []
        for row in rows {
            let id: Int = row["id"]
            var trial = FrozenTrial(
                id: id, number: row["number"], state: TrialState(rawValue: row["state"]) ?? .failed)
            if let text: String = row["objective_values"], case .array(let values) = try JSONText.decode(text) {
                trial.values = values.map { $0.doubleValue ?? .nan }
            }
            trial.startDate = (row["start_date"] as Double?).map(Date.init(timeIntervalSince1970:))
            trial.completeDate = (row["complete_date"] as Double?).map(Date.init(timeIntervalSince1970:))
            trials[id] = trial
            order.append(id)
        }
        // Side tables in chunks of ids written into the SQL (integers only, so nothing to escape).
        var start = 0
        while start < order.count {
            let chunk = order[start..<min(start + 500, order.count)]
            start += 500
            let list = chunk.map(String.init).joined(separator: ",")
            for row in try Row.fetchAll(
                db, sql: "SELECT trial_id, name, internal_value, distribution FROM trial_params WHERE trial_id IN (\(list))")
            {
                let name: String = row["name"]
                let distribution = try Distribution(optunaJSON: try JSONText.decode(row["distribution"]), parameter: name)
                trials[row["trial_id"]]?.internalParams[name] = row["internal_value"]
                trials[row["trial_id"]]?.distributions[name] = distribution
            }
            for row in try Row.fetchAll(
                db, sql: "SELECT trial_id, step, value FROM trial_intermediate_values WHERE trial_id IN (\(list))")
            {
                trials[row["trial_id"]]?.intermediateValues[row["step"]] = (row["value"] as Double?) ?? .nan
            }
            for row in try Row.fetchAll(
                db, sql: "SELECT trial_id, system, key, value FROM trial_attributes WHERE trial_id IN (\(list))")
            {
                let value = try JSONText.decode(row["value"])
                if (row["system"] as Int) == 1 {
                    trials[row["trial_id"]]?.systemAttributes[row["key"]] = value
                } else {
                    trials[row["trial_id"]]?.userAttributes[row["key"]] = value
                }
            }
        }
        return order.compactMap { trials[$0] }
    }
}

/// Finished trials by id (they never change), and which of them belong to each study.
final class FinishedTrialCache: Sendable {
    private struct State {
        var trials: [Int: FrozenTrial] = [:]
        var idsByStudy: [Int: Set<Int>] = [:]
    }

    private let state = Mutex(State())

    func trial(_ id: Int) -> FrozenTrial? { state.withLock { $0.trials[id] } }

    func finishedIDs(studyID: Int) -> Set<Int> { state.withLock { $0.idsByStudy[studyID] ?? [] } }

    func store(_ trials: [FrozenTrial], studyID: Int? = nil) {
        state.withLock { state in
            for trial in trials where trial.state.isFinished {
                state.trials[trial.id] = trial
                if let studyID { state.idsByStudy[studyID, default: []].insert(trial.id) }
            }
        }
    }
}
