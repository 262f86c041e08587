import Foundation
import GRDB

/// Reads whole ``Run`` values: the run rows, then params, tags, latest metrics and inputs in a few
/// `IN (…)` queries per 500 runs (never one query per run).
enum SQLiteRunLoader {
    private static let columns =
        "r.run_key, r.id, r.experiment_id, r.name, r.status, r.start_time, r.end_time, r.user, r.host, r.source, r.git_commit, r.parent_run_id"
    private static let chunkSize = 500

    /// The runs matching a condition on `runs r`, in run-key order.
    static func runs(_ db: Database, where condition: String, arguments: StatementArguments) throws -> [Run] {
        let rows = try Row.fetchAll(
            db, sql: "SELECT \(columns) FROM runs r WHERE \(condition) ORDER BY r.run_key", arguments: arguments)
        return try load(db, rows)
    }

    /// The runs with these keys, in the order given.
    static func runs(_ db: Database, keys: [Int64]) throws -> [Run] {
        var rows: [Row] = []
        for chunk in chunks(keys) {
            rows += try Row.fetchAll(
                db, sql: "SELECT \(columns) FROM runs r WHERE r.run_key IN \(placeholders(chunk.count))",
                arguments: StatementArguments(chunk))
        }
        let loaded = try load(db, rows)
        var byKey: [Int64: Run] = [:]
        for (row, run) in zip(rows, loaded) { byKey[row[0]] = run }
        return keys.compactMap { byKey[$0] }
    }

    private static func load(_ db: Database, _ rows: [Row]) throws -> [Run] {
        guard !rows.isEmpty else { return [] }
        var runs: [Int64: Run] = [:]
        var order: [Int64] = []
        for row in rows {
            let key: Int64 = row[0]
            let statusText: String = row[4]
            guard let status = RunStatus(rawValue: statusText) else {
                throw TrackingError.storeFailure(
                    store: "SQLite tracking store",
                    reason: "run \(row[1] as String) has unknown status \"\(statusText)\"")
            }
            let endTime: Double? = row[6]
            let info = RunInfo(
                id: row[1], experimentID: String(row[2] as Int64), name: row[3], status: status,
                startTime: Date(timeIntervalSinceReferenceDate: row[5]),
                endTime: endTime.map { Date(timeIntervalSinceReferenceDate: $0) }, user: row[7], host: row[8],
                source: row[9], gitCommit: row[10], parentRunID: row[11])
            runs[key] = Run(info: info)
            order.append(key)
        }
        for chunk in chunks(order) {
            let list = placeholders(chunk.count)
            let arguments = StatementArguments(chunk)
            for row in try Row.fetchAll(
                db, sql: "SELECT run_key, key, value FROM params WHERE run_key IN \(list)", arguments: arguments)
            {
                runs[row[0]]?.params[row[1]] = row[2]
            }
            for row in try Row.fetchAll(
                db, sql: "SELECT run_key, key, value FROM tags WHERE run_key IN \(list)", arguments: arguments)
            {
                runs[row[0]]?.tags[row[1]] = row[2]
            }
            for row in try Row.fetchAll(
                db,
                sql: "SELECT run_key, key, value, is_nan, step, timestamp FROM latest_metrics WHERE run_key IN \(list)",
                arguments: arguments)
            {
                let key: String = row[1]
                runs[row[0]]?.latestMetrics[key] = SQLiteTrackingStore.metric(key: key, row: row, offset: 2)
            }
            for row in try Row.fetchAll(
                db, sql: "SELECT run_key, document FROM inputs WHERE run_key IN \(list) ORDER BY rowid",
                arguments: arguments)
            {
                let input = try SQLiteCoding.decode(DatasetInput.self, from: row[1], what: "dataset input")
                runs[row[0]]?.inputs.append(input)
            }
        }
        return order.compactMap { runs[$0] }
    }

    private static func chunks(_ keys: [Int64]) -> [ArraySlice<Int64>] {
        stride(from: 0, to: keys.count, by: chunkSize).map { keys[$0..<Swift.min(keys.count, $0 + chunkSize)] }
    }

    /// `(?, ?, …)` with `count` placeholders.
    static func placeholders(_ count: Int) -> String {
        "(" + Array(repeating: "?", count: count).joined(separator: ", ") + ")"
    }
}
