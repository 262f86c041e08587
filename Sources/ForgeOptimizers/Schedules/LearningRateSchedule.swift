import Foundation

/// A rule for the learning rate over training: the extension point behind every Forge schedule.
///
/// A schedule answers one question — the learning rate at step `t` for a parameter group that
/// started at `initialRate` — so most schedules are closed forms with no state at all
/// (``StepDecay``, ``CosineAnnealing``, ``OneCycle``). Schedules that react to training, such as
/// ``ReduceOnPlateau``, also implement ``observe(metric:)`` and keep their state in
/// ``stateDict()``. A ``LearningRateScheduler`` applies a schedule to an optimizer.
///
/// Every conformer must guarantee:
/// - **Determinism.** ``learningRate(at:initialRate:)`` depends only on its arguments and the state
///   that ``stateDict()`` returns, so a restored schedule continues exactly.
/// - **Non-negative rates.** It returns a finite rate ≥ 0 for every step ≥ 0 it accepts.
///
/// A custom schedule is one method:
///
/// ```swift
/// struct InverseSquareRoot: LearningRateSchedule {
///     var warmupSteps: Int
///     func learningRate(at step: Int, initialRate: Double) -> Double {
///         let t = Double(step + 1), w = Double(warmupSteps)
///         return initialRate * min(t / w, (w / t).squareRoot())
///     }
/// }
/// ```
public protocol LearningRateSchedule {
    /// The learning rate at `step` (0 is the first epoch or batch) for a group whose rate was
    /// `initialRate` when scheduling began.
    func learningRate(at step: Int, initialRate: Double) -> Double

    /// Observes a validation metric at the end of a step (for schedules that react to progress); the
    /// default ignores it.
    mutating func observe(metric: Double)

    /// The schedule's mutable state, as named scalars; the default is empty (closed-form schedules).
    func stateDict() -> [String: Double]

    /// Restores state saved by ``stateDict()``.
    ///
    /// - Throws: ``OptimizerError`` when an entry is missing or invalid; the default accepts anything.
    mutating func load(stateDict: [String: Double]) throws
}

extension LearningRateSchedule {
    /// Ignores the metric.
    public mutating func observe(metric: Double) {}

    /// No state.
    public func stateDict() -> [String: Double] { [:] }

    /// Nothing to restore.
    public mutating func load(stateDict: [String: Double]) throws {}
}

/// A schedule that keeps the initial rate: the base of a warm-up with nothing after it.
public struct ConstantRate: LearningRateSchedule, Sendable, Equatable {
    /// Creates the schedule.
    public init() {}

    /// `initialRate`.
    public func learningRate(at step: Int, initialRate: Double) -> Double { initialRate }
}

/// Multiplies the rate by `gamma` every `stepSize` steps — PyTorch's `StepLR`:
/// `η_t = η₀ · γ^⌊t / stepSize⌋`.
public struct StepDecay: LearningRateSchedule, Sendable, Equatable {
    /// The number of steps between decays.
    public var stepSize: Int
    /// The factor applied at each decay.
    public var gamma: Double

    /// Creates the schedule.
    ///
    /// - Throws: ``OptimizerError`` unless `stepSize` > 0 and `gamma` ≥ 0.
    public init(stepSize: Int, gamma: Double = 0.1) throws {
        guard stepSize > 0 else {
            throw OptimizerError(
                .invalidHyperparameter, component: "StepDecay", message: "stepSize is \(stepSize); use a positive count")
        }
        try HyperparameterCheck.nonNegative(gamma, "gamma", in: "StepDecay", typical: "0.1")
        self.stepSize = stepSize
        self.gamma = gamma
    }

    /// `initialRate · gamma^⌊step / stepSize⌋`.
    public func learningRate(at step: Int, initialRate: Double) -> Double {
        initialRate * power(gamma, step / stepSize)
    }
}

/// Multiplies the rate by `gamma` at each milestone — PyTorch's `MultiStepLR`:
/// `η_t = η₀ · γ^(number of milestones ≤ t)`.
public struct MultiStepDecay: LearningRateSchedule, Sendable, Equatable {
    /// The steps at which the rate decays, increasing.
    public var milestones: [Int]
    /// The factor applied at each milestone.
    public var gamma: Double

    /// Creates the schedule.
    ///
    /// - Throws: ``OptimizerError`` unless the milestones increase strictly and `gamma` ≥ 0.
    public init(milestones: [Int], gamma: Double = 0.1) throws {
        guard zip(milestones, milestones.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw OptimizerError(
                .invalidHyperparameter, component: "MultiStepDecay",
                message: "milestones \(milestones) must increase strictly, e.g. [30, 80]")
        }
        try HyperparameterCheck.nonNegative(gamma, "gamma", in: "MultiStepDecay", typical: "0.1")
        self.milestones = milestones
        self.gamma = gamma
    }

    /// `initialRate · gamma^k` where k counts the milestones ≤ `step`.
    public func learningRate(at step: Int, initialRate: Double) -> Double {
        initialRate * power(gamma, milestones.reduce(0) { $0 + ($1 <= step ? 1 : 0) })
    }
}

/// Multiplies the rate by `gamma` every step — PyTorch's `ExponentialLR`: `η_t = η₀ · γ^t`.
public struct ExponentialDecay: LearningRateSchedule, Sendable, Equatable {
    /// The factor applied each step.
    public var gamma: Double

    /// Creates the schedule.
    ///
    /// - Throws: ``OptimizerError`` unless `gamma` ≥ 0.
    public init(gamma: Double) throws {
        try HyperparameterCheck.nonNegative(gamma, "gamma", in: "ExponentialDecay", typical: "0.95")
        self.gamma = gamma
    }

    /// `initialRate · gamma^step`.
    public func learningRate(at step: Int, initialRate: Double) -> Double {
        initialRate * power(gamma, step)
    }
}

/// `base` to the power `exponent`, with the C library's `pow` — what Python's `gamma ** k` in
/// PyTorch's closed forms computes.
func power(_ base: Double, _ exponent: Int) -> Double {
    Foundation.pow(base, Double(exponent))
}
