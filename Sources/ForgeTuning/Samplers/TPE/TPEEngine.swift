import ForgeTensor
import Foundation

/// One past trial as TPE sees it: its number, how it ended, and its values for the sampled parameters.
struct TPEObservation: Sendable {
    /// How the trial ended, with what TPE ranks it by (smaller is better: values are negated for
    /// maximization before they get here).
    enum Outcome: Sendable {
        /// Finished with this (minimization-oriented) value.
        case complete(Double)
        /// Pruned after reporting `value` at `step`, or with no report (`step` nil).
        case pruned(step: Int?, value: Double)
        /// Still running: the constant liar counts it among the bad trials.
        case running
    }

    /// The trial number.
    let number: Int
    /// How the trial ended.
    let outcome: Outcome
    /// The trial's values of the sampled parameters (internal representation), or nil when it lacks one.
    let point: [Double]?
}

/// TPE's decision for one trial, given the history: split the trials into good (below) and bad (above),
/// fit a Parzen estimator to each, draw candidates from the good one and keep the one with the
/// largest log l(x) − log g(x) (Optuna's `TPESampler._sample`).
enum TPEEngine {
    /// Optuna's default gamma: the number of good trials among `count` finished ones, min(⌈0.1·n⌉, 25).
    /// NOTE: computed in floating point exactly as Optuna does.
    static func goodTrialCount(finished count: Int) -> Int {
        min(Int((0.1 * Double(count)).rounded(.up)), 25)
    }

    /// Optuna's default weights for `count` observations in trial-number order: a linear ramp from 1/n
    /// for the oldest up to 1, with the newest 25 at 1.
    static func observationWeights(count: Int) -> [Double] {
        if count < 25 { return [Double](repeating: 1, count: count) }
        let rampLength = count - 25
        let start = 1 / Double(count)
        var weights = [Double](repeating: 1, count: count)
        for index in 0..<rampLength {
            weights[index] = rampLength == 1 ? start : start + (1 - start) * Double(index) / Double(rampLength - 1)
        }
        return weights
    }

    /// Splits `observations` into good and bad trials (each sorted by trial number): the best
    /// `goodCount` complete trials, then pruned ones by (latest step, value) if there were too few;
    /// running trials are always bad.
    static func split(
        _ observations: [TPEObservation], multiObjective: Bool = false
    ) -> (good: [TPEObservation], bad: [TPEObservation]) {
        // Sort (key, index) pairs of plain values rather than the observations themselves.
        var complete: [(value: Double, index: Int)] = []
        var pruned: [(step: Double, value: Double, index: Int)] = []
        var running: [Int] = []
        complete.reserveCapacity(observations.count)
        for (index, observation) in observations.enumerated() {
            switch observation.outcome {
            case .complete(let value): complete.append((value.isNaN ? .infinity : value, index))
            case .pruned(let step, let value):
                if let step {
                    pruned.append((-Double(step), value.isNaN ? .infinity : value, index))
                } else {
                    pruned.append((1, 0, index))
                }
            case .running: running.append(index)
            }
        }
        let finished = complete.count + pruned.count
        // Multi-objective studies keep ⌈0.1·n⌉ good trials without the cap (Optuna's
        // `default_gamma_multiobjective`).
        var remaining = multiObjective ? Int((0.1 * Double(finished)).rounded(.up)) : goodTrialCount(finished: finished)
        complete.sort { $0.value < $1.value || ($0.value == $1.value && $0.index < $1.index) }
        pruned.sort { ($0.step, $0.value, $0.index) < ($1.step, $1.value, $1.index) }
        var isGood = [Bool](repeating: false, count: observations.count)
        let completeGood = min(remaining, complete.count)
        for entry in complete[..<completeGood] { isGood[entry.index] = true }
        remaining -= completeGood
        let prunedGood = min(remaining, pruned.count)
        for entry in pruned[..<prunedGood] { isGood[entry.index] = true }
        // Observations arrive in trial-number order from the samplers; keep that order in both groups.
        var order = Array(observations.indices)
        if !zip(observations, observations.dropFirst()).allSatisfy({ $0.number < $1.number }) {
            order.sort { observations[$0].number < observations[$1].number }
        }
        var good: [TPEObservation] = []
        var bad: [TPEObservation] = []
        bad.reserveCapacity(observations.count)
        for index in order {
            if isGood[index] { good.append(observations[index]) } else { bad.append(observations[index]) }
        }
        return (good, bad)
    }

    /// The chosen point (internal representation, one value per parameter).
    static func suggest(
        observations: [TPEObservation], parameters: [SamplerParameter], settings: ParzenEstimatorSettings,
        candidateCount: Int, generator: inout RandomGenerator, multiObjective: Bool = false
    ) -> [Double] {
        let (good, bad) = split(observations, multiObjective: multiObjective)
        let below = estimator(for: good, parameters: parameters, settings: settings, uniformWeights: multiObjective)
        let above = estimator(for: bad, parameters: parameters, settings: settings)
        let candidates = below.sample(count: candidateCount, generator: &generator)
        var logBelow: [Double] = []
        var logAbove: [Double] = []
        below.logDensity(points: candidates, count: candidateCount, into: &logBelow)
        above.logDensity(points: candidates, count: candidateCount, into: &logAbove)
        var best = 0  // the first maximum, as numpy's argmax
        var bestScore = logBelow[0] - logAbove[0]
        for index in 1..<candidateCount {
            let score = logBelow[index] - logAbove[index]
            if score > bestScore {
                best = index
                bestScore = score
            }
        }
        let dimension = parameters.count
        return Array(candidates[(best * dimension)..<((best + 1) * dimension)])
    }

    /// The Parzen estimator of the trials in `group` that have every parameter.
    static func estimator(
        for group: [TPEObservation], parameters: [SamplerParameter], settings: ParzenEstimatorSettings,
        uniformWeights: Bool = false
    ) -> ParzenEstimator {
        var values: [Double] = []
        values.reserveCapacity(group.count * parameters.count)
        var count = 0
        for observation in group {
            guard let point = observation.point else { continue }
            values += point
            count += 1
        }
        return ParzenEstimator(
            observations: values,
            weights: uniformWeights ? [Double](repeating: 1, count: count) : observationWeights(count: count),
            parameters: parameters,
            settings: settings)
    }
}
