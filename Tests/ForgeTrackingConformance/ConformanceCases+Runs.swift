import ForgeTracking
import Foundation

extension TrackingStoreConformance {
    static let experimentCases: [ConformanceCase] = [
        ConformanceCase("experiments are created, found by id and name, and listed") { store in
            let created = try await Fixture.experiment(store, "experiments", tags: ["team": "vision", "note": "a b"])
            try Check.that(!created.id.isEmpty, "the experiment id is empty")
            try Check.equal(created.tags, ["team": "vision", "note": "a b"], "tags of the created experiment")
            let byID = try await store.experiment(id: created.id)
            try Check.equal(byID.name, created.name, "name of experiment(id:)")
            try Check.equal(byID.tags, created.tags, "tags of experiment(id:)")
            try Check.sameInstant(byID.creationTime, created.creationTime, "creation time of experiment(id:)")
            let byName = try await store.experiment(named: created.name)
            try Check.equal(byName?.id, created.id, "experiment(named:) id")
            let listed = try await store.experiments()
            try Check.that(listed.contains { $0.id == created.id }, "experiments() lacks \(created.name)")
            let missing = try await store.experiment(named: created.name + "-absent")
            try Check.that(
                missing == nil, "experiment(named:) of an unknown name returned \(String(describing: missing))")
            let again = try await store.experiment(namedOrCreated: created.name)
            try Check.equal(again.id, created.id, "experiment(namedOrCreated:) of an existing name")
        },
        ConformanceCase("a duplicate experiment name, an unknown id and an invalid name are errors") { store in
            let created = try await Fixture.experiment(store, "duplicate")
            try await Check.throwsError(
                "creating \(created.name) twice",
                accept: { error in
                    if case TrackingError.experimentExists = error { return true }
                    return false
                }
            ) { _ = try await store.createExperiment(named: created.name, tags: [:]) }
            try await Check.throwsError("experiment(id:) of an unknown id", accept: Expected.experimentNotFound) {
                _ = try await store.experiment(id: "987654321")
            }
            try await Check.throwsError("an experiment name with a newline", accept: Expected.invalidKey) {
                _ = try await store.createExperiment(named: "bad\nname", tags: [:])
            }
        },
    ]

