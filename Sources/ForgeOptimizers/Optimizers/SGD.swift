public import ForgeAutograd
import ForgeTensor

/// Stochastic gradient descent with optional momentum, dampening, Nesterov momentum and weight
/// decay — the update of PyTorch's `torch.optim.SGD`.
///
/// For each parameter θ with gradient g:
///
///     g ← ±g + λθ
///     b ← g on the first step, then b ← μb + (1 − τ)g          (when momentum μ ≠ 0)
///     g ← g + μb with Nesterov, else g ← b
///     θ ← θ − αg
///
/// ```swift
/// let optimizer = try SGD(parameters: model.parameters(), learningRate: 0.1, momentum: 0.9, nesterov: true)
/// ```
public final class SGD: Optimizer, EngineBackedOptimizer {
    /// The hyperparameters of one group.
    public struct Hyperparameters: Sendable, Equatable {
        /// The step size α (PyTorch's `lr`).
        public var learningRate: Double
        /// The momentum factor μ ≥ 0 (0 is plain SGD).
        public var momentum: Double
        /// The dampening τ of the gradient added to the momentum buffer.
        public var dampening: Double
        /// The L2 coefficient λ ≥ 0 added to the gradient.
        public var weightDecay: Double
        /// Nesterov momentum (needs momentum > 0 and dampening 0).
        public var nesterov: Bool
        /// Maximizes the objective instead of minimizing it.
        public var maximize: Bool

        /// Creates hyperparameters; the defaults are PyTorch's.
        public init(
            learningRate: Double = 1e-3, momentum: Double = 0, dampening: Double = 0, weightDecay: Double = 0,
            nesterov: Bool = false, maximize: Bool = false
        ) {
            self.learningRate = learningRate
            self.momentum = momentum
            self.dampening = dampening
            self.weightDecay = weightDecay
            self.nesterov = nesterov
            self.maximize = maximize
        }
    }

    var engine: OptimizerEngine<SGDAlgorithm>

    /// Creates an optimizer over one group of parameters.
    ///
    /// - Parameters:
    ///   - parameters: the parameters to update.
    ///   - learningRate: the step size α, ≥ 0.
    ///   - momentum: μ ≥ 0.
    ///   - dampening: τ; must be 0 with Nesterov.
    ///   - weightDecay: the L2 coefficient λ, ≥ 0.
    ///   - nesterov: whether to use Nesterov momentum.
    ///   - maximize: whether to ascend instead of descend.
    /// - Throws: ``OptimizerError`` for an empty parameter list, a value out of range, or Nesterov
    ///   without momentum or with dampening.
    public convenience init(
        parameters: [Variable], learningRate: Double = 1e-3, momentum: Double = 0, dampening: Double = 0,
        weightDecay: Double = 0, nesterov: Bool = false, maximize: Bool = false
    ) throws {
        try self.init(groups: [
            ParameterGroup(
                parameters,
                Hyperparameters(
                    learningRate: learningRate, momentum: momentum, dampening: dampening, weightDecay: weightDecay,
                    nesterov: nesterov, maximize: maximize))
        ])
    }

    /// Creates an optimizer over parameter groups with their own hyperparameters.
    public init(groups: [ParameterGroup<Hyperparameters>]) throws {
        engine = try OptimizerEngine(groups: groups)
    }

    /// The parameter groups with their current hyperparameters.
    public var groups: [ParameterGroup<Hyperparameters>] { engine.groups }

    /// Replaces the hyperparameters of group `group` (validated like the initializer's).
    public func setHyperparameters(_ hyperparameters: Hyperparameters, group: Int) throws {
        try engine.setHyperparameters(hyperparameters, group: group)
    }
}

extension SGD.Hyperparameters: BuiltInHyperparameters {
    func validate(component: String) throws {
        try HyperparameterCheck.nonNegative(learningRate, "learningRate", in: component, typical: "0.01 to 0.1")
        try HyperparameterCheck.nonNegative(momentum, "momentum", in: component, typical: "0 or 0.9")
        try HyperparameterCheck.nonNegative(weightDecay, "weightDecay", in: component, typical: "0 to 5e-4")
        guard dampening.isFinite else {
            throw OptimizerError(
                .invalidHyperparameter, component: component, message: "dampening is \(dampening); use a finite value")
        }
        if nesterov && (momentum <= 0 || dampening != 0) {
            throw OptimizerError(
                .invalidHyperparameter, component: component,
                message: "Nesterov momentum needs momentum > 0 and dampening 0 (got momentum \(momentum), "
                    + "dampening \(dampening)); set nesterov to false or dampening to 0")
        }
    }

