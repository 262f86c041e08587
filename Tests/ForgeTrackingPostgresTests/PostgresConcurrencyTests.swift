import ForgeTracking
import ForgeTrackingPostgres
import Foundation
import PostgresNIO
import Testing

extension PostgresTrackingTests {
    @Suite("Concurrency and schema")
    struct Concurrency {
        @Test func manyClientsAndTasksLogAtOnceWithoutLosingAnything() async throws {
            let configuration = try freshDatabase()
            let (experimentID, sharedRun) = try await PostgresTrackingStore.withStore(configuration: configuration) {
                store in
                let experiment = try await store.createExperiment(named: "load", tags: [:])
                return (
                    experiment.id, try await store.createRun(RunDraft(experimentID: experiment.id, name: "shared")).id
                )
            }
            let clients = 3
            let tasksPerClient = 4
            let batches = 10
            // Each client is its own connection pool, as separate processes would be.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for client in 0..<clients {
                    group.addTask {
                        try await PostgresTrackingStore.withStore(configuration: configuration) { store in
                            try await withThrowingTaskGroup(of: Void.self) { tasks in
                                for task in 0..<tasksPerClient {
                                    tasks.addTask {
                                        let worker = "w\(client)-\(task)"
                                        let own = try await store.createRun(
                                            RunDraft(experimentID: experimentID, name: worker))
                                        for batch in 0..<batches {
                                            let metrics = (0..<20).map {
                                                Metric(key: "x", value: Double(batch * 20 + $0), step: batch * 20 + $0)
                                            }
                                            try await store.logBatch(
                                                runID: own.id, metrics: metrics,
                                                params: [Param(key: "worker", value: worker)],
                                                tags: ["batch": "\(batch)"])
                                            try await store.logBatch(
                                                runID: sharedRun, metrics: [Metric(key: worker, value: 1, step: batch)],
                                                params: [Param(key: worker, value: "\(client)")], tags: [:])
                                        }
                                    }
                                }
                                try await tasks.waitForAll()
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            try await PostgresTrackingStore.withStore(configuration: configuration) { store in
                let shared = try await store.run(id: sharedRun)
                #expect(shared.params.count == clients * tasksPerClient)
                #expect(shared.latestMetrics.count == clients * tasksPerClient)
                #expect(shared.latestMetrics.values.allSatisfy { $0.step == batches - 1 })
                let runs = try await store.allRuns(experimentIDs: [experimentID])
                #expect(runs.count == clients * tasksPerClient + 1)
                for run in runs where run.id != sharedRun {
                    let history = try await store.metricHistory(runID: run.id, key: "x")
                    #expect(history.map(\.value) == (0..<(batches * 20)).map(Double.init), "run \(run.info.name)")
                    #expect(run.latestMetrics["x"]?.step == batches * 20 - 1 && run.tags["batch"] == "\(batches - 1)")
                }
            }
        }

        @Test func concurrentConflictingParamsLeaveExactlyOneValue() async throws {
            try await withFreshStore { store in
                let experiment = try await store.createExperiment(named: "race", tags: [:])
                let run = try await store.createRun(RunDraft(experimentID: experiment.id, name: "r"))
                let outcomes = try await withThrowingTaskGroup(of: (String, Bool).self) { group in
                    for value in 0..<12 {
                        group.addTask {
                            do {
                                try await store.logBatch(
                                    runID: run.id, metrics: [Metric(key: "m\(value)", value: 1)],
                                    params: [Param(key: "seed", value: "\(value)")], tags: [:])
                                return ("\(value)", true)
                            } catch TrackingError.parameterChanged(_, "seed", _, let new) {
                                return (new, false)
                            }
                        }
                    }
                    return try await group.reduce(into: [(String, Bool)]()) { $0.append($1) }
                }
                let winners = outcomes.filter(\.1).map(\.0)
                #expect(winners.count == 1)
                let stored = try await store.run(id: run.id)
                #expect(stored.params == ["seed": winners.first ?? "?"])
                #expect(Set(stored.latestMetrics.keys) == ["m\(winners.first ?? "?")"], "losers' metrics rolled back")
            }
        }

        @Test func theSchemaIsCreatedOnceWhenManyProcessesStartTogether() async throws {
            let configuration = try freshDatabase()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<5 {
                    group.addTask {
                        try await PostgresTrackingStore.withStore(configuration: configuration) { store in
                            _ = try await store.experiment(namedOrCreated: "shared")
                        }
                    }
                }
                try await group.waitForAll()
            }
            try await PostgresTrackingStore.withStore(configuration: configuration) { store in
                #expect(try await store.experiments().map(\.name) == ["shared"])
                let rows = try await store.client.query(
                    "SELECT component, version FROM forge_schema_migrations"
                ).collect()
                var versions: [String: Int] = [:]
                for row in rows {
                    let (component, version) = try row.decode((String, Int).self)
                    versions[component] = version
                }
                #expect(versions == ["tracking": 1])
                try await store.client.query("UPDATE forge_schema_migrations SET version = 99")
            }
            await #expect {
                try await PostgresTrackingStore.withStore(configuration: configuration) { _ in }
            } throws: { error in
                guard case TrackingError.storeFailure(_, let reason) = error else { return false }
                return reason.contains("version 99")
            }
        }
    }
}
