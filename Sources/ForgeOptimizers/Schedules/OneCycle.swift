import Foundation

/// The one-cycle policy (Smith & Topin, 2018) — the learning-rate part of PyTorch's `OneCycleLR`.
///
/// The rate rises from `peak / divisionFactor` to the peak over the first `warmupFraction` of
/// `totalSteps`, then anneals to `peak / divisionFactor / finalDivisionFactor` at the last step.
/// With `threePhase` it first comes back down to the starting rate symmetrically and only then
/// anneals to the final rate. Phase boundaries are PyTorch's: the peak is reached at step
/// `warmupFraction · totalSteps − 1` and the final rate at step `totalSteps − 1`.
///
/// The peak is `maximumRate` when given, otherwise each group's initial rate, so
/// `OneCycle(totalSteps: epochs * batchesPerEpoch)` on an optimizer built with `learningRate: 0.01`
/// peaks at 0.01. PyTorch's momentum cycling (`cycle_momentum`) is not part of this schedule.
public struct OneCycle: LearningRateSchedule, Sendable, Equatable {
    /// How the rate moves between two phase boundaries.
    public enum Annealing: String, Sendable, Equatable, Codable {
        /// Half a cosine wave (PyTorch's `"cos"`, the default).
        case cosine
        /// A straight line (PyTorch's `"linear"`).
        case linear
    }

    /// The number of steps in the cycle; stepping past it is a programming error, as in PyTorch.
    public var totalSteps: Int
    /// The peak rate; nil uses each group's initial rate.
    public var maximumRate: Double?
    /// The fraction of the cycle spent increasing the rate (PyTorch's `pct_start`).
    public var warmupFraction: Double
    /// The starting rate is `peak / divisionFactor` (PyTorch's `div_factor`).
    public var divisionFactor: Double
    /// The final rate is `starting rate / finalDivisionFactor` (PyTorch's `final_div_factor`).
    public var finalDivisionFactor: Double
    /// The shape of each phase.
    public var annealing: Annealing
    /// Whether to use PyTorch's three-phase variant.
    public var threePhase: Bool

    /// Creates the schedule with PyTorch's defaults (cosine, 30 % warm-up, ÷25 start, ÷10⁴ end).
    ///
    /// - Throws: ``OptimizerError`` unless `totalSteps` > 0, `warmupFraction` is in [0, 1] and the
    ///   factors are positive.
    public init(
        totalSteps: Int, maximumRate: Double? = nil, warmupFraction: Double = 0.3, divisionFactor: Double = 25,
        finalDivisionFactor: Double = 1e4, annealing: Annealing = .cosine, threePhase: Bool = false
    ) throws {
        let component = "OneCycle"
        guard totalSteps > 0 else {
            throw OptimizerError(
                .invalidHyperparameter, component: component,
                message: "totalSteps is \(totalSteps); use epochs × batches per epoch (> 0)")
        }
        guard warmupFraction >= 0, warmupFraction <= 1 else {
            throw OptimizerError(
                .invalidHyperparameter, component: component,
                message: "warmupFraction is \(warmupFraction); it must be in [0, 1] (typical: 0.3)")
        }
        if let maximumRate { try HyperparameterCheck.nonNegative(maximumRate, "maximumRate", in: component, typical: "0.01") }
        try HyperparameterCheck.positive(divisionFactor, "divisionFactor", in: component, typical: "25")
        try HyperparameterCheck.positive(finalDivisionFactor, "finalDivisionFactor", in: component, typical: "1e4")
        self.totalSteps = totalSteps
        self.maximumRate = maximumRate
        self.warmupFraction = warmupFraction
        self.divisionFactor = divisionFactor
        self.finalDivisionFactor = finalDivisionFactor
        self.annealing = annealing
        self.threePhase = threePhase
    }

    /// The rate at `step` (0 ≤ step ≤ totalSteps).
    public func learningRate(at step: Int, initialRate: Double) -> Double {
        precondition(
            step >= 0 && step <= totalSteps,
            "OneCycle: step \(step) is past totalSteps \(totalSteps); build the schedule with the real step count")
        let peak = maximumRate ?? initialRate
        let start = peak / divisionFactor
        let final = start / finalDivisionFactor
        let total = Double(totalSteps)
        // (end step, rate at the start of the phase, rate at its end), as PyTorch lays them out.
        let phases: [(end: Double, from: Double, to: Double)] =
            threePhase
            ? [
                (warmupFraction * total - 1, start, peak), (2 * warmupFraction * total - 2, peak, start),
                (total - 1, start, final),
            ]
            : [(warmupFraction * total - 1, start, peak), (total - 1, peak, final)]
        let position = Double(step)
        var phaseStart = 0.0
        for (index, phase) in phases.enumerated() {
            if position <= phase.end || index == phases.count - 1 {
                let length = phase.end - phaseStart
                // NOTE: PyTorch divides by zero here for a phase of length 0; take its end rate instead.
                guard length > 0 else { return phase.to }
                let fraction = (position - phaseStart) / length
                return anneal(from: phase.from, to: phase.to, fraction: fraction)
            }
            phaseStart = phase.end
        }
        return final
    }

    private func anneal(from start: Double, to end: Double, fraction: Double) -> Double {
        switch annealing {
        case .cosine: return end + (start - end) / 2 * (cos(Double.pi * fraction) + 1)
        case .linear: return (end - start) * fraction + start
        }
    }
}
