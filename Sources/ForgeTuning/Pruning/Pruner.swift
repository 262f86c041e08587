/// Decides whether a running trial should stop early, from its intermediate values and those of other
/// trials. The extension point behind the median, percentile, successive-halving and Hyperband pruners.
///
/// Conformers must guarantee:
/// - `shouldPrune` only reads its arguments; it is called from ``Trial/shouldPrune()`` after the
///   trial reported a value, with `trial` holding every value reported so far and `study` a fresh snapshot.
/// - The pruner is `Sendable`: several trials may ask at once.
///
/// A pruner that must remember something per trial (successive halving records the rungs a trial
/// passed) implements ``decide(study:trial:)`` and returns system attributes for the study to store.
public protocol Pruner: Sendable {
    /// Whether `trial` should stop now.
    func shouldPrune(study: StudyView, trial: FrozenTrial) -> Bool

    /// The decision plus system attributes to store on the trial; by default wraps ``shouldPrune(study:trial:)``.
    func decide(study: StudyView, trial: FrozenTrial) -> PruningDecision
}

extension Pruner {
    /// Default: ``shouldPrune(study:trial:)`` with no attributes to store.
    public func decide(study: StudyView, trial: FrozenTrial) -> PruningDecision {
        PruningDecision(prune: shouldPrune(study: study, trial: trial))
    }
}

/// A pruner's answer: whether to stop, and system attributes to record on the trial first.
public struct PruningDecision: Sendable, Hashable {
    /// Whether the trial should stop.
    public var prune: Bool
    /// System attributes the study stores on the trial (visible to later decisions of every worker).
    public var trialSystemAttributes: [String: AttributeValue]

    /// Creates a decision.
    public init(prune: Bool, trialSystemAttributes: [String: AttributeValue] = [:]) {
        self.prune = prune
        self.trialSystemAttributes = trialSystemAttributes
    }
}

/// A pruner that never prunes (the default of a study without a pruner).
public struct NopPruner: Pruner {
    /// Creates the pruner.
    public init() {}

    /// Always `false`.
    public func shouldPrune(study: StudyView, trial: FrozenTrial) -> Bool { false }
}
