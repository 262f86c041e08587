import ForgeTracking
import Foundation

extension TrackingStoreConformance {
    /// Twelve runs with params, metrics (one NaN, some missing) and tags, started 1 s apart.
    private static func searchFixture(_ store: any TrackingStore) async throws -> (Experiment, [Run]) {
        let experiment = try await Fixture.experiment(store, "search")
        let optimizers = ["adam", "sgd", "rmsprop", "Adam"]
        let rates = ["0.01", "0.001", "1e-4", "0.010"]
        let teams: [String?] = ["vision", "nlp", nil]
        for index in 0..<12 {
            let info = try await store.createRun(
                Fixture.draft(experiment, name: "trial-\(index)", startOffset: 1000 * index))
            var metrics = [
                Metric(key: "loss", value: 1 / Double(index + 2), step: 3, timestamp: Fixture.time(1000 * index + 3))
            ]
            if index != 5 {
                let accuracy = index == 7 ? Double.nan : Double((index * 7) % 12) / 12
                metrics.append(
                    Metric(key: "accuracy", value: accuracy, step: 3, timestamp: Fixture.time(1000 * index + 3)))
            }
            var tags = ["note": index.isMultiple(of: 3) ? "x_\(index)" : "plain"]
            if let team = teams[index % 3] { tags["team"] = team }
            try await store.logBatch(
                runID: info.id, metrics: metrics,
                params: [
                    Param(key: "optimizer", value: optimizers[index % 4]), Param(key: "lr", value: rates[index % 4]),
                    Param(key: "depth", value: String(index % 5)),
                ], tags: tags)
            if index % 4 != 3 {
                try await store.updateRun(id: info.id, status: .finished, endTime: Fixture.time(1000 * index + 500))
            }
        }
        return (experiment, try await store.allRuns(experimentIDs: [experiment.id]))
    }

    /// Filters whose results are checked against `RunFilter.matches` on the store's runs.
    static let referenceFilters = [
        "metrics.accuracy > 0.5",
        "metrics.accuracy >= 0.5 and params.optimizer = 'adam'",
        "metrics.accuracy != 0.25",
        "metrics.loss <= 0.2 or tags.team = 'nlp'",
        "(tags.team = 'vision' or tags.team = 'nlp') and metrics.loss < 0.3",
        "params.lr > 0.001",
        "params.lr = 0.01",
        "params.lr = '0.01'",
        "params.lr IN ('0.001', 0.0001)",
        "params.optimizer NOT IN ('adam', 'sgd')",
        "params.optimizer LIKE 'ad%'",
        "params.optimizer ILIKE 'AD%'",
        "params.depth < '3'",
        "params.depth >= 2 and params.depth != 4",
        "tags.note LIKE 'x%' or tags.note LIKE '%_1'",
        "tags.team != 'vision'",
        "attributes.status = 'FINISHED'",
        "attributes.status != 'RUNNING' and attributes.run_name LIKE 'trial-1%'",
        "attributes.start_time >= \(Int(Fixture.time(6000).timeIntervalSince1970 * 1000))",
        "attributes.end_time < \(Int(Fixture.time(4000).timeIntervalSince1970 * 1000))",
        "metrics.absent > 0 or params.absent = 'x'",
    ]

    /// Orderings checked against `RunOrdering.sort` on the store's runs.
    static let referenceOrderings: [[String]] = [
        ["metrics.accuracy DESC"],
        ["metrics.accuracy ASC"],
        ["params.optimizer ASC", "metrics.loss DESC"],
        ["tags.team DESC", "attributes.run_name ASC"],
        ["attributes.start_time ASC"],
        ["attributes.end_time DESC"],
        ["params.depth DESC"],
    ]

