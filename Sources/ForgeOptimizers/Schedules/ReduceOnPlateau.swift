/// Lowers the rate when a metric stops improving — PyTorch's `ReduceLROnPlateau`.
///
/// Feed it a validation metric after each epoch (``LearningRateScheduler/step(metric:)``). When the
/// metric has not improved for more than `patience` observations, the rate is multiplied by `factor`
/// (never below `minimumRate`, and only if that changes it by more than `epsilon`), then the schedule
/// waits `cooldown` observations before counting again.
///
/// "Improved" means, with `threshold` θ and the best value so far b:
/// - mode `.minimize`, relative: `x < b · (1 − θ)`; absolute: `x < b − θ`;
/// - mode `.maximize`, relative: `x > b · (1 + θ)`; absolute: `x > b + θ`.
///
/// ```swift
/// let scheduler = LearningRateScheduler(optimizer: optimizer, schedule: try ReduceOnPlateau(patience: 3))
/// for epoch in 0..<epochs {
///     train(epoch)
///     scheduler.step(metric: validationLoss())
/// }
/// ```
///
/// The rate is `η₀ · factorⁿ` after n reductions (clamped and ε-checked per reduction), computed from
/// the group's initial rate, so the schedule assumes nothing else changes the rate meanwhile.
public struct ReduceOnPlateau: LearningRateSchedule, Sendable, Equatable {
    /// Whether smaller or larger metric values are better.
    public enum Mode: String, Sendable, Equatable, Codable {
        /// Lower is better (losses).
        case minimize
        /// Higher is better (accuracies).
        case maximize
    }

    /// How `threshold` is applied.
    public enum ThresholdMode: String, Sendable, Equatable, Codable {
        /// A fraction of the best value (PyTorch's `"rel"`).
        case relative
        /// An absolute amount (PyTorch's `"abs"`).
        case absolute
    }

    /// Whether lower or higher is better.
    public var mode: Mode
    /// The factor applied at each reduction, in [0, 1).
    public var factor: Double
    /// The number of observations without improvement tolerated before reducing.
    public var patience: Int
    /// The least change that counts as an improvement.
    public var threshold: Double
    /// Whether `threshold` is relative or absolute.
    public var thresholdMode: ThresholdMode
    /// Observations to wait after a reduction before counting bad ones again.
    public var cooldown: Int
    /// The rate is never reduced below this.
    public var minimumRate: Double
    /// Reductions smaller than this are skipped.
    public var epsilon: Double

    /// The best metric seen so far (±infinity before the first observation).
    public private(set) var best: Double
    /// Consecutive observations without improvement.
    public private(set) var badObservations = 0
    /// Observations of cooldown left.
    public private(set) var cooldownRemaining = 0
    /// The number of reductions made so far.
    public private(set) var reductions = 0

    /// Creates the schedule with PyTorch's defaults.
    ///
    /// - Throws: ``OptimizerError`` unless 0 ≤ `factor` < 1 and the counts and amounts are ≥ 0.
    public init(
        mode: Mode = .minimize, factor: Double = 0.1, patience: Int = 10, threshold: Double = 1e-4,
        thresholdMode: ThresholdMode = .relative, cooldown: Int = 0, minimumRate: Double = 0, epsilon: Double = 1e-8
    ) throws {
        let component = "ReduceOnPlateau"
        try HyperparameterCheck.unitInterval(factor, "factor", in: component, typical: "0.1 or 0.5")
        guard patience >= 0, cooldown >= 0 else {
            throw OptimizerError(
                .invalidHyperparameter, component: component,
                message: "patience \(patience) and cooldown \(cooldown) must be 0 or more")
        }
        try HyperparameterCheck.nonNegative(threshold, "threshold", in: component, typical: "1e-4")
        try HyperparameterCheck.nonNegative(minimumRate, "minimumRate", in: component, typical: "0 or 1e-6")
        try HyperparameterCheck.nonNegative(epsilon, "epsilon", in: component, typical: "1e-8")
        self.mode = mode
        self.factor = factor
        self.patience = patience
        self.threshold = threshold
        self.thresholdMode = thresholdMode
        self.cooldown = cooldown
        self.minimumRate = minimumRate
        self.epsilon = epsilon
        self.best = mode == .minimize ? .infinity : -.infinity
    }

    /// Whether `value` improves on ``best``.
    public func isImprovement(_ value: Double) -> Bool {
        switch (mode, thresholdMode) {
        case (.minimize, .relative): return value < best * (1 - threshold)
        case (.minimize, .absolute): return value < best - threshold
        case (.maximize, .relative): return value > best * (threshold + 1)
        case (.maximize, .absolute): return value > best + threshold
        }
    }

    /// Records a metric and decides whether to reduce the rate.
    public mutating func observe(metric: Double) {
        if isImprovement(metric) {
            best = metric
            badObservations = 0
        } else {
            badObservations += 1
        }
        if cooldownRemaining > 0 {
            cooldownRemaining -= 1
            badObservations = 0
        }
        if badObservations > patience {
            reductions += 1
            cooldownRemaining = cooldown
            badObservations = 0
        }
    }

    /// `initialRate` after ``reductions`` reductions, each clamped to `minimumRate` and skipped when
    /// smaller than `epsilon` (PyTorch's per-reduction rule).
    public func learningRate(at step: Int, initialRate: Double) -> Double {
        var rate = initialRate
        for _ in 0..<reductions {
            let reduced = Swift.max(rate * factor, minimumRate)
            if rate - reduced > epsilon { rate = reduced }
        }
        return rate
    }

    /// `best` (left out while it is still ±infinity, so the state stays valid JSON),
    /// `num_bad_epochs`, `cooldown_counter` and `reductions`.
    public func stateDict() -> [String: Double] {
        var state = [
            "num_bad_epochs": Double(badObservations), "cooldown_counter": Double(cooldownRemaining),
            "reductions": Double(reductions),
        ]
        if best.isFinite { state["best"] = best }
        return state
    }

    /// Restores state saved by ``stateDict()``.
    public mutating func load(stateDict: [String: Double]) throws {
        func count(_ key: String) throws -> Int {
            guard let value = stateDict[key], value >= 0, value == value.rounded(), value < 1e15 else {
                throw OptimizerError(
                    .malformedState, component: "ReduceOnPlateau",
                    message: "state entry \"\(key)\" is \(stateDict[key].map { "\($0)" } ?? "missing"); expected a count")
            }
            return Int(value)
        }
        let best = stateDict["best"] ?? (mode == .minimize ? .infinity : -.infinity)
        guard !best.isNaN else {
            throw OptimizerError(.malformedState, component: "ReduceOnPlateau", message: "state entry \"best\" is NaN")
        }
        let (bad, cooling, reductions) = (try count("num_bad_epochs"), try count("cooldown_counter"), try count("reductions"))
        self.best = best
        self.badObservations = bad
        self.cooldownRemaining = cooling
        self.reductions = reductions
    }
}
