public import ForgeTracking

extension MLflowTrackingStore {
    /// Runs matching `query`, through MLflow's `runs/search`.
    ///
    /// When MLflow can express the whole filter and ordering, the search is MLflow's own: its page tokens
    /// pass through unchanged. Otherwise (an `or`, `IN` on a param, a numeric comparison of a param, ordering
    /// by a param or tag) the AND-able part of the filter runs on the server, every page of that superset is
    /// fetched, and the client applies the full filter, sorts with Forge's rules and pages with offset tokens.
    /// Either way the full filter is evaluated on what the server returns, so results follow Forge's semantics.
    public func searchRuns(_ query: RunQuery) async throws -> RunPage {
        guard !query.experimentIDs.isEmpty else { return RunPage(runs: [], nextPageToken: nil) }
        let plan = MLflowSearchTranslation.plan(filter: query.filter, orderBy: query.orderBy)
        let pageSize = min(50_000, max(1, query.maxResults))
        if plan.passesThrough {
            let page = try await searchPage(
                query.experimentIDs, filter: plan.serverFilter, orderBy: plan.serverOrder ?? [], maxResults: pageSize,
                pageToken: query.pageToken)
            let runs = page.runs.filter { query.filter?.matches($0) ?? true }
            return RunPage(runs: runs, nextPageToken: page.nextPageToken)
        }
        let offset = try query.pageOffset()
        var candidates: [Run] = []
        var token: String?
        repeat {
            let page = try await searchPage(
                query.experimentIDs, filter: plan.serverFilter, orderBy: plan.serverOrder ?? [], maxResults: 50_000,
                pageToken: token)
            candidates += page.runs
            token = page.nextPageToken
        } while token != nil
        let sorted = RunOrdering.sort(candidates.filter { query.filter?.matches($0) ?? true }, by: query.orderBy)
        let end = min(sorted.count, offset + pageSize)
        let runs = offset < end ? Array(sorted[offset..<end]) : []
        return RunPage(runs: runs, nextPageToken: end < sorted.count ? RunQuery.pageToken(forOffset: end) : nil)
    }

    private func searchPage(
        _ experimentIDs: [String], filter: String, orderBy: [String], maxResults: Int, pageToken: String?
    ) async throws -> RunPage {
        let request = SearchRunsRequest(
            experimentIds: experimentIDs, filter: filter, runViewType: "ACTIVE_ONLY", maxResults: maxResults,
            orderBy: orderBy, pageToken: pageToken)
        let response = try await mapped {
            try await client.post("runs/search", request, as: SearchRunsResponse.self)
        } onError: { error in
            if let pageToken, error.isInvalidParameter, error.message.localizedCaseInsensitiveContains("token") {
                return .invalidPageToken(pageToken)
            }
            if error.isInvalidParameter {
                return .invalidFilter(
                    filter: filter, position: 0, reason: "MLflow rejected the filter: \(error.message)")
            }
            return nil
        }
        return RunPage(
            runs: (response.runs ?? []).map(MLflowMapping.run),
            nextPageToken: response.nextPageToken.flatMap { $0.isEmpty ? nil : $0 })
    }
}
