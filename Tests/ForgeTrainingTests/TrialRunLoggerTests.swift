import ForgeTracking
import ForgeTuning
import Foundation
import Testing

@testable import ForgeTraining

@Suite("Tuning trials as nested tracking runs")
struct TrialRunLoggerTests {
    @Test func finishedPrunedAndFailedTrialsBecomeNestedRuns() async throws {
        let store = InMemoryTrackingStore()
        let tracker = Tracker(store: store, mode: .synchronous)
        let parent = try await tracker.startRun(experiment: "tuning", name: "study")
        let logger = TrialRunLogger(tracker: tracker, parent: parent)
        let start = Date(timeIntervalSince1970: 1_700_000_000)
        var complete = FrozenTrial(id: 0, number: 0, state: .complete, startDate: start)
        complete.values = [0.25]
        complete.internalParams = ["lr": 0.01]
        complete.distributions = ["lr": try .float(low: 1e-4, high: 1, log: true)]
        complete.intermediateValues = [0: 0.5, 1: 0.3]
        var pruned = FrozenTrial(id: 1, number: 1, state: .pruned, startDate: start)
        pruned.intermediateValues = [0: 0.9]
        let failed = FrozenTrial(id: 2, number: 2, state: .failed, startDate: start)
        for trial in [complete, pruned, failed] { try await logger.log(trial, studyName: "s") }

        let experiment = try #require(try await store.experiment(named: "tuning"))
        let children = try await store.searchRuns(
            experimentIDs: [experiment.id], filter: "attributes.parent_run_id = '\(parent.id)'",
            orderBy: [RunOrdering(.attribute(.runName))])
        #expect(children.runs.map(\.info.name) == ["trial-0", "trial-1", "trial-2"])
        #expect(children.runs.map(\.info.status) == [.finished, .killed, .failed])
        #expect(children.runs[0].params["lr"] == "0.01")
        #expect(children.runs[0].info.startTime == start)
        let history = try await store.metricHistory(runID: children.runs[0].id, key: "objective")
        #expect(history.map(\.step) == [0, 1, 2])
        #expect(history.map(\.value) == [0.5, 0.3, 0.25])
        #expect(children.runs[1].latestMetrics["objective"]?.value == 0.9)
        #expect(children.runs[2].latestMetrics.isEmpty)
    }
}
