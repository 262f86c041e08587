import ForgeTracking
import ForgeTrackingPostgres
import Foundation
import Testing

extension PostgresTrackingTests {
    /// The SQL search against the reference: the same runs in an ``InMemoryTrackingStore`` (whose filter
    /// and sort are plain Swift) must give the same names in the same order for every query.
    @Suite("Run search in SQL")
    struct Search {
        /// Logs the same 30 runs into `store`; returns the experiment id.
        static func populate(_ store: any TrackingStore) async throws -> String {
            let experiment = try await store.createExperiment(named: "sweep", tags: [:])
            let base = Date(timeIntervalSinceReferenceDate: 780_000_000)
            for index in 0..<30 {
                var tags = ["team": index.isMultiple(of: 3) ? "vision" : "nlp"]
                if index.isMultiple(of: 5) { tags["note"] = "Best_%run \(index)" }
                // Start times are distinct: the final tie-break is the run id, which differs between stores.
                let draft = RunDraft(
                    experimentID: experiment.id, name: "trial-\(index)", user: index < 15 ? "ada" : "grace",
                    host: "h", source: "s", gitCommit: nil, parentRunID: nil, tags: tags,
                    startTime: base.addingTimeInterval(Double((index * 7) % 30) * 60.000_4))
                let run = try await store.createRun(draft)
                var params = [
                    Param(key: "optimizer", value: ["adam", "sgd", "Adam"][index % 3]),
                    Param(key: "lr", value: ["0.1", "1e-3", "0.01", "10", "2"][index % 5]),
                ]
                if index % 4 != 0 { params.append(Param(key: "layers", value: String(index % 4))) }
                var metrics = [Metric(key: "accuracy", value: Double(index % 10) / 10, step: 2, timestamp: base)]
                metrics.append(Metric(key: "accuracy", value: 0.99, step: 1, timestamp: base))  // not the latest
                if index % 6 == 0 { metrics.append(Metric(key: "loss", value: .nan, step: 0, timestamp: base)) }
                if index % 6 == 1 {
                    metrics.append(Metric(key: "loss", value: Double(index), step: 0, timestamp: base))
                }
                try await store.logBatch(runID: run.id, metrics: metrics, params: params, tags: [:])
                if index % 2 == 0 {
                    try await store.updateRun(
                        id: run.id, status: .finished, endTime: base.addingTimeInterval(Double(index) * 0.001_5))
                }
            }
            return experiment.id
        }

        static let filters = [
            "", "metrics.accuracy > 0.5", "metrics.accuracy >= 0.5 and params.optimizer = 'adam'",
            "metrics.accuracy = 0.3", "metrics.accuracy != 0.3", "metrics.loss != 7", "metrics.loss = 'nan'",
            "metrics.loss != 'nan'", "metrics.loss < 100", "metrics.loss IN (7, 13, 'x')", "metrics.loss NOT IN (7)",
            "metrics.accuracy < '0.25'", "params.lr = 0.001", "params.lr = '0.001'", "params.lr > 1",
            "params.lr < '0.5'", "params.lr >= 'a'", "params.optimizer < 'b'", "params.optimizer != 'adam'",
            "params.optimizer LIKE 'a%'", "params.optimizer ILIKE 'A%'", "params.optimizer IN ('adam', 'sgd')",
            "params.optimizer NOT IN ('adam')", "params.lr IN (10, '0.1')", "params.layers != 2",
            "params.layers NOT IN (1, 2)", "tags.note LIKE 'Best\\_%'", "tags.note LIKE '%\\%%'",
            "tags.note LIKE 'Best_%run 1_'", "tags.team = 'vision' or metrics.accuracy > 0.8",
            "(tags.team = 'vision' or tags.team = 'nlp') and attributes.status = 'FINISHED'",
            "attributes.status != 'FINISHED'", "attributes.user = 'grace' and metrics.accuracy <= 0.2",
            "attributes.run_name LIKE 'trial-1%'", "attributes.run_name > 'trial-25'",
            "attributes.start_time > 0", "attributes.end_time >= 0", "attributes.parent_run_id = 'x'",
        ]

