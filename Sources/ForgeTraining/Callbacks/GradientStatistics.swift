public import ForgeAutograd
public import ForgeData
import ForgeLayers
public import ForgeTensor

/// Records, every N steps, the mean and variance of each layer's activations, each parameter's
/// gradient and each parameter's update, with the update-to-parameter norm ratio — the quantities the
/// training-monitoring literature watches for dead or saturated units, vanishing or exploding
/// gradients and learning rates that are too high or too low.
///
/// Activations come from forward hooks on every leaf module (installed when the run begins and
/// removed when it ends); gradients are read after backward; updates are the difference between a
/// parameter before and after the optimizer step. Each record goes to a ``GradientStatisticsSink``.
///
/// ```swift
/// let sink = InMemoryStatisticsSink()
/// let statistics = GradientStatistics(every: 10, sink: sink)
/// // after fit():
/// sink.records.map { $0.gradients["0.weight"]!.variance }   // the first layer's gradient variance over time
/// ```
public final class GradientStatistics: TrainingCallback {
    /// Record every N-th optimizer step (the first step is step 0).
    public let interval: Int
    /// Where records go.
    public let sink: any GradientStatisticsSink

    private var hooks: [ForwardHookHandle] = []
    private var capturing = false
    private var activations: [String: TensorStatistics] = [:]
    private var gradients: [String: TensorStatistics] = [:]
    private var before: [(name: String, value: Tensor)] = []

    /// Creates the callback.
    ///
    /// - Parameters:
    ///   - interval: record every N-th step (≥ 1).
    ///   - sink: receives one ``GradientStatisticsRecord`` per recorded step.
    public init(every interval: Int = 1, sink: any GradientStatisticsSink) {
        precondition(interval >= 1, "GradientStatistics: interval \(interval); use at least 1")
        self.interval = interval
        self.sink = sink
    }

    /// Installs a forward hook on every leaf module.
    public func trainingDidBegin(_ trainer: Trainer) throws {
        removeHooks()
        for (name, module) in trainer.model.namedModules() where !name.isEmpty && module.namedChildren().isEmpty {
            hooks.append(
                module.addForwardHook { [weak self] _, _, output in
                    guard let self, self.capturing, let variable = output as? Variable else { return }
                    self.activations[name] = TensorStatistics(variable.value)
                })
        }
    }

    /// Removes the hooks.
    public func trainingDidEnd(_ trainer: Trainer) throws { removeHooks() }

    /// Removes the hooks.
    public func trainingDidFail(_ trainer: Trainer, error: any Error) { removeHooks() }

    /// Starts capturing on a recorded step: activations during the forward pass, parameter values now.
    public func batchDidBegin(_ trainer: Trainer, batch: Batch) throws {
        guard trainer.state.globalStep % interval == 0 else { return }
        capturing = true
        activations = [:]
        // Tensors are copy-on-write: the optimizer's in-place update copies, so these stay the old values.
        before = trainer.model.namedParameters().map { ($0.name, $0.parameter.value) }
    }

    /// Reads the gradients on a recorded step.
    public func gradientsDidCompute(_ trainer: Trainer, batch: Batch, loss: Variable) throws {
        guard capturing else { return }
        capturing = false
        gradients = [:]
        for (name, parameter) in trainer.model.namedParameters() {
            if let gradient = parameter.gradient { gradients[name] = TensorStatistics(gradient) }
        }
    }

    /// Computes the updates and sends the record.
    public func batchDidEnd(_ trainer: Trainer, batch: Batch, loss: Double) throws {
        guard !before.isEmpty else { return }
        let current = Dictionary(
            trainer.model.namedParameters().map { ($0.name, $0.parameter.value) },
            uniquingKeysWith: { first, _ in first })
        var updates: [String: TensorStatistics] = [:]
        var ratios: [String: Double] = [:]
        for (name, old) in before {
            guard let new = current[name], new.shape == old.shape else { continue }
            let update = new.converted(to: .float64) - old.converted(to: .float64)
            let statistics = TensorStatistics(update)
            updates[name] = statistics
            let parameterNorm = TensorStatistics(old).norm
            ratios[name] = parameterNorm > 0 ? statistics.norm / parameterNorm : 0
        }
        before = []
        sink.record(
            GradientStatisticsRecord(
                step: trainer.state.globalStep - 1, epoch: trainer.state.epoch, batchIndex: trainer.state.batchIndex,
                loss: loss, activations: activations, gradients: gradients, updates: updates, updateRatios: ratios))
        activations = [:]
        gradients = [:]
    }

