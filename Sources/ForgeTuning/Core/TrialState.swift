/// Where a trial is in its life: waiting (enqueued), running, or finished as complete, pruned or failed.
///
/// The raw values are Optuna's `TrialState` numbers, which its journal and databases store.
public enum TrialState: Int, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// Being evaluated.
    case running = 0
    /// Finished with objective values.
    case complete = 1
    /// Stopped early by a pruner (or by the objective throwing ``TrialPruned``).
    case pruned = 2
    /// The objective threw, returned NaN, or the worker died.
    case failed = 3
    /// Enqueued with fixed parameters, waiting for a worker.
    case waiting = 4

    /// Whether the trial can no longer change (complete, pruned or failed).
    public var isFinished: Bool { self == .complete || self == .pruned || self == .failed }

    /// The lowercase name (`running`, `complete`, …).
    public var description: String {
        switch self {
        case .running: "running"
        case .complete: "complete"
        case .pruned: "pruned"
        case .failed: "failed"
        case .waiting: "waiting"
        }
    }
}

/// Whether an objective is to be minimized or maximized.
///
/// The raw values are Optuna's `StudyDirection` numbers (`NOT_SET` is 0).
public enum StudyDirection: Int, Sendable, Hashable, Codable, CustomStringConvertible {
    /// Smaller is better.
    case minimize = 1
    /// Larger is better.
    case maximize = 2

    /// `minimize` or `maximize`.
    public var description: String { self == .minimize ? "minimize" : "maximize" }

    /// Whether `candidate` is strictly better than `incumbent` in this direction.
    public func isBetter(_ candidate: Double, than incumbent: Double) -> Bool {
        self == .minimize ? candidate < incumbent : candidate > incumbent
    }

    /// The value turned into a loss to minimize (negated when maximizing).
    public func loss(_ value: Double) -> Double { self == .minimize ? value : -value }
}
