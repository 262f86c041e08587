public import ForgeData
public import ForgeOptimizers

/// A learning-rate scheduler with its schedule type erased: what a ``LearningRateStepper`` steps and
/// a checkpoint saves. ForgeOptimizers' `LearningRateScheduler` conforms.
public protocol SchedulerStepping: AnyObject {
    /// Advances one step, showing the schedule `metric` first when given.
    func step(metric: Double?)
    /// The step count, initial rates and the schedule's state.
    func stateDict() -> LearningRateSchedulerState
    /// Restores state saved by ``stateDict()``.
    func load(stateDict: LearningRateSchedulerState) throws
}

extension LearningRateScheduler: SchedulerStepping {}

/// Steps a learning-rate scheduler after every epoch or every batch — and, for schedules that react
/// to progress such as `ReduceOnPlateau`, feeds them a monitored metric.
///
/// ```swift
/// let plateau = LearningRateScheduler(optimizer: optimizer, schedule: try ReduceOnPlateau(patience: 2))
/// let stepper = LearningRateStepper(scheduler: plateau, interval: .epoch, metric: "validation_loss")
/// ```
///
/// Passing `scheduler:` to ``Trainer`` adds one of these. Its state is the scheduler's, so a resumed
/// run continues the schedule exactly. It runs early (order −10), so callbacks at the same stage
/// (checkpoints in particular) see the rate of the next step.
public final class LearningRateStepper: TrainingCallback {
    /// When the scheduler steps.
    public enum Interval: String, Sendable, Codable {
        /// After every epoch (after validation).
        case epoch
        /// After every optimizer step.
        case batch
    }

    /// The scheduler.
    public let scheduler: any SchedulerStepping
    /// When it steps.
    public let interval: Interval
    /// The epoch metric shown to the schedule at each epoch step (`validation_loss`), or nil.
    public let metric: String?

    /// Creates the stepper.
    ///
    /// - Parameters:
    ///   - scheduler: the scheduler to step.
    ///   - interval: per epoch or per batch.
    ///   - metric: for per-epoch stepping, the ``EpochRecord`` metric the schedule observes (required
    ///     by `ReduceOnPlateau`, ignored by closed-form schedules).
    public init(scheduler: any SchedulerStepping, interval: Interval = .epoch, metric: String? = nil) {
        precondition(
            metric == nil || interval == .epoch,
            "LearningRateStepper: a monitored metric (\(metric ?? "")) needs per-epoch stepping")
        self.scheduler = scheduler
        self.interval = interval
        self.metric = metric
    }

    /// −10: before checkpoints and reports.
    public var order: Int { -10 }

    /// Steps after each batch when the interval is `.batch`.
    public func batchDidEnd(_ trainer: Trainer, batch: Batch, loss: Double) throws {
        if interval == .batch { scheduler.step(metric: nil) }
    }

    /// Steps after each epoch when the interval is `.epoch`, with the monitored metric if any.
    public func epochDidEnd(_ trainer: Trainer) throws {
        guard interval == .epoch else { return }
        var value: Double?
        if let metric {
            guard let observed = trainer.state.history.last?.metrics[metric] else {
                throw TrainingError(
                    .invalidSetup,
                    message: "LearningRateStepper monitors \"\(metric)\", which epoch \(trainer.state.epoch) did "
                        + "not report (it reported \((trainer.state.history.last?.metrics.keys.sorted() ?? [])))")
            }
            value = observed
        }
        scheduler.step(metric: value)
    }

    /// `learning_rate_scheduler`.
    public var checkpointKey: String? { "learning_rate_scheduler" }

    /// The scheduler's state.
    public func checkpointState() throws -> CallbackState? {
        try CallbackState(encoding: scheduler.stateDict())
    }

    /// Restores the scheduler's state (and with it the optimizer's rates).
    public func restore(checkpointState: CallbackState) throws {
        let saved = try checkpointState.decoded(as: LearningRateSchedulerState.self, owner: "LearningRateStepper")
        do {
            try scheduler.load(stateDict: saved)
        } catch {
            throw TrainingError(.checkpointMismatch, message: "the saved learning-rate schedule does not fit: \(error)")
        }
    }
}
