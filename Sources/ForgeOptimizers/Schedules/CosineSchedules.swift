import Foundation

/// Cosine annealing from the initial rate down to `minimumRate` over `period` steps — PyTorch's
/// `CosineAnnealingLR` (its closed form):
///
///     η_t = η_min + (η₀ − η_min) · (1 + cos(π t / T_max)) / 2
///
/// After `period` steps the cosine keeps going (back up towards η₀), as in PyTorch; use
/// ``CosineAnnealingWarmRestarts`` to restart instead.
public struct CosineAnnealing: LearningRateSchedule, Sendable, Equatable {
    /// T_max: the number of steps from the initial rate to the minimum.
    public var period: Int
    /// η_min: the rate reached after `period` steps.
    public var minimumRate: Double

    /// Creates the schedule.
    ///
    /// - Throws: ``OptimizerError`` unless `period` > 0 and `minimumRate` ≥ 0.
    public init(period: Int, minimumRate: Double = 0) throws {
        guard period > 0 else {
            throw OptimizerError(
                .invalidHyperparameter, component: "CosineAnnealing",
                message: "period is \(period); use the number of steps to anneal over (> 0)")
        }
        try HyperparameterCheck.nonNegative(minimumRate, "minimumRate", in: "CosineAnnealing", typical: "0")
        self.period = period
        self.minimumRate = minimumRate
    }

    /// `η_min + (η₀ − η_min)(1 + cos(π·step/period))/2`.
    public func learningRate(at step: Int, initialRate: Double) -> Double {
        minimumRate + (initialRate - minimumRate) * (1 + cos(Double.pi * Double(step) / Double(period))) / 2
    }
}

/// Cosine annealing with warm restarts (SGDR, Loshchilov & Hutter 2017) — PyTorch's
/// `CosineAnnealingWarmRestarts`:
///
///     η_t = η_min + (η₀ − η_min) · (1 + cos(π T_cur / T_i)) / 2
///
/// The first cycle lasts `firstPeriod` steps, each next one `periodMultiplier` times longer; at the
/// end of a cycle the rate jumps back to η₀.
public struct CosineAnnealingWarmRestarts: LearningRateSchedule, Sendable, Equatable {
    /// T₀: the length of the first cycle in steps.
    public var firstPeriod: Int
    /// T_mult: the factor by which each cycle is longer than the one before (≥ 1).
    public var periodMultiplier: Int
    /// η_min: the rate at the end of every cycle.
    public var minimumRate: Double

    /// Creates the schedule.
    ///
    /// - Throws: ``OptimizerError`` unless `firstPeriod` > 0, `periodMultiplier` ≥ 1 and
    ///   `minimumRate` ≥ 0.
    public init(firstPeriod: Int, periodMultiplier: Int = 1, minimumRate: Double = 0) throws {
        let component = "CosineAnnealingWarmRestarts"
        guard firstPeriod > 0 else {
            throw OptimizerError(
                .invalidHyperparameter, component: component, message: "firstPeriod is \(firstPeriod); use a positive count")
        }
        guard periodMultiplier >= 1 else {
            throw OptimizerError(
                .invalidHyperparameter, component: component,
                message: "periodMultiplier is \(periodMultiplier); use 1 (equal cycles) or more (growing cycles)")
        }
        try HyperparameterCheck.nonNegative(minimumRate, "minimumRate", in: component, typical: "0")
        self.firstPeriod = firstPeriod
        self.periodMultiplier = periodMultiplier
        self.minimumRate = minimumRate
    }

    /// The position inside the current cycle and the cycle's length at `step`.
    ///
    /// Computed with integers, which is what PyTorch's step-by-step counting does; its `epoch`
    /// argument path uses a floating-point logarithm that can land in the wrong cycle at a boundary.
    public func cycle(at step: Int) -> (position: Int, length: Int) {
        var position = Swift.max(step, 0)
        var length = firstPeriod
        if periodMultiplier == 1 { return (position % length, length) }
        while position >= length {
            position -= length
            length *= periodMultiplier
        }
        return (position, length)
    }

    /// `η_min + (η₀ − η_min)(1 + cos(π·T_cur/T_i))/2`.
    public func learningRate(at step: Int, initialRate: Double) -> Double {
        let (position, length) = cycle(at: step)
        return minimumRate + (initialRate - minimumRate) * (1 + cos(Double.pi * Double(position) / Double(length))) / 2
    }
}
