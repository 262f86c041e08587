public import ForgeAutograd
import ForgeTensor

/// Adagrad (Duchi et al., 2011) with learning-rate decay — the update of PyTorch's
/// `torch.optim.Adagrad`.
///
/// For each parameter θ with gradient g at step t (1-based):
///
///     g ← ±g + λθ
///     η̃ ← η / (1 + (t − 1)·decay)
///     s ← s + g²                          (s starts at initialAccumulatorValue)
///     θ ← θ − η̃ g / (√s + ε)
///
/// ```swift
/// let optimizer = try Adagrad(parameters: model.parameters(), learningRate: 0.01)
/// ```
public final class Adagrad: Optimizer, EngineBackedOptimizer {
    /// The hyperparameters of one group.
    public struct Hyperparameters: Sendable, Equatable {
        /// The step size η (PyTorch's `lr`).
        public var learningRate: Double
        /// The decay of the step size per step (PyTorch's `lr_decay`).
        public var learningRateDecay: Double
        /// The L2 coefficient λ ≥ 0 added to the gradient.
        public var weightDecay: Double
        /// The starting value of the squared-gradient sum.
        public var initialAccumulatorValue: Double
        /// Added to the denominator, outside the square root (PyTorch's `eps`).
        public var epsilon: Double
        /// Maximizes the objective instead of minimizing it.
        public var maximize: Bool

        /// Creates hyperparameters; the defaults are PyTorch's.
        public init(
            learningRate: Double = 1e-2, learningRateDecay: Double = 0, weightDecay: Double = 0,
            initialAccumulatorValue: Double = 0, epsilon: Double = 1e-10, maximize: Bool = false
        ) {
            self.learningRate = learningRate
            self.learningRateDecay = learningRateDecay
            self.weightDecay = weightDecay
            self.initialAccumulatorValue = initialAccumulatorValue
            self.epsilon = epsilon
            self.maximize = maximize
        }
    }

    var engine: OptimizerEngine<AdagradAlgorithm>

    /// Creates an optimizer over one group of parameters.
    ///
    /// - Throws: ``OptimizerError`` for an empty parameter list or a value out of range.
    public convenience init(
        parameters: [Variable], learningRate: Double = 1e-2, learningRateDecay: Double = 0, weightDecay: Double = 0,
        initialAccumulatorValue: Double = 0, epsilon: Double = 1e-10, maximize: Bool = false
    ) throws {
        try self.init(groups: [
            ParameterGroup(
                parameters,
                Hyperparameters(
                    learningRate: learningRate, learningRateDecay: learningRateDecay, weightDecay: weightDecay,
                    initialAccumulatorValue: initialAccumulatorValue, epsilon: epsilon, maximize: maximize))
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

extension Adagrad.Hyperparameters: BuiltInHyperparameters {
    func validate(component: String) throws {
        try HyperparameterCheck.nonNegative(learningRate, "learningRate", in: component, typical: "1e-2")
        try HyperparameterCheck.nonNegative(learningRateDecay, "learningRateDecay", in: component, typical: "0")
        try HyperparameterCheck.nonNegative(weightDecay, "weightDecay", in: component, typical: "0")
        try HyperparameterCheck.nonNegative(
            initialAccumulatorValue, "initialAccumulatorValue", in: component, typical: "0 or 0.1")
        try HyperparameterCheck.nonNegative(epsilon, "epsilon", in: component, typical: "1e-10")
    }

    var scalars: [String: Double] {
        [
            "lr": learningRate, "lr_decay": learningRateDecay, "weight_decay": weightDecay,
            "initial_accumulator_value": initialAccumulatorValue, "eps": epsilon, "maximize": maximize ? 1 : 0,
        ]
    }

    init(scalars: ScalarReader) throws {
        self.init(
            learningRate: try scalars.value("lr"), learningRateDecay: try scalars.value("lr_decay"),
            weightDecay: try scalars.value("weight_decay"),
            initialAccumulatorValue: try scalars.value("initial_accumulator_value"), epsilon: try scalars.value("eps"),
            maximize: try scalars.flag("maximize"))
    }
}

/// Adagrad's per-parameter state.
final class AdagradState {
    var step: Int
    var sum: Tensor

    init(step: Int, sum: Tensor) {
        self.step = step
        self.sum = sum
    }
}

/// Adagrad's algorithm for the engine.
enum AdagradAlgorithm: OptimizerAlgorithm {
    static let name = "Adagrad"

    // PyTorch creates the accumulator in the constructor, so its state dict has it from the start.
    static var createsStateEagerly: Bool { true }

    static func makeState(like value: Tensor, hyperparameters h: Adagrad.Hyperparameters) -> AdagradState {
        AdagradState(step: 0, sum: .filled(like: value, with: h.initialAccumulatorValue))
    }

    static func update<T: TensorFloatingPoint>(
        _: T.Type, value: inout Tensor, gradient: Tensor, state: AdagradState, hyperparameters h: Adagrad.Hyperparameters
    ) {
        state.step += 1
        let sign: T = h.maximize ? -1 : 1
        let weightDecay = T(h.weightDecay)
        let stepSize = T(h.learningRate / (1 + Double(state.step - 1) * h.learningRateDecay))
        let epsilon = T(h.epsilon)
        let count = value.count
        gradient.withPointer(as: T.self) { g in
            value.withMutablePointer(as: T.self) { p in
                state.sum.withMutablePointer(as: T.self) { sum in
                    // Weight decay is always added (an exact zero when λ = 0), so the loop has no branch
                    // and vectorizes.
                    for i in 0..<count {
                        let gi = sign * g[i] + weightDecay * p[i]
                        let si = sum[i] + gi * gi
                        sum[i] = si
                        p[i] = p[i] - stepSize * (gi / (vectorizableSquareRoot(si) + epsilon))
                    }
                }
            }
        }
    }

    static func save(_ state: AdagradState) -> OptimizerStateDict.ParameterState {
        .init(tensors: ["sum": state.sum], scalars: ["step": Double(state.step)])
    }

    static func restore(
        _ saved: OptimizerStateDict.ParameterState, like value: Tensor, hyperparameters: Adagrad.Hyperparameters,
        reader: StateReader
    ) throws -> AdagradState {
        AdagradState(step: try reader.step(saved), sum: try reader.tensor(saved, "sum", like: value))
    }
}
