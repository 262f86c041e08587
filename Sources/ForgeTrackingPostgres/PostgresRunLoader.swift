import ForgePostgresSupport
import ForgeTracking
import Foundation
import PostgresNIO

/// Reads whole ``Run`` values (info, params, tags, latest metrics, inputs) for a list of ids with five
/// queries, whatever the number of runs.
enum PostgresRunLoader {
    /// The runs with `ids`, in the order of `ids`; ids without a run are skipped.
    static func load(ids: [String], connection: PostgresConnection, logger: Logger) async throws -> [Run] {
        guard !ids.isEmpty else { return [] }
        var infos: [String: RunInfo] = [:]
        for row in try await connection.rows(
            """
            SELECT id, experiment_id, name, status, start_time, end_time, user_name, host, source, git_commit,
                parent_run_id
            FROM forge_tracking_runs WHERE id = ANY(\(ids)::text[])
            """, logger: logger)
        {
            let (id, experiment, name, status, start, end, user, host, source, commit, parent) = try row.decode(
                (String, Int64, String, String, Double, Double?, String, String, String, String?, String?).self)
            guard let runStatus = RunStatus(rawValue: status) else {
                throw TrackingError.storeFailure(
                    store: "PostgreSQL", reason: "run \(id) has unknown status \"\(status)\"")
            }
            infos[id] = RunInfo(
                id: id, experimentID: String(experiment), name: name, status: runStatus,
                startTime: Date(timeIntervalSinceReferenceDate: start),
                endTime: end.map { Date(timeIntervalSinceReferenceDate: $0) }, user: user, host: host, source: source,
                gitCommit: commit, parentRunID: parent)
        }
        let present = ids.filter { infos[$0] != nil }
        guard !present.isEmpty else { return [] }

        var params: [String: [String: String]] = [:]
        for row in try await connection.rows(
            "SELECT run_id, key, value FROM forge_tracking_params WHERE run_id = ANY(\(present)::text[])",
            logger: logger)
        {
            let (run, key, value) = try row.decode((String, String, String).self)
            params[run, default: [:]][key] = value
        }
        var tags: [String: [String: String]] = [:]
        for row in try await connection.rows(
            "SELECT run_id, key, value FROM forge_tracking_tags WHERE run_id = ANY(\(present)::text[])", logger: logger)
        {
            let (run, key, value) = try row.decode((String, String, String).self)
            tags[run, default: [:]][key] = value
        }
        var latest: [String: [String: Metric]] = [:]
        for row in try await connection.rows(
            """
            SELECT run_id, key, value, step, timestamp FROM forge_tracking_latest_metrics
            WHERE run_id = ANY(\(present)::text[])
            """, logger: logger)
        {
            let (run, key, value, step, time) = try row.decode((String, String, Double, Int64, Double).self)
            latest[run, default: [:]][key] = Metric(
                key: key, value: value, step: Int(step), timestamp: Date(timeIntervalSinceReferenceDate: time))
        }
        var inputs: [String: [DatasetInput]] = [:]
        for row in try await connection.rows(
            """
            SELECT run_id, body FROM forge_tracking_inputs WHERE run_id = ANY(\(present)::text[]) ORDER BY sequence
            """, logger: logger)
        {
            let (run, body) = try row.decode((String, String).self)
            inputs[run, default: []].append(try PostgresJSON.decode(DatasetInput.self, from: body))
        }
        return present.compactMap { id in
            infos[id].map { info in
                Run(
                    info: info, params: params[id] ?? [:], tags: tags[id] ?? [:], latestMetrics: latest[id] ?? [:],
                    inputs: inputs[id] ?? [])
            }
        }
    }
}
