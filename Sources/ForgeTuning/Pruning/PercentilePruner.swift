/// Prunes a trial whose best intermediate value so far is worse than the given percentile of the values
/// other completed trials reported at the same step (Optuna's `PercentilePruner`, same rules).
///
/// ```swift
/// let pruner = try PercentilePruner(percentile: 25, startupTrials: 5, warmupSteps: 2)
/// ```
public struct PercentilePruner: Pruner {
    /// The percentile (0–100) of other trials' values a trial must beat; 50 is the median.
    public let percentile: Double
    /// No pruning until this many trials completed.
    public let startupTrials: Int
    /// No pruning before this step of a trial.
    public let warmupSteps: Int
    /// Only check at every `intervalSteps`-th step after the warm-up.
    public let intervalSteps: Int
    /// No pruning at a step fewer than this many completed trials reported.
    public let minimumTrials: Int

    /// Creates the pruner.
    /// - Throws: ``TuningError/invalidArgument(reason:)`` for a percentile outside 0…100, negative
    ///   counts, or `intervalSteps`/`minimumTrials` below 1.
    public init(
        percentile: Double, startupTrials: Int = 5, warmupSteps: Int = 0, intervalSteps: Int = 1,
        minimumTrials: Int = 1
    ) throws(TuningError) {
        guard (0...100).contains(percentile) else {
            throw .invalidArgument(reason: "PercentilePruner: percentile \(percentile) is outside 0...100")
        }
        guard startupTrials >= 0, warmupSteps >= 0 else {
            throw .invalidArgument(
                reason: "PercentilePruner: startupTrials \(startupTrials) and warmupSteps \(warmupSteps) must be ≥ 0")
        }
        guard intervalSteps >= 1, minimumTrials >= 1 else {
            throw .invalidArgument(
                reason: "PercentilePruner: intervalSteps \(intervalSteps) and minimumTrials \(minimumTrials) must be ≥ 1")
        }
        self.init(
            checkedPercentile: percentile, startupTrials: startupTrials, warmupSteps: warmupSteps,
            intervalSteps: intervalSteps, minimumTrials: minimumTrials)
    }

    init(checkedPercentile percentile: Double, startupTrials: Int, warmupSteps: Int, intervalSteps: Int, minimumTrials: Int) {
        self.percentile = percentile
        self.startupTrials = startupTrials
        self.warmupSteps = warmupSteps
        self.intervalSteps = intervalSteps
        self.minimumTrials = minimumTrials
    }

    /// Whether `trial`'s best value so far is worse than the percentile at its last step.
    public func shouldPrune(study: StudyView, trial: FrozenTrial) -> Bool {
        let completed = study.trials(states: [.complete])
        guard !completed.isEmpty, completed.count >= startupTrials else { return false }
        guard let step = trial.lastStep, step >= warmupSteps else { return false }
        guard Self.isFirstInInterval(step: step, steps: trial.intermediateValues.keys, warmupSteps, intervalSteps)
        else { return false }
        let direction = study.direction
        let reported = trial.intermediateValues.values.filter { !$0.isNaN }
        guard let best = direction == .maximize ? reported.max() : reported.min() else { return true }
        let others = completed.compactMap { $0.intermediateValues[step] }
        guard others.count >= minimumTrials else { return false }
        let threshold = Self.percentile(
            of: others, direction == .maximize ? 100 - percentile : percentile)
        guard !threshold.isNaN else { return false }
        return direction == .maximize ? best < threshold : best > threshold
    }

    /// Whether `step` is the first reported step at or after the latest pruning checkpoint (Optuna's
    /// `_is_first_in_interval_step`).
    static func isFirstInInterval(
        step: Int, steps: some Sequence<Int>, _ warmupSteps: Int, _ intervalSteps: Int
    ) -> Bool {
        let nearestLowerPruningStep = (step - warmupSteps) / intervalSteps * intervalSteps + warmupSteps
        let secondLast = steps.reduce(-1) { $1 > $0 && $1 != step ? $1 : $0 }
        return secondLast < nearestLowerPruningStep
    }

    /// NumPy's `nanpercentile` with linear interpolation; NaN when every value is NaN.
    static func percentile(of values: [Double], _ percent: Double) -> Double {
        let sorted = values.filter { !$0.isNaN }.sorted()
        guard !sorted.isEmpty else { return .nan }
        let position = percent / 100 * Double(sorted.count - 1)
        let lower = Int(position.rounded(.down))
        let upper = min(lower + 1, sorted.count - 1)
        let fraction = position - Double(lower)
        return sorted[lower] + (sorted[upper] - sorted[lower]) * fraction
    }
}

/// Prunes a trial whose best intermediate value is worse than the median of other completed trials at
/// the same step — ``PercentilePruner`` at 50 (Optuna's `MedianPruner`, the usual first choice).
///
/// ```swift
/// let study = try await Study.create(direction: .maximize, sampler: sampler, pruner: MedianPruner(warmupSteps: 1))
/// ```
public struct MedianPruner: Pruner {
    private let base: PercentilePruner

    /// Creates the pruner; the arguments are those of ``PercentilePruner``.
    public init(startupTrials: Int = 5, warmupSteps: Int = 0, intervalSteps: Int = 1, minimumTrials: Int = 1) {
        precondition(
            startupTrials >= 0 && warmupSteps >= 0 && intervalSteps >= 1 && minimumTrials >= 1,
            "MedianPruner: startupTrials \(startupTrials) and warmupSteps \(warmupSteps) must be ≥ 0, "
                + "intervalSteps \(intervalSteps) and minimumTrials \(minimumTrials) ≥ 1")
        base = PercentilePruner(
            checkedPercentile: 50, startupTrials: startupTrials, warmupSteps: warmupSteps,
            intervalSteps: intervalSteps, minimumTrials: minimumTrials)
    }

    /// Whether the trial's best value is worse than the median at its last step.
    public func shouldPrune(study: StudyView, trial: FrozenTrial) -> Bool {
        base.shouldPrune(study: study, trial: trial)
    }
}
