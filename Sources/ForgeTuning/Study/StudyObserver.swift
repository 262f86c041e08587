/// Notified when a study run by this process starts and finishes trials: the hook that logs each trial
/// as a nested run of an experiment tracker (ForgeTraining wires it to ForgeTracking).
///
/// Conformers must be `Sendable`; concurrent trials call them concurrently. Errors are the
/// observer's own business: the methods cannot throw, so a failing tracker never fails a trial.
public protocol StudyObserver: Sendable {
    /// A trial started (its fixed parameters, if enqueued, are in `trial.systemAttributes`).
    func trialDidStart(study: Study, trial: FrozenTrial) async

    /// A trial finished: `trial` holds its final state, parameters, values and intermediate values.
    func trialDidFinish(study: Study, trial: FrozenTrial) async
}

extension StudyObserver {
    /// Default: does nothing.
    public func trialDidStart(study: Study, trial: FrozenTrial) async {}
}

/// An observer made of closures.
///
/// ```swift
/// study.addObserver(ClosureStudyObserver(didFinish: { _, trial in print(trial.number, trial.state) }))
/// ```
public struct ClosureStudyObserver: StudyObserver {
    private let didStart: @Sendable (Study, FrozenTrial) async -> Void
    private let didFinish: @Sendable (Study, FrozenTrial) async -> Void

    /// Creates an observer from two closures.
    public init(
        didStart: @escaping @Sendable (Study, FrozenTrial) async -> Void = { _, _ in },
        didFinish: @escaping @Sendable (Study, FrozenTrial) async -> Void
    ) {
        self.didStart = didStart
        self.didFinish = didFinish
    }

    /// Calls `didStart`.
    public func trialDidStart(study: Study, trial: FrozenTrial) async { await didStart(study, trial) }

    /// Calls `didFinish`.
    public func trialDidFinish(study: Study, trial: FrozenTrial) async { await didFinish(study, trial) }
}
