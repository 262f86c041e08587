/// A read-only snapshot of a study that samplers and pruners work on.
///
/// The study takes it from its storage before asking a sampler or pruner, so both stay synchronous
/// and can be tested with hand-made trials:
///
/// ```swift
/// let view = StudyView(name: "test", directions: [.minimize], trials: [trialA, trialB])
/// let next = try sampler.sampleIndependent(study: view, trial: running, name: "x", distribution: space)
/// ```
public struct StudyView: Sendable {
    /// The study's name.
    public var name: String
    /// One direction per objective.
    public var directions: [StudyDirection]
    /// Every trial of the study in number order, in any state, as of the snapshot.
    public var allTrials: [FrozenTrial]
    /// The study's user attributes.
    public var userAttributes: [String: AttributeValue]

    /// Creates a view; trials are sorted by number.
    public init(
        name: String, directions: [StudyDirection], trials: [FrozenTrial],
        userAttributes: [String: AttributeValue] = [:]
    ) {
        self.name = name
        self.directions = directions
        let ordered = zip(trials, trials.dropFirst()).allSatisfy { $0.number < $1.number }
        self.allTrials = ordered ? trials : trials.sorted { $0.number < $1.number }
        self.userAttributes = userAttributes
    }

    /// The direction of a single-objective study (the first direction).
    public var direction: StudyDirection { directions[0] }

    /// Whether the study has more than one objective.
    public var isMultiObjective: Bool { directions.count > 1 }

    /// The trials in any of `states` (all trials when `states` is `nil`), in number order.
    public func trials(states: Set<TrialState>? = nil) -> [FrozenTrial] {
        guard let states else { return allTrials }
        return allTrials.filter { states.contains($0.state) }
    }

    /// The best completed trial of a single-objective study, or `nil` when none completed.
    public var bestTrial: FrozenTrial? {
        var best: FrozenTrial?
        for trial in allTrials where trial.state == .complete {
            guard let value = trial.values?.first, !value.isNaN else { continue }
            if let incumbent = best?.values?.first, !direction.isBetter(value, than: incumbent) { continue }
            best = trial
        }
        return best
    }

    /// The completed trials no other completed trial dominates (the Pareto front), in number order.
    public var paretoFront: [FrozenTrial] {
        let complete = trials(states: [.complete]).filter { ($0.values?.count ?? 0) == directions.count }
        return complete.filter { candidate in
            !complete.contains { $0.dominates(candidate, directions: directions) }
        }
    }
}
