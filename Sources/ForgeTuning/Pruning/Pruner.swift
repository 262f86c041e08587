/// Decides whether a running trial should stop early, from its intermediate values and those of other
/// trials. The extension point behind the median, percentile, successive-halving and Hyperband pruners.
///
/// Conformers must guarantee:
/// - `shouldPrune` only reads its arguments; it is called from ``Trial/shouldPrune()`` after the
///   trial reported a value, with `trial` holding every value reported so far.
/// - The pruner is `Sendable`: several trials may ask at once.
public protocol Pruner: Sendable {
    /// Whether `trial` should stop now.
    func shouldPrune(study: StudyView, trial: FrozenTrial) -> Bool
}

/// A pruner that never prunes (the default of a study without a pruner).
public struct NopPruner: Pruner {
    /// Creates the pruner.
    public init() {}

    /// Always `false`.
    public func shouldPrune(study: StudyView, trial: FrozenTrial) -> Bool { false }
}
