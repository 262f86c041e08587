import ForgePostgresSupport
public import ForgeTracking
import PostgresNIO

extension PostgresTrackingStore {
    /// Runs matching `query`, filtered, ordered and paginated in SQL (see the ordering notes on the store).
    public func searchRuns(_ query: RunQuery) async throws -> RunPage {
        let offset = try query.pageOffset()
        let experiments = query.experimentIDs.compactMap { Int64($0) }
        guard !experiments.isEmpty else { return RunPage(runs: [], nextPageToken: nil) }
        let pageSize = Swift.max(1, query.maxResults)
        let statement = PostgresRunSearch.statement(
            for: query, experiments: experiments, offset: offset, limit: pageSize + 1)
        return try await perform("search runs") { connection in
            let ids = try await connection.rows(statement, logger: logger).map { try $0.decode(String.self) }
            let runs = try await PostgresRunLoader.load(
                ids: Array(ids.prefix(pageSize)), connection: connection, logger: logger)
            let next = ids.count > pageSize ? RunQuery.pageToken(forOffset: offset + pageSize) : nil
            return RunPage(runs: runs, nextPageToken: next)
        }
    }
}
