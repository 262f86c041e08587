public import ForgeAutograd
import ForgeTensor

/// Adam (Kingma & Ba, 2015), with optional AMSGrad — the update of PyTorch's `torch.optim.Adam`.
///
/// For each parameter θ with gradient g at step t (1-based):
///
///     g ← g + λθ                                       (weight decay λ as an L2 term)
///     m ← β₁m + (1 − β₁)g,   v ← β₂v + (1 − β₂)g²
///     v̂ ← max(v̂, v) with AMSGrad, else v
///     θ ← θ − α / (1 − β₁ᵗ) · m / (√v̂ / √(1 − β₂ᵗ) + ε)
///
/// ε sits outside the square root. For weight decay that does not pass through the adaptive
/// denominator, use ``AdamW``.
///
/// ```swift
/// let optimizer = try Adam(parameters: model.parameters(), learningRate: 1e-3)
/// optimizer.zeroGradients()
/// try loss(model(x), y).backward()
/// optimizer.step()
/// ```
///
/// Each step updates every parameter in one fused pass over its value, gradient and moment buffers.
///
/// Its ``stateDict()`` holds, per parameter, PyTorch's `exp_avg`, `exp_avg_sq`, `max_exp_avg_sq` (AMSGrad) and `step`.
public final class Adam: Optimizer, EngineBackedOptimizer {
    /// The hyperparameters of one group.
    public typealias Hyperparameters = AdamHyperparameters

    var engine: OptimizerEngine<AdamAlgorithm>

    /// Creates an optimizer over one group of parameters.
    ///
    /// - Parameters:
    ///   - parameters: the parameters to update (`model.parameters()`).
    ///   - learningRate: the step size α, ≥ 0.
    ///   - betas: the moment decays (β₁, β₂), each in [0, 1).
    ///   - epsilon: the denominator's additive term, ≥ 0.
    ///   - weightDecay: the L2 coefficient λ, ≥ 0.
    ///   - amsgrad: whether to use AMSGrad's running maximum of v.
    ///   - maximize: whether to ascend instead of descend.
    /// - Throws: ``OptimizerError`` for an empty parameter list or a hyperparameter out of range.
    public convenience init(
        parameters: [Variable], learningRate: Double = 1e-3, betas: (Double, Double) = (0.9, 0.999),
        epsilon: Double = 1e-8, weightDecay: Double = 0, amsgrad: Bool = false, maximize: Bool = false
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

/// Adam's algorithm for the engine.
enum AdamAlgorithm: OptimizerAlgorithm {
    static let name = "Adam"

    static func makeState(like value: Tensor, hyperparameters: AdamHyperparameters) -> AdamState {
        AdamKernel.makeState(like: value, hyperparameters: hyperparameters)
    }

    static func update<T: TensorFloatingPoint>(
        _ type: T.Type, value: inout Tensor, gradient: Tensor, state: AdamState, hyperparameters: AdamHyperparameters
    ) {
        AdamKernel.update(
            type, value: &value, gradient: gradient, state: state, hyperparameters: hyperparameters, decoupled: false)
    }

    static func save(_ state: AdamState) -> OptimizerStateDict.ParameterState { AdamKernel.save(state) }

    static func restore(
        _ saved: OptimizerStateDict.ParameterState, like value: Tensor, hyperparameters: AdamHyperparameters,
        reader: StateReader
    ) throws -> AdamState {
        try AdamKernel.restore(saved, like: value, hyperparameters: hyperparameters, reader: reader)
    }
}
