public import ForgeAutograd
import ForgeTensor

/// RMSprop (Hinton), optionally centered and with momentum — the update of PyTorch's
/// `torch.optim.RMSprop`.
///
/// For each parameter θ with gradient g:
///
///     g ← ±g + λθ
///     s ← αs + (1 − α)g²
///     ḡ ← ḡ + (1 − α)(g − ḡ),  d ← √(s − ḡ²) + ε      (centered)
///     d ← √s + ε                                       (otherwise)
///     b ← μb + g/d,  θ ← θ − ηb                        (momentum μ > 0)
///     θ ← θ − η g/d                                    (otherwise)
///
/// ```swift
/// let optimizer = try RMSprop(parameters: model.parameters(), learningRate: 1e-3, centered: true)
/// ```
public final class RMSprop: Optimizer, EngineBackedOptimizer {
    /// The hyperparameters of one group.
    public struct Hyperparameters: Sendable, Equatable {
        /// The step size η (PyTorch's `lr`).
        public var learningRate: Double
        /// The smoothing constant α of the squared-gradient average.
        public var alpha: Double
        /// Added to the denominator, outside the square root (PyTorch's `eps`).
        public var epsilon: Double
        /// The L2 coefficient λ ≥ 0 added to the gradient.
        public var weightDecay: Double
        /// The momentum factor μ ≥ 0.
        public var momentum: Double
        /// Normalizes by an estimate of the gradient's variance instead of its second moment.
        public var centered: Bool
        /// Maximizes the objective instead of minimizing it.
        public var maximize: Bool

        /// Creates hyperparameters; the defaults are PyTorch's.
        public init(
            learningRate: Double = 1e-2, alpha: Double = 0.99, epsilon: Double = 1e-8, weightDecay: Double = 0,
            momentum: Double = 0, centered: Bool = false, maximize: Bool = false
        ) {
            self.learningRate = learningRate
            self.alpha = alpha
            self.epsilon = epsilon
            self.weightDecay = weightDecay
            self.momentum = momentum
            self.centered = centered
            self.maximize = maximize
        }
    }

    var engine: OptimizerEngine<RMSpropAlgorithm>

