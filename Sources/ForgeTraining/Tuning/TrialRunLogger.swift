public import ForgeTracking
public import ForgeTuning
import Foundation

/// Logs every finished trial of a study as a nested tracking run under the study's run: the tracking
/// integration ForgeTuning leaves to its callers (ForgeTuning does not import ForgeTracking).
///
/// Each trial becomes a run named `trial-N` whose parent is `parent`, with the trial's parameters as
/// params, its intermediate values as the `objective` metric over steps, its final value(s) as
/// `objective` (`objective_1`, … for further objectives) at the last step, and its state as the run status
/// (complete → FINISHED, pruned → KILLED, failed → FAILED).
///
/// ```swift
/// let parent = try await tracker.startRun(experiment: "digits-tuning", name: study.name)
/// study.addObserver(TrialRunLogger(tracker: tracker, parent: parent))
/// ```
public struct TrialRunLogger: StudyObserver {
    /// Where trial runs are created.
    public let tracker: Tracker
    /// The study's run.
    public let parent: ActiveRun

    /// Creates a logger of trials as runs nested under `parent`.
    public init(tracker: Tracker, parent: ActiveRun) {
        self.tracker = tracker
        self.parent = parent
    }

    /// Records the finished trial as a nested run (failures to log are reported on the parent as a tag,
    /// never thrown into the study).
    public func trialDidFinish(study: Study, trial: FrozenTrial) async {
        do {
            try await log(trial, studyName: study.name)
        } catch {
            try? parent.record(tag: "forge.trial_log_error.\(trial.number)", value: String("\(error)".prefix(500)))
        }
    }

    /// Creates the run for `trial` and ends it with the status its state maps to.
    func log(_ trial: FrozenTrial, studyName: String) async throws {
        let draft = RunDraft(
            experimentID: parent.info.experimentID, name: "trial-\(trial.number)", user: parent.info.user,
            host: parent.info.host, source: parent.info.source, gitCommit: parent.info.gitCommit,
            parentRunID: parent.id,
            tags: ["forge.study": studyName, "forge.trial_number": String(trial.number), "forge.trial_state": trial.state.description],
            startTime: trial.startDate ?? Date())
        let run = try await tracker.startRun(draft)
        var params: [String: String] = [:]
        for (name, value) in trial.params { params[name] = value.description }
        try await run.logParams(params)
        let steps = trial.intermediateValues.keys.sorted()
        try await run.log(metrics: steps.map { Metric(key: "objective", value: trial.intermediateValues[$0]!, step: $0) })
        let finalStep = (steps.last ?? -1) + 1
        for (index, value) in (trial.values ?? []).enumerated() where !value.isInfinite {
            try await run.logMetric(index == 0 ? "objective" : "objective_\(index)", value, step: finalStep)
        }
        let status: RunStatus
        switch trial.state {
        case .complete: status = .finished
        case .pruned: status = .killed
        case .failed: status = .failed
        case .running, .waiting: status = .running
        }
        if status != .running { try await run.finish(status: status) } else { try await run.flush() }
    }
}