        static let orderings: [[RunOrdering]] = [
            [], [RunOrdering(.metric("accuracy"), ascending: false)], [RunOrdering(.metric("loss"))],
            [RunOrdering(.metric("loss"), ascending: false)], [RunOrdering(.param("lr"))],
            [RunOrdering(.param("lr"), ascending: false), RunOrdering(.attribute(.runName))],
            [RunOrdering(.param("layers"))], [RunOrdering(.param("optimizer")), RunOrdering(.metric("accuracy"))],
            [RunOrdering(.tag("note"), ascending: false)], [RunOrdering(.attribute(.endTime))],
            [RunOrdering(.attribute(.startTime), ascending: true)],
        ]

        @Test func filtersAndOrderingsMatchTheInMemoryReference() async throws {
            let reference = InMemoryTrackingStore()
            let referenceExperiment = try await Self.populate(reference)
            try await withFreshStore { store in
                let experiment = try await Self.populate(store)
                var compared = 0
                for filter in Self.filters {
                    for orderBy in Self.orderings {
                        let expected = try await reference.searchRuns(
                            experimentIDs: [referenceExperiment], filter: filter, orderBy: orderBy, maxResults: 100)
                        let actual = try await store.searchRuns(
                            experimentIDs: [experiment], filter: filter, orderBy: orderBy, maxResults: 100)
                        #expect(
                            actual.runs.map(\.info.name) == expected.runs.map(\.info.name),
                            "filter \"\(filter)\" ordered by \(orderBy)")
                        compared += 1
                    }
                }
                #expect(compared == Self.filters.count * Self.orderings.count)
                let all = try await store.searchRuns(experimentIDs: [experiment], maxResults: 100)
                #expect(all.runs.count == 30)
                let some = try await store.searchRuns(
                    experimentIDs: [experiment], filter: "metrics.accuracy > 0.5", maxResults: 100)
                #expect(some.runs.count == 12, "the filter really filters (0.6 … 0.9 in three decades)")
            }
        }

        @Test func pagesCoverEveryRunOnceAndTokensAreChecked() async throws {
            try await withFreshStore { store in
                let experiment = try await Self.populate(store)
                let orderBy = [RunOrdering(.metric("accuracy"), ascending: false)]
                var names: [String] = []
                var token: String?
                var pages = 0
                repeat {
                    let page = try await store.searchRuns(
                        experimentIDs: [experiment], orderBy: orderBy, maxResults: 7, pageToken: token)
                    #expect(page.runs.count == (pages < 4 ? 7 : 2))
                    names += page.runs.map(\.info.name)
                    token = page.nextPageToken
                    pages += 1
                } while token != nil
                #expect(pages == 5 && names.count == 30 && Set(names).count == 30)
                let full = try await store.searchRuns(experimentIDs: [experiment], orderBy: orderBy, maxResults: 30)
                #expect(full.runs.map(\.info.name) == names && full.nextPageToken == nil)
                let page = try #require(full.runs.first)
                #expect(page.params["optimizer"] != nil && page.latestMetrics["accuracy"] != nil)
                await #expect(throws: TrackingError.invalidPageToken("zzz")) {
                    _ = try await store.searchRuns(experimentIDs: [experiment], pageToken: "zzz")
                }
                #expect(try await store.searchRuns(experimentIDs: ["77", "x"]).runs.isEmpty)
                #expect(try await store.searchRuns(experimentIDs: []).runs.isEmpty)
            }
        }

        @Test func filterLiteralsAreBoundNotSpliced() async throws {
            try await withFreshStore { store in
                let experiment = try await Self.populate(store)
                let hostile = "params.optimizer = 'x''; DROP TABLE forge_tracking_runs; --'"
                #expect(try await store.searchRuns(experimentIDs: [experiment], filter: hostile).runs.isEmpty)
                #expect(try await store.searchRuns(experimentIDs: [experiment], maxResults: 100).runs.count == 30)
            }
        }
    }
}