    /// Creates an optimizer over one group of parameters.
    ///
    /// - Throws: ``OptimizerError`` for an empty parameter list or a value out of range.
    public convenience init(
        parameters: [Variable], learningRate: Double = 1e-2, alpha: Double = 0.99, epsilon: Double = 1e-8,
        weightDecay: Double = 0, momentum: Double = 0, centered: Bool = false, maximize: Bool = false
    ) throws {
        try self.init(groups: [
            ParameterGroup(
                parameters,
                Hyperparameters(
                    learningRate: learningRate, alpha: alpha, epsilon: epsilon, weightDecay: weightDecay,
                    momentum: momentum, centered: centered, maximize: maximize))
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

extension RMSprop.Hyperparameters: BuiltInHyperparameters {
    func validate(component: String) throws {
        try HyperparameterCheck.nonNegative(learningRate, "learningRate", in: component, typical: "1e-3 to 1e-2")
        try HyperparameterCheck.nonNegative(alpha, "alpha", in: component, typical: "0.99")
        try HyperparameterCheck.nonNegative(epsilon, "epsilon", in: component, typical: "1e-8")
        try HyperparameterCheck.nonNegative(weightDecay, "weightDecay", in: component, typical: "0")
        try HyperparameterCheck.nonNegative(momentum, "momentum", in: component, typical: "0 or 0.9")
    }

    var scalars: [String: Double] {
        [
            "lr": learningRate, "alpha": alpha, "eps": epsilon, "weight_decay": weightDecay, "momentum": momentum,
            "centered": centered ? 1 : 0, "maximize": maximize ? 1 : 0,
        ]
    }

    init(scalars: ScalarReader) throws {
        self.init(
            learningRate: try scalars.value("lr"), alpha: try scalars.value("alpha"), epsilon: try scalars.value("eps"),
            weightDecay: try scalars.value("weight_decay"), momentum: try scalars.value("momentum"),
            centered: try scalars.flag("centered"), maximize: try scalars.flag("maximize"))
    }
}

/// RMSprop's per-parameter state.
final class RMSpropState {
    var step: Int
    var squareAverage: Tensor
    var gradientAverage: Tensor?
    var momentumBuffer: Tensor?

    init(step: Int, squareAverage: Tensor, gradientAverage: Tensor?, momentumBuffer: Tensor?) {
        self.step = step
        self.squareAverage = squareAverage
        self.gradientAverage = gradientAverage
        self.momentumBuffer = momentumBuffer
    }
}

/// RMSprop's algorithm for the engine.
enum RMSpropAlgorithm: OptimizerAlgorithm {
    static let name = "RMSprop"

    static func makeState(like value: Tensor, hyperparameters h: RMSprop.Hyperparameters) -> RMSpropState {
        RMSpropState(
            step: 0, squareAverage: .zeros(like: value), gradientAverage: h.centered ? .zeros(like: value) : nil,
            momentumBuffer: h.momentum > 0 ? .zeros(like: value) : nil)
    }

    static func update<T: TensorFloatingPoint>(
        _: T.Type, value: inout Tensor, gradient: Tensor, state: RMSpropState, hyperparameters h: RMSprop.Hyperparameters
    ) {
        state.step += 1
        if h.centered && state.gradientAverage == nil { state.gradientAverage = .zeros(like: value) }
        if h.momentum > 0 && state.momentumBuffer == nil { state.momentumBuffer = .zeros(like: value) }
        let sign: T = h.maximize ? -1 : 1
        let weightDecay = T(h.weightDecay)
        let learningRate = T(h.learningRate)
        let alpha = T(h.alpha)
        let averaging = T(1 - h.alpha)
        let epsilon = T(h.epsilon)
        let momentum = T(h.momentum)
        let (centered, usesMomentum) = (h.centered, h.momentum > 0)
        let count = value.count
        let c = RMSpropCoefficients(
            sign: sign, weightDecay: weightDecay, learningRate: learningRate, alpha: alpha, averaging: averaging,
            epsilon: epsilon, momentum: momentum)
        gradient.withPointer(as: T.self) { g in
            value.withMutablePointer(as: T.self) { p in
                state.squareAverage.withMutablePointer(as: T.self) { square in
                    state.gradientAverage.withMutablePointer(as: T.self) { averagePointer in
                        state.momentumBuffer.withMutablePointer(as: T.self) { bufferPointer in
                            let buffers = RMSpropBuffers(
                                gradient: g, value: p, square: square, average: averagePointer ?? square,
                                buffer: bufferPointer ?? square)
                            // Literal flags: after inlining each call is a branch-free loop that vectorizes.
                            switch (centered, usesMomentum) {
                            case (true, true): loop(count, buffers, c, centered: true, momentum: true)
                            case (true, false): loop(count, buffers, c, centered: true, momentum: false)
                            case (false, true): loop(count, buffers, c, centered: false, momentum: true)
                            case (false, false): loop(count, buffers, c, centered: false, momentum: false)
                            }
                        }
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
        _ count: Int, _ b: RMSpropBuffers<T>, _ c: RMSpropCoefficients<T>, centered: Bool, momentum: Bool
    ) {
        let (g, p, square, average, buffer) = (b.gradient, b.value, b.square, b.average, b.buffer)
        for i in 0..<count {
            let gi = c.sign * g[i] + c.weightDecay * p[i]
            let si = square[i] * c.alpha + c.averaging * gi * gi
            square[i] = si
            var denominator: T
            if centered {
                let ai = average[i] + c.averaging * (gi - average[i])
                average[i] = ai
                denominator = vectorizableSquareRoot(si - ai * ai)
            } else {
                denominator = vectorizableSquareRoot(si)
            }
            denominator += c.epsilon
            if momentum {
                let bi = buffer[i] * c.momentum + gi / denominator
                buffer[i] = bi
                p[i] = p[i] - c.learningRate * bi
            } else {
                p[i] = p[i] - c.learningRate * (gi / denominator)
            }
        }
    }

    static func save(_ state: RMSpropState) -> OptimizerStateDict.ParameterState {
        var tensors = ["square_avg": state.squareAverage]
        if let average = state.gradientAverage { tensors["grad_avg"] = average }
        if let buffer = state.momentumBuffer { tensors["momentum_buffer"] = buffer }
        return .init(tensors: tensors, scalars: ["step": Double(state.step)])
    }

    static func restore(
        _ saved: OptimizerStateDict.ParameterState, like value: Tensor, hyperparameters h: RMSprop.Hyperparameters,
        reader: StateReader
    ) throws -> RMSpropState {
        RMSpropState(
            step: try reader.step(saved), squareAverage: try reader.tensor(saved, "square_avg", like: value),
            gradientAverage: h.centered ? try reader.tensor(saved, "grad_avg", like: value) : nil,
            momentumBuffer: h.momentum > 0 ? try reader.tensor(saved, "momentum_buffer", like: value) : nil)
    }
}

/// The per-step scalars of RMSprop's loop, in the parameter's precision.
struct RMSpropCoefficients<T: TensorFloatingPoint> {
    let sign, weightDecay, learningRate, alpha, averaging, epsilon, momentum: T
}

/// The buffers RMSprop's loop reads and writes (unused ones alias `square` and are never touched).
struct RMSpropBuffers<T: TensorFloatingPoint> {
    let gradient: UnsafePointer<T>
    let value, square, average, buffer: UnsafeMutablePointer<T>
}
