/// A linear warm-up followed by another schedule — PyTorch's `LinearLR` chained with `SequentialLR`.
///
/// For the first `steps` steps the rate rises linearly from `startFactor · η₀` to η₀ (PyTorch's
/// `LinearLR` with `end_factor` 1); from step `steps` on, the rate is `then`'s, counted from its own
/// step 0:
///
///     η_t = η₀ · (s + (1 − s) · t / steps)      for t < steps
///     η_t = then(t − steps, η₀)                 for t ≥ steps
///
/// ```swift
/// let schedule = LinearWarmup(steps: 5, then: try CosineAnnealing(period: 95))
/// ```
public struct LinearWarmup<Base: LearningRateSchedule>: LearningRateSchedule {
    /// The number of warm-up steps.
    public var steps: Int
    /// The fraction of the initial rate the warm-up starts from, in (0, 1].
    public var startFactor: Double
    /// The schedule that follows the warm-up.
    public var then: Base

    /// Creates a warm-up followed by `then`.
    ///
    /// - Parameters:
    ///   - steps: warm-up steps, ≥ 0 (0 skips the warm-up).
    ///   - startFactor: the starting fraction of the rate, in (0, 1] (PyTorch's default is 1/3).
    ///   - then: the schedule after the warm-up.
    /// - Throws: ``OptimizerError`` for a negative step count or a factor outside (0, 1].
    public init(steps: Int, startFactor: Double = 1.0 / 3.0, then: Base) throws {
        guard steps >= 0 else {
            throw OptimizerError(
                .invalidHyperparameter, component: "LinearWarmup", message: "steps is \(steps); use 0 or more")
        }
        guard startFactor > 0, startFactor <= 1 else {
            throw OptimizerError(
                .invalidHyperparameter, component: "LinearWarmup",
                message: "startFactor is \(startFactor); it must be in (0, 1] (typical: 0.01 to 1/3)")
        }
        self.steps = steps
        self.startFactor = startFactor
        self.then = then
    }

    /// The warm-up rate before `steps`, then `then`'s rate.
    public func learningRate(at step: Int, initialRate: Double) -> Double {
        guard step < steps else { return then.learningRate(at: step - steps, initialRate: initialRate) }
        return initialRate * (startFactor + (1 - startFactor) * Double(step) / Double(steps))
    }

    /// Passes the metric on to `then`.
    public mutating func observe(metric: Double) { then.observe(metric: metric) }

    /// `then`'s state.
    public func stateDict() -> [String: Double] { then.stateDict() }

    /// Restores `then`'s state.
    public mutating func load(stateDict: [String: Double]) throws { try then.load(stateDict: stateDict) }
}

extension LinearWarmup where Base == ConstantRate {
    /// A warm-up to the initial rate, which then stays constant.
    public init(steps: Int, startFactor: Double = 1.0 / 3.0) throws {
        try self.init(steps: steps, startFactor: startFactor, then: ConstantRate())
    }
}

extension LinearWarmup: Sendable where Base: Sendable {}
