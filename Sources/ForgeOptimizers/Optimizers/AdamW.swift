public import ForgeAutograd
import ForgeTensor

/// AdamW (Loshchilov & Hutter, 2019): Adam with decoupled weight decay — the update of PyTorch's
/// `torch.optim.AdamW`.
///
/// Weight decay shrinks the parameters directly instead of entering the gradient, so it is not
/// rescaled by the adaptive denominator:
///
///     θ ← θ(1 − αλ)
///     m ← β₁m + (1 − β₁)g,   v ← β₂v + (1 − β₂)g²,   v̂ ← max(v̂, v) with AMSGrad, else v
///     θ ← θ − α / (1 − β₁ᵗ) · m / (√v̂ / √(1 − β₂ᵗ) + ε)
///
/// The default `weightDecay` is 0.01, PyTorch's. Keep biases and normalization weights in a group
/// without decay:
///
/// ```swift
/// let decayed = AdamW.Hyperparameters(learningRate: 1e-3, weightDecay: 0.01)
/// var undecayed = decayed
/// undecayed.weightDecay = 0
/// let optimizer = try AdamW(groups: [ParameterGroup(weights, decayed), ParameterGroup(biases, undecayed)])
/// ```
///
/// Its ``stateDict()`` holds, per parameter, PyTorch's `exp_avg`, `exp_avg_sq`, `max_exp_avg_sq` (AMSGrad) and `step`.
public final class AdamW: Optimizer, EngineBackedOptimizer {
    /// The hyperparameters of one group.
    public typealias Hyperparameters = AdamHyperparameters

    var engine: OptimizerEngine<AdamWAlgorithm>

    /// Creates an optimizer over one group of parameters.
    ///
    /// - Parameters:
    ///   - parameters: the parameters to update (`model.parameters()`).
    ///   - learningRate: the step size α, ≥ 0.
    ///   - betas: the moment decays (β₁, β₂), each in [0, 1).
    ///   - epsilon: the denominator's additive term, ≥ 0.
    ///   - weightDecay: the decoupled decay λ, ≥ 0 (each step multiplies θ by 1 − αλ).
    ///   - amsgrad: whether to use AMSGrad's running maximum of v.
    ///   - maximize: whether to ascend instead of descend.
    /// - Throws: ``OptimizerError`` for an empty parameter list or a hyperparameter out of range.
    public convenience init(
        parameters: [Variable], learningRate: Double = 1e-3, betas: (Double, Double) = (0.9, 0.999),
        epsilon: Double = 1e-8, weightDecay: Double = 1e-2, amsgrad: Bool = false, maximize: Bool = false
    ) throws {
        try self.init(groups: [
            ParameterGroup(
                parameters,
                Hyperparameters(
                    learningRate: learningRate, betas: betas, epsilon: epsilon, weightDecay: weightDecay,
                    amsgrad: amsgrad, maximize: maximize))
        ])
    }

    /// Creates an optimizer over parameter groups with their own hyperparameters.
    ///
    /// - Throws: ``OptimizerError`` for no parameters, a parameter listed twice, or a hyperparameter
    ///   out of range.
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

/// AdamW's algorithm for the engine.
enum AdamWAlgorithm: OptimizerAlgorithm {
    static let name = "AdamW"

    static func makeState(like value: Tensor, hyperparameters: AdamHyperparameters) -> AdamState {
        AdamKernel.makeState(like: value, hyperparameters: hyperparameters)
    }

    static func update<T: TensorFloatingPoint>(
        _ type: T.Type, value: inout Tensor, gradient: Tensor, state: AdamState, hyperparameters: AdamHyperparameters
    ) {
        AdamKernel.update(
            type, value: &value, gradient: gradient, state: state, hyperparameters: hyperparameters, decoupled: true)
    }

    static func save(_ state: AdamState) -> OptimizerStateDict.ParameterState { AdamKernel.save(state) }

    static func restore(
        _ saved: OptimizerStateDict.ParameterState, like value: Tensor, hyperparameters: AdamHyperparameters,
        reader: StateReader
    ) throws -> AdamState {
        try AdamKernel.restore(saved, like: value, hyperparameters: hyperparameters, reader: reader)
    }
}