    private func removeHooks() {
        for hook in hooks { hook.remove() }
        hooks = []
        capturing = false
    }
}

/// The mean, variance and Euclidean norm of a tensor's elements.
public struct TensorStatistics: Codable, Sendable, Equatable {
    /// The mean.
    public var mean: Double
    /// The population variance (divided by the count).
    public var variance: Double
    /// The Euclidean (L2) norm.
    public var norm: Double
    /// The number of elements.
    public var count: Int

    /// Creates statistics from their values.
    public init(mean: Double, variance: Double, norm: Double, count: Int) {
        (self.mean, self.variance, self.norm, self.count) = (mean, variance, norm, count)
    }

    /// The statistics of `tensor`'s elements, accumulated in double precision.
    public init(_ tensor: Tensor) {
        // Two passes over one buffer (mean, then squared deviations): no cancellation, no allocation
        // beyond the float64 copy for other dtypes.
        let values = tensor.dtype == .float64 ? tensor : tensor.converted(to: .float64)
        let (mean, variance, squares) = values.withUnsafeBufferPointer(as: Double.self) { buffer in
            guard !buffer.isEmpty else { return (0.0, 0.0, 0.0) }
            var sum = 0.0
            var squares = 0.0
            for value in buffer {
                sum += value
                squares += value * value
            }
            let mean = sum / Double(buffer.count)
            var deviations = 0.0
            for value in buffer { deviations += (value - mean) * (value - mean) }
            return (mean, deviations / Double(buffer.count), squares)
        }
        self.init(mean: mean, variance: variance, norm: squares.squareRoot(), count: tensor.count)
    }
}

/// The statistics of one recorded step.
public struct GradientStatisticsRecord: Codable, Sendable, Equatable {
    /// The optimizer step (0 is the first).
    public var step: Int
    /// The epoch.
    public var epoch: Int
    /// The batch's index in its epoch.
    public var batchIndex: Int
    /// The batch's loss.
    public var loss: Double
    /// Each leaf module's output, by dotted module name.
    public var activations: [String: TensorStatistics]
    /// Each parameter's gradient, by dotted parameter name.
    public var gradients: [String: TensorStatistics]
    /// Each parameter's change in the step.
    public var updates: [String: TensorStatistics]
    /// Each parameter's ‖update‖ / ‖parameter‖ (around 1e-3 is the usual healthy range).
    public var updateRatios: [String: Double]
}

/// Receives ``GradientStatisticsRecord``s: log them, chart them, or send them to a tracking store.
public protocol GradientStatisticsSink: AnyObject {
    /// Takes one step's record.
    func record(_ record: GradientStatisticsRecord)
}

/// Keeps every record in memory (for tests and small runs).
public final class InMemoryStatisticsSink: GradientStatisticsSink {
    /// The records, in step order.
    public private(set) var records: [GradientStatisticsRecord] = []

    /// Creates an empty sink.
    public init() {}

    /// Appends the record.
    public func record(_ record: GradientStatisticsRecord) { records.append(record) }
}

/// Hands every record to a closure.
public final class ClosureStatisticsSink: GradientStatisticsSink {
    private let body: (GradientStatisticsRecord) -> Void

    /// Creates a sink calling `body` for each record.
    public init(_ body: @escaping (GradientStatisticsRecord) -> Void) { self.body = body }

    /// Calls the closure.
    public func record(_ record: GradientStatisticsRecord) { body(record) }
}