    var scalars: [String: Double] {
        [
            "lr": learningRate, "momentum": momentum, "dampening": dampening, "weight_decay": weightDecay,
            "nesterov": nesterov ? 1 : 0, "maximize": maximize ? 1 : 0,
        ]
    }

    init(scalars: ScalarReader) throws {
        self.init(
            learningRate: try scalars.value("lr"), momentum: try scalars.value("momentum"),
            dampening: try scalars.value("dampening"), weightDecay: try scalars.value("weight_decay"),
            nesterov: try scalars.flag("nesterov"), maximize: try scalars.flag("maximize"))
    }
}

/// SGD's per-parameter state: the momentum buffer, created on the first step with momentum.
final class SGDState {
    var momentumBuffer: Tensor?

    init(momentumBuffer: Tensor?) { self.momentumBuffer = momentumBuffer }
}

/// SGD's algorithm for the engine.
enum SGDAlgorithm: OptimizerAlgorithm {
    static let name = "SGD"

    static func makeState(like value: Tensor, hyperparameters: SGD.Hyperparameters) -> SGDState {
        SGDState(momentumBuffer: nil)
    }

    static func update<T: TensorFloatingPoint>(
        _: T.Type, value: inout Tensor, gradient: Tensor, state: SGDState, hyperparameters h: SGD.Hyperparameters
    ) {
        let sign: T = h.maximize ? -1 : 1
        let weightDecay = T(h.weightDecay)
        let learningRate = T(h.learningRate)
        let momentum = T(h.momentum)
        let keep = T(1 - h.dampening)
        let nesterov = h.nesterov
        let usesMomentum = h.momentum != 0
        // PyTorch starts the buffer as a copy of the first gradient, without dampening.
        let firstStep = usesMomentum && state.momentumBuffer == nil
        if firstStep { state.momentumBuffer = .zeros(like: value) }
        let count = value.count
        let c = SGDCoefficients(
            sign: sign, weightDecay: weightDecay, learningRate: learningRate, momentum: momentum, keep: keep)
        gradient.withPointer(as: T.self) { g in
            value.withMutablePointer(as: T.self) { p in
                state.momentumBuffer.withMutablePointer(as: T.self) { bufferPointer in
                    // Literal flags: after inlining each call is a branch-free loop the compiler vectorizes.
                    guard usesMomentum, let buffer = bufferPointer else {
                        return loop(count, g, p, p, c, momentum: false, firstStep: false, nesterov: false)
                    }
                    switch (firstStep, nesterov) {
                    case (true, true): loop(count, g, p, buffer, c, momentum: true, firstStep: true, nesterov: true)
                    case (true, false): loop(count, g, p, buffer, c, momentum: true, firstStep: true, nesterov: false)
                    case (false, true): loop(count, g, p, buffer, c, momentum: true, firstStep: false, nesterov: true)
                    case (false, false): loop(count, g, p, buffer, c, momentum: true, firstStep: false, nesterov: false)
                    }
                }
            }
        }
    }

    /// The fused element loop; flags are compile-time constants at every call site.
    ///
    /// Weight decay is always added: with λ = 0 the term is an exact zero for finite parameters.
    @inline(__always)
    private static func loop<T: TensorFloatingPoint>(
        _ count: Int, _ g: UnsafePointer<T>, _ p: UnsafeMutablePointer<T>, _ buffer: UnsafeMutablePointer<T>,
        _ c: SGDCoefficients<T>, momentum: Bool, firstStep: Bool, nesterov: Bool
    ) {
        for i in 0..<count {
            var gi = c.sign * g[i] + c.weightDecay * p[i]
            if momentum {
                let bi = firstStep ? gi : buffer[i] * c.momentum + c.keep * gi
                buffer[i] = bi
                gi = nesterov ? gi + c.momentum * bi : bi
            }
            p[i] = p[i] - c.learningRate * gi
        }
    }

    static func save(_ state: SGDState) -> OptimizerStateDict.ParameterState {
        .init(tensors: state.momentumBuffer.map { ["momentum_buffer": $0] } ?? [:])
    }

    static func restore(
        _ saved: OptimizerStateDict.ParameterState, like value: Tensor, hyperparameters: SGD.Hyperparameters,
        reader: StateReader
    ) throws -> SGDState {
        SGDState(momentumBuffer: try reader.optionalTensor(saved, "momentum_buffer", like: value))
    }
}

/// The per-step scalars of SGD's loop, in the parameter's precision.
struct SGDCoefficients<T: TensorFloatingPoint> {
    let sign, weightDecay, learningRate, momentum, keep: T
}
