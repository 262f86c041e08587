import Synchronization

/// Asynchronous successive halving (ASHA; Optuna's `SuccessiveHalvingPruner`, same rules and the same
/// `completed_rung_N` system attributes).
///
/// Rung `r` is reached at step `minResource × reductionFactor^(minEarlyStoppingRate + r)`. A trial that
/// reaches a rung records its value there and goes on only if it is in the top `1 / reductionFactor` of
/// all values recorded at that rung so far (the best, while fewer than `reductionFactor` are recorded).
///
/// ```swift
/// let pruner = try SuccessiveHalvingPruner(minResource: 1, reductionFactor: 3)
/// ```
public final class SuccessiveHalvingPruner: Pruner {
    /// Steps before the first rung, or `nil` to estimate it as `max(1, longest completed trial / 100)`.
    public let minResource: Int?
    /// How much harder each rung is to pass (η).
    public let reductionFactor: Int
    /// Shifts the rungs up by this many powers of η (Hyperband's bracket index).
    public let minEarlyStoppingRate: Int
    /// Prune at a rung until more than this many trials reached it.
    public let bootstrapCount: Int

    private let estimatedMinResource = Mutex<Int?>(nil)

    /// Creates the pruner.
    /// - Throws: ``TuningError/invalidArgument(reason:)`` for `minResource < 1`, `reductionFactor < 2`, or
    ///   negative rate or bootstrap count.
    public init(
        minResource: Int? = nil, reductionFactor: Int = 4, minEarlyStoppingRate: Int = 0, bootstrapCount: Int = 0
    ) throws(TuningError) {
        if let minResource, minResource < 1 {
            throw .invalidArgument(reason: "SuccessiveHalvingPruner: minResource \(minResource) must be ≥ 1")
        }
        guard reductionFactor >= 2 else {
            throw .invalidArgument(reason: "SuccessiveHalvingPruner: reductionFactor \(reductionFactor) must be ≥ 2")
        }
        guard minEarlyStoppingRate >= 0, bootstrapCount >= 0 else {
            throw .invalidArgument(
                reason: "SuccessiveHalvingPruner: minEarlyStoppingRate \(minEarlyStoppingRate) and "
                    + "bootstrapCount \(bootstrapCount) must be ≥ 0")
        }
        self.minResource = minResource
        self.reductionFactor = reductionFactor
        self.minEarlyStoppingRate = minEarlyStoppingRate
        self.bootstrapCount = bootstrapCount
    }

    /// The system attribute holding a trial's value at rung `rung`.
    public static func rungKey(_ rung: Int) -> String { "completed_rung_\(rung)" }

    /// Whether the trial should stop (the rung records of ``decide(study:trial:)`` are dropped).
    public func shouldPrune(study: StudyView, trial: FrozenTrial) -> Bool {
        decide(study: study, trial: trial).prune
    }

    /// The decision, with the rungs the trial completed now to record.
    public func decide(study: StudyView, trial: FrozenTrial) -> PruningDecision {
        guard let step = trial.lastStep, let value = trial.intermediateValues[step] else {
            return PruningDecision(prune: false)
        }
        var rung = 0
        while trial.systemAttributes[Self.rungKey(rung)] != nil { rung += 1 }
        guard let resource = resolvedMinResource(study) else { return PruningDecision(prune: false) }
        var records: [String: AttributeValue] = [:]
        while true {
            let promotionStep = resource * power(reductionFactor, minEarlyStoppingRate + rung)
            if step < promotionStep { return PruningDecision(prune: false, trialSystemAttributes: records) }
            if value.isNaN { return PruningDecision(prune: true, trialSystemAttributes: records) }
            let key = Self.rungKey(rung)
            records[key] = .double(value)
            var competing = study.allTrials.compactMap { other -> Double? in
                other.id == trial.id ? nil : other.systemAttributes[key]?.doubleValue
            }
            competing.append(value)
            if competing.count <= bootstrapCount { return PruningDecision(prune: true, trialSystemAttributes: records) }
            if !isPromotable(value, competing, study.direction) {
                return PruningDecision(prune: true, trialSystemAttributes: records)
            }
            rung += 1
        }
    }

    private func resolvedMinResource(_ study: StudyView) -> Int? {
        if let minResource { return minResource }
        return estimatedMinResource.withLock { estimate in
            if let estimate { return estimate }
            let steps = study.trials(states: [.complete]).compactMap(\.lastStep)
            guard let longest = steps.max() else { return nil }
            estimate = max(longest / 100, 1)
            return estimate
        }
    }

    private func isPromotable(_ value: Double, _ competing: [Double], _ direction: StudyDirection) -> Bool {
        var index = competing.count / reductionFactor - 1
        // Trials cannot be paused, so while fewer than η values are recorded only the best goes on.
        if index == -1 { index = 0 }
        let sorted = competing.sorted()
        return direction == .maximize ? value >= sorted[sorted.count - 1 - index] : value <= sorted[index]
    }

    private func power(_ base: Int, _ exponent: Int) -> Int {
        var result = 1
        for _ in 0..<exponent { result = result.multipliedReportingOverflow(by: base).overflow ? Int.max : result * base }
        return result
    }
}