    static let searchCases: [ConformanceCase] = [
        ConformanceCase("search filters match RunFilter.matches on the store's runs") { store in
            let (experiment, runs) = try await searchFixture(store)
            try Check.equal(runs.count, 12, "runs in the search fixture")
            for text in referenceFilters {
                let filter = try RunFilter(parsing: text)
                let expected = Set(runs.filter { filter.matches($0) }.map(\.info.name))
                let found = try await store.allRuns(experimentIDs: [experiment.id], filter: filter)
                try Check.equal(Set(found.map(\.info.name)), expected, "runs matching \(text)")
            }
            let hand = try await store.searchRuns(
                experimentIDs: [experiment.id], filter: "metrics.accuracy > 0.5 and params.optimizer = 'adam'")
            try Check.equal(Set(hand.runs.map(\.info.name)), ["trial-8"], "accuracy > 0.5 and adam")
            let nan = try await store.searchRuns(experimentIDs: [experiment.id], filter: "metrics.accuracy >= 0")
            try Check.that(!nan.runs.contains { $0.info.name == "trial-7" }, "a NaN metric matched >= 0")
            try Check.that(!nan.runs.contains { $0.info.name == "trial-5" }, "a run without the metric matched")
        },
        ConformanceCase("search orders like RunOrdering.sort, missing and NaN values last") { store in
            let (experiment, runs) = try await searchFixture(store)
            for texts in referenceOrderings {
                let orderings = try texts.map { try RunOrdering(parsing: $0) }
                let expected = RunOrdering.sort(runs, by: orderings).map(\.info.name)
                let found = try await store.allRuns(experimentIDs: [experiment.id], orderBy: orderings)
                try Check.equal(found.map(\.info.name), expected, "order by \(texts.joined(separator: ", "))")
            }
            let byDefault = try await store.allRuns(experimentIDs: [experiment.id])
            try Check.equal(
                byDefault.map(\.info.name), (0..<12).reversed().map { "trial-\($0)" }, "default order (newest first)")
            let best = try await store.searchRuns(
                experimentIDs: [experiment.id], orderBy: [RunOrdering(.metric("accuracy"), ascending: false)],
                maxResults: 12)
            try Check.equal(
                Array(best.runs.suffix(2).map(\.info.name)).sorted(), ["trial-5", "trial-7"], "NaN and missing last")
        },
        ConformanceCase("search pages with tokens and rejects tokens it did not issue") { store in
            let (experiment, _) = try await searchFixture(store)
            let orderBy = [RunOrdering(.metric("loss"), ascending: true)]
            let all = try await store.searchRuns(experimentIDs: [experiment.id], orderBy: orderBy, maxResults: 100)
            try Check.equal(all.nextPageToken, nil, "token of a page holding every run")
            var paged: [String] = []
            var token: String?
            var pages = 0
            repeat {
                let page = try await store.searchRuns(
                    experimentIDs: [experiment.id], orderBy: orderBy, maxResults: 5, pageToken: token)
                try Check.that(page.runs.count <= 5, "a page of \(page.runs.count) runs with maxResults 5")
                paged += page.runs.map(\.info.name)
                token = page.nextPageToken
                pages += 1
            } while token != nil && pages < 10
            try Check.equal(pages, 3, "pages of 5 over 12 runs")
            try Check.equal(paged, all.runs.map(\.info.name), "runs concatenated over pages")
            try await Check.throwsError("a page token the store did not issue", accept: Expected.anyTrackingError) {
                _ = try await store.searchRuns(experimentIDs: [experiment.id], pageToken: "not-a-token")
            }
            try await Check.throwsError(
                "an unparsable filter",
                accept: { error in
                    if case TrackingError.invalidFilter = error { return true }
                    return false
                }
            ) { _ = try await store.searchRuns(experimentIDs: [experiment.id], filter: "metrics.loss >") }
            let other = try await Fixture.experiment(store, "search-empty")
            let empty = try await store.searchRuns(experimentIDs: [other.id])
            try Check.equal(empty.runs.count, 0, "runs of an empty experiment")
            try Check.equal(try await store.searchRuns(experimentIDs: []).runs.count, 0, "runs of no experiment")
            let both = try await store.searchRuns(experimentIDs: [experiment.id, other.id], maxResults: 100)
            try Check.equal(both.runs.count, 12, "runs of two experiments")
        },
    ]
}