    static let runCases: [ConformanceCase] = [
        ConformanceCase("a run keeps every field of its draft and ends with updateRun") { store in
            let experiment = try await Fixture.experiment(store, "run-fields")
            let draft = Fixture.draft(experiment, name: "baseline", startOffset: 1234, tags: ["stage": "dev"])
            let info = try await store.createRun(draft)
            try Check.that(!info.id.isEmpty, "the run id is empty")
            try Check.equal(info.status, .running, "status of a new run")
            let stored = try await store.run(id: info.id)
            try Check.equal(stored.info.id, info.id, "run(id:) id")
            try Check.equal(stored.info.experimentID, experiment.id, "experiment id")
            try Check.equal(stored.info.name, "baseline", "run name")
            try Check.equal(stored.info.user, draft.user, "user")
            try Check.equal(stored.info.host, draft.host, "host")
            try Check.equal(stored.info.source, draft.source, "source")
            try Check.equal(stored.info.gitCommit, draft.gitCommit, "git commit")
            try Check.equal(stored.info.parentRunID, nil, "parent of a top-level run")
            try Check.sameInstant(stored.info.startTime, draft.startTime, "start time")
            try Check.sameInstant(stored.info.endTime, nil, "end time of a running run")
            try Check.equal(stored.tags["stage"], "dev", "tag given in the draft")
            try Check.equal(stored.params, [:], "params of a new run")
            try Check.that(stored.latestMetrics.isEmpty, "a new run has metrics: \(stored.latestMetrics)")
            let end = Fixture.time(99_000)
            try await store.updateRun(id: info.id, status: .finished, endTime: end)
            let ended = try await store.run(id: info.id)
            try Check.equal(ended.info.status, .finished, "status after updateRun")
            try Check.sameInstant(ended.info.endTime, end, "end time after updateRun")
            try await store.updateRun(id: info.id, status: .failed, endTime: end)
            try Check.equal(try await store.run(id: info.id).info.status, .failed, "status after a second updateRun")
        },
        ConformanceCase("unknown runs and experiments are reported as not found") { store in
            let experiment = try await Fixture.experiment(store, "not-found")
            let absent = "0123456789abcdef0123456789abcdef"
            try await Check.throwsError("run(id:) of an unknown run", accept: Expected.runNotFound) {
                _ = try await store.run(id: absent)
            }
            try await Check.throwsError("updateRun of an unknown run", accept: Expected.runNotFound) {
                try await store.updateRun(id: absent, status: .finished, endTime: Date())
            }
            try await Check.throwsError("logBatch to an unknown run", accept: Expected.runNotFound) {
                try await store.logBatch(runID: absent, metrics: [Metric(key: "m", value: 1)], params: [], tags: [:])
            }
            try await Check.throwsError("metricHistory of an unknown run", accept: Expected.runNotFound) {
                _ = try await store.metricHistory(runID: absent, key: "m")
            }
            try await Check.throwsError("createRun in an unknown experiment", accept: Expected.experimentNotFound) {
                var draft = Fixture.draft(experiment, name: "orphan")
                draft.experimentID = "987654321"
                _ = try await store.createRun(draft)
            }
            try await Check.throwsError("createRun under an unknown parent", accept: Expected.runNotFound) {
                _ = try await store.createRun(Fixture.draft(experiment, name: "orphan", parent: absent))
            }
        },
        ConformanceCase("nested runs record their parent and are found by it") { store in
            let experiment = try await Fixture.experiment(store, "nested")
            let parent = try await store.createRun(Fixture.draft(experiment, name: "study"))
            var children: [String] = []
            for index in 0..<3 {
                let child = try await store.createRun(
                    Fixture.draft(experiment, name: "trial-\(index)", startOffset: 10 * (index + 1), parent: parent.id))
                try Check.equal(child.parentRunID, parent.id, "parent of trial-\(index) as created")
                children.append(child.id)
            }
            let stored = try await store.run(id: children[1])
            try Check.equal(stored.info.parentRunID, parent.id, "parent of a stored child")
            let page = try await store.searchRuns(
                experimentIDs: [experiment.id], filter: "attributes.parent_run_id = '\(parent.id)'")
            try Check.equal(Set(page.runs.map(\.id)), Set(children), "children found by parent_run_id")
        },
        ConformanceCase("deleteRun removes the run and everything logged to it") { store in
            let experiment = try await Fixture.experiment(store, "delete")
            let kept = try await store.createRun(Fixture.draft(experiment, name: "kept"))
            let deleted = try await store.createRun(Fixture.draft(experiment, name: "deleted", startOffset: 5))
            for run in [kept, deleted] {
                try await store.logBatch(
                    runID: run.id, metrics: [Metric(key: "loss", value: 0.5, step: 1, timestamp: Fixture.time(1))],
                    params: [Param(key: "lr", value: "0.1")], tags: ["t": "v"])
            }
            try await store.recordArtifacts(
                runID: deleted.id, [ArtifactRecord(path: "a.txt", digest: String(repeating: "a", count: 64), size: 1)])
            try await store.deleteRun(id: deleted.id)
            try await Check.throwsError("run(id:) after deleteRun", accept: Expected.runNotFound) {
                _ = try await store.run(id: deleted.id)
            }
            try await Check.throwsError("metricHistory after deleteRun", accept: Expected.runNotFound) {
                _ = try await store.metricHistory(runID: deleted.id, key: "loss")
            }
            try await Check.throwsError("deleteRun twice", accept: Expected.runNotFound) {
                try await store.deleteRun(id: deleted.id)
            }
            let remaining = try await store.allRuns(experimentIDs: [experiment.id])
            try Check.equal(remaining.map(\.id), [kept.id], "runs left in the experiment")
            try Check.equal(remaining.first?.params, ["lr": "0.1"], "params of the run kept")
            let history = try await store.metricHistory(runID: kept.id, key: "loss")
            try Check.equal(history.count, 1, "history of the run kept")
        },
    ]
}
