/// Proposes parameter values for new trials. The extension point behind random, grid, TPE, GP, NSGA-II…
///
/// Like Optuna, a sampler works in two phases on the internal representation (see ``Distribution``):
///
/// 1. When a trial starts, the study calls ``inferRelativeSearchSpace(study:trial:)`` and then
///    ``sampleRelative(study:trial:searchSpace:)`` to draw the parameters it can sample *jointly*
///    (multivariate TPE, GP, grid).
/// 2. Any parameter the objective then suggests that the relative sample did not cover is drawn by
///    ``sampleIndependent(study:trial:name:distribution:)``.
///
/// Conformers must guarantee:
/// - Values returned are in the internal representation and `distribution.contains(value)`;
///   the study clamps and snaps values that are not, but a sampler should not rely on it.
/// - The sampler is `Sendable`: the study may call it from several concurrent trials. Keep mutable state
///   (a random generator, caches) behind a lock, and make results depend only on the seed and the
///   `study` snapshot (plus the call order) so a seeded sequential study is reproducible.
/// - `study` is a snapshot; it may include `trial` itself (running) and other running trials.
public protocol Sampler: Sendable {
    /// The parameters this sampler will sample jointly for `trial`; empty for purely independent samplers.
    func inferRelativeSearchSpace(study: StudyView, trial: FrozenTrial) -> [String: Distribution]

    /// Samples the parameters of `searchSpace` jointly, as internal values keyed by parameter name.
    /// Parameters left out are later sampled independently.
    func sampleRelative(
        study: StudyView, trial: FrozenTrial, searchSpace: [String: Distribution]
    ) throws -> [String: Double]

    /// Samples one parameter on its own, as an internal value.
    func sampleIndependent(
        study: StudyView, trial: FrozenTrial, name: String, distribution: Distribution
    ) throws -> Double

    /// Called when a trial starts, before relative sampling.
    func beforeTrial(study: StudyView, trial: FrozenTrial)

    /// Called after the objective returned and before the trial's final state is stored.
    func afterTrial(study: StudyView, trial: FrozenTrial, state: TrialState, values: [Double]?)
}

extension Sampler {
    /// Default: no relative search space.
    public func inferRelativeSearchSpace(study: StudyView, trial: FrozenTrial) -> [String: Distribution] { [:] }

    /// Default: samples nothing jointly.
    public func sampleRelative(
        study: StudyView, trial: FrozenTrial, searchSpace: [String: Distribution]
    ) throws -> [String: Double] { [:] }

    /// Default: does nothing.
    public func beforeTrial(study: StudyView, trial: FrozenTrial) {}

    /// Default: does nothing.
    public func afterTrial(study: StudyView, trial: FrozenTrial, state: TrialState, values: [Double]?) {}
}

/// The search space shared by a set of trials: the parameters every one of them has, with the same
/// distribution (Optuna's `IntersectionSearchSpace`). Multivariate samplers sample this jointly.
public enum IntersectionSearchSpace {
    /// The intersection of the search spaces of the finished trials in `study`.
    ///
    /// - Parameters:
    ///   - study: the study snapshot.
    ///   - includePruned: whether pruned trials count (their parameters are meaningful too).
    ///   - excludingSingleValue: whether to drop distributions with a single value.
    /// - Returns: the shared parameters and their distribution; empty before any trial finished.
    public static func compute(
        study: StudyView, includePruned: Bool = false, excludingSingleValue: Bool = true
    ) -> [String: Distribution] {
        let states: Set<TrialState> = includePruned ? [.complete, .pruned] : [.complete]
        var space: [String: Distribution]?
        for trial in study.trials(states: states) {
            guard var current = space else {
                space = trial.distributions
                continue
            }
            for (name, distribution) in current where trial.distributions[name] != distribution {
                current[name] = nil
            }
            space = current
        }
        var result = space ?? [:]
        if excludingSingleValue {
            for (name, distribution) in result where distribution.isSingleValue { result[name] = nil }
        }
        return result
    }
}
