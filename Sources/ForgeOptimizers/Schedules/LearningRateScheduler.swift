/// Applies a ``LearningRateSchedule`` to an optimizer, step by step — the object PyTorch calls an
/// `lr_scheduler`.
///
/// Building the scheduler records each group's current rate as its initial rate and sets the rate
/// of step 0; each ``step(metric:)`` advances one step (an epoch or a batch, as you choose) and sets
/// the next rate:
///
/// ```swift
/// let optimizer = try SGD(parameters: model.parameters(), learningRate: 0.1, momentum: 0.9)
/// let scheduler = LearningRateScheduler(optimizer: optimizer, schedule: try StepDecay(stepSize: 30))
/// for epoch in 0..<90 {
///     trainOneEpoch()
///     scheduler.step()
/// }
/// ```
///
/// Save ``stateDict()`` with the optimizer's state and restore both to resume exactly.
public final class LearningRateScheduler<Schedule: LearningRateSchedule> {
    /// The optimizer whose rates are set.
    public let optimizer: any Optimizer
    /// The schedule (its state changes as it observes metrics).
    public private(set) var schedule: Schedule
    /// Each group's rate when scheduling began.
    public private(set) var initialRates: [Double]
    /// The current step (0 after construction).
    public private(set) var currentStep = 0

    /// Binds `schedule` to `optimizer` and sets the rates of step 0.
    public init(optimizer: any Optimizer, schedule: Schedule) {
        self.optimizer = optimizer
        self.schedule = schedule
        self.initialRates = optimizer.learningRates
        apply()
    }

    /// The rates the schedule gives for the current step, one per group.
    public var learningRates: [Double] {
        initialRates.map { schedule.learningRate(at: currentStep, initialRate: $0) }
    }

    /// Advances one step: shows the schedule `metric` (if any), then sets the optimizer's rates for
    /// the new step.
    public func step(metric: Double? = nil) {
        if let metric { schedule.observe(metric: metric) }
        currentStep += 1
        apply()
    }

    private func apply() {
        optimizer.learningRates = learningRates
    }

    /// The step count, initial rates and the schedule's own state.
    public func stateDict() -> LearningRateSchedulerState {
        LearningRateSchedulerState(step: currentStep, initialRates: initialRates, schedule: schedule.stateDict())
    }

    /// Restores state saved by ``stateDict()`` and sets the optimizer's rates for the restored step.
    ///
    /// - Throws: ``OptimizerError`` when the state is for another number of groups or the schedule's
    ///   state is invalid; nothing changes then.
    public func load(stateDict: LearningRateSchedulerState) throws {
        guard stateDict.initialRates.count == optimizer.learningRates.count else {
            throw OptimizerError(
                .stateMismatch, component: "LearningRateScheduler",
                message: "state has \(stateDict.initialRates.count) initial rates, the optimizer "
                    + "\(optimizer.learningRates.count) parameter groups")
        }
        guard stateDict.step >= 0, stateDict.initialRates.allSatisfy({ $0 >= 0 && $0.isFinite }) else {
            throw OptimizerError(
                .malformedState, component: "LearningRateScheduler",
                message: "state has step \(stateDict.step) and initial rates \(stateDict.initialRates); "
                    + "expected a step ≥ 0 and finite rates ≥ 0")
        }
        var restored = schedule
        try restored.load(stateDict: stateDict.schedule)
        schedule = restored
        initialRates = stateDict.initialRates
        currentStep = stateDict.step
        apply()
    }
}

/// A ``LearningRateScheduler``'s saved state: plain numbers, so it is `Codable` (JSON next to the
/// model's safetensors, for example).
public struct LearningRateSchedulerState: Codable, Sendable, Equatable {
    /// The current step.
    public var step: Int
    /// Each group's rate when scheduling began.
    public var initialRates: [Double]
    /// The schedule's own state (empty for closed-form schedules).
    public var schedule: [String: Double]

    /// Creates scheduler state.
    public init(step: Int, initialRates: [Double], schedule: [String: Double]) {
        self.step = step
        self.initialRates = initialRates
        self.schedule = schedule
    }
}
