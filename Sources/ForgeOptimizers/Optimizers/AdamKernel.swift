import CForgeMath
import ForgeTensor
import Foundation

/// The hyperparameters of ``Adam`` and ``AdamW``.
public struct AdamHyperparameters: Sendable, Equatable {
    /// The step size α (PyTorch's `lr`).
    public var learningRate: Double
    /// The decay of the first-moment (mean) estimate, β₁ in [0, 1).
    public var beta1: Double
    /// The decay of the second-moment (uncentered variance) estimate, β₂ in [0, 1).
    public var beta2: Double
    /// Added to the denominator, outside the square root (PyTorch's `eps`).
    public var epsilon: Double
    /// Weight decay: an L2 term added to the gradient for ``Adam``, decoupled shrinking of the weights
    /// by `learningRate × weightDecay` for ``AdamW``.
    public var weightDecay: Double
    /// Uses the maximum of all second-moment estimates so far (AMSGrad).
    public var amsgrad: Bool
    /// Maximizes the objective instead of minimizing it.
    public var maximize: Bool

    /// Creates hyperparameters; the defaults are PyTorch's `Adam` defaults (``AdamW`` uses
    /// `weightDecay` 0.01).
    public init(
        learningRate: Double = 1e-3, betas: (Double, Double) = (0.9, 0.999), epsilon: Double = 1e-8,
        weightDecay: Double = 0, amsgrad: Bool = false, maximize: Bool = false
    ) {
        self.learningRate = learningRate
        self.beta1 = betas.0
        self.beta2 = betas.1
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.amsgrad = amsgrad
        self.maximize = maximize
    }
}

extension AdamHyperparameters: BuiltInHyperparameters {
    func validate(component: String) throws {
        try HyperparameterCheck.nonNegative(learningRate, "learningRate", in: component, typical: "1e-3")
        try HyperparameterCheck.unitInterval(beta1, "betas.0 (beta1)", in: component, typical: "0.9")
        try HyperparameterCheck.unitInterval(beta2, "betas.1 (beta2)", in: component, typical: "0.999")
        try HyperparameterCheck.nonNegative(epsilon, "epsilon", in: component, typical: "1e-8")
        try HyperparameterCheck.nonNegative(weightDecay, "weightDecay", in: component, typical: "0 or 0.01")
    }

    var scalars: [String: Double] {
        [
            "lr": learningRate, "beta1": beta1, "beta2": beta2, "eps": epsilon, "weight_decay": weightDecay,
            "amsgrad": amsgrad ? 1 : 0, "maximize": maximize ? 1 : 0,
        ]
    }

    init(scalars: ScalarReader) throws {
        self.init(
            learningRate: try scalars.value("lr"), betas: (try scalars.value("beta1"), try scalars.value("beta2")),
            epsilon: try scalars.value("eps"), weightDecay: try scalars.value("weight_decay"),
            amsgrad: try scalars.flag("amsgrad"), maximize: try scalars.flag("maximize"))
    }
}

/// Adam's per-parameter state: step count and moment estimates (PyTorch's `step`, `exp_avg`,
/// `exp_avg_sq`, `max_exp_avg_sq`).
final class AdamState {
    var step = 0
    var firstMoment: Tensor
    var secondMoment: Tensor
    var maximumSecondMoment: Tensor?

    init(step: Int, firstMoment: Tensor, secondMoment: Tensor, maximumSecondMoment: Tensor?) {
        self.step = step
        self.firstMoment = firstMoment
        self.secondMoment = secondMoment
        self.maximumSecondMoment = maximumSecondMoment
    }
}

/// The update shared by Adam (L2 weight decay) and AdamW (decoupled weight decay).
enum AdamKernel {
    static func makeState(like value: Tensor, hyperparameters: AdamHyperparameters) -> AdamState {
        AdamState(
            step: 0, firstMoment: .zeros(like: value), secondMoment: .zeros(like: value),
            maximumSecondMoment: hyperparameters.amsgrad ? .zeros(like: value) : nil)
    }

    /// PyTorch's single-tensor Adam, fused into one loop:
    ///
    ///     g ← ±∇ (+ λθ for Adam);  θ ← θ(1 − αλ) for AdamW
    ///     m ← m + (1 − β₁)(g − m);  v ← β₂v + (1 − β₂)g²;  v̂max ← max(v̂max, v) with AMSGrad
    ///     θ ← θ − α/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε)
    ///
    /// Bias corrections are computed in `Double` from the step count, as PyTorch does in Python.
    static func update<T: TensorFloatingPoint>(
        _: T.Type, value: inout Tensor, gradient: Tensor, state: AdamState, hyperparameters h: AdamHyperparameters,
        decoupled: Bool
    ) {
        state.step += 1
        if h.amsgrad && state.maximumSecondMoment == nil { state.maximumSecondMoment = .zeros(like: value) }
        let amsgrad = h.amsgrad
        let step = Double(state.step)
        let biasCorrection1 = 1 - pow(h.beta1, step)
        let biasCorrection2 = 1 - pow(h.beta2, step)
        let stepSize = T(h.learningRate / biasCorrection1)
        let biasCorrection2Root = T(biasCorrection2.squareRoot())
        let averaging1 = T(1 - h.beta1)
        let beta2 = T(h.beta2)
        let averaging2 = T(1 - h.beta2)
        let epsilon = T(h.epsilon)
        let sign: T = h.maximize ? -1 : 1
        let l2 = decoupled ? 0 : T(h.weightDecay)
        let shrink = decoupled ? T(1 - h.learningRate * h.weightDecay) : 1
        let count = value.count
        let flags =
            (l2 != 0 ? Int32(FORGE_ADAM_L2) : 0) | (decoupled ? Int32(FORGE_ADAM_DECOUPLED) : 0)
            | (amsgrad ? Int32(FORGE_ADAM_AMSGRAD) : 0)
        gradient.withPointer(as: T.self) { g in
            value.withMutablePointer(as: T.self) { p in
                state.firstMoment.withMutablePointer(as: T.self) { m in
                    state.secondMoment.withMutablePointer(as: T.self) { v in
                        state.maximumSecondMoment.withMutablePointer(as: T.self) { maximum in
                            // The element loop is in C (CForgeMath/AdamKernel.c) so that x86-64 Linux runs
                            // it with AVX2 when the processor has it; Swift builds for the SSE2 baseline.
                            if T.self == Float.self {
                                var c = ForgeAdamCoefficientsFloat(
                                    sign: Float(sign), l2: Float(l2), shrink: Float(shrink), averaging1: Float(averaging1),
                                    beta2: Float(beta2), averaging2: Float(averaging2),
                                    inverseBiasCorrection2Root: Float(1 / biasCorrection2Root), epsilon: Float(epsilon),
                                    stepSize: Float(stepSize))
                                forge_adam_float(
                                    count, rebound(g), rebound(p), rebound(m), rebound(v), maximum.map { rebound($0) }, &c,
                                    flags)
                            } else {
                                var c = ForgeAdamCoefficientsDouble(
                                    sign: Double(sign), l2: Double(l2), shrink: Double(shrink),
                                    averaging1: Double(averaging1), beta2: Double(beta2), averaging2: Double(averaging2),
                                    inverseBiasCorrection2Root: Double(1 / biasCorrection2Root),
                                    epsilon: Double(epsilon), stepSize: Double(stepSize))
                                forge_adam_double(
                                    count, rebound(g), rebound(p), rebound(m), rebound(v), maximum.map { rebound($0) }, &c,
                                    flags)
                            }
                        }
                    }
                }
            }
        }
    }

    static func save(_ state: AdamState) -> OptimizerStateDict.ParameterState {
        var tensors = ["exp_avg": state.firstMoment, "exp_avg_sq": state.secondMoment]
        if let maximum = state.maximumSecondMoment { tensors["max_exp_avg_sq"] = maximum }
        return .init(tensors: tensors, scalars: ["step": Double(state.step)])
    }

    static func restore(
        _ saved: OptimizerStateDict.ParameterState, like value: Tensor, hyperparameters: AdamHyperparameters,
        reader: StateReader
    ) throws -> AdamState {
        let maximum =
            hyperparameters.amsgrad
            ? try reader.optionalTensor(saved, "max_exp_avg_sq", like: value) ?? .zeros(like: value) : nil
        return AdamState(
            step: try reader.step(saved), firstMoment: try reader.tensor(saved, "exp_avg", like: value),
            secondMoment: try reader.tensor(saved, "exp_avg_sq", like: value), maximumSecondMoment: maximum)
    }
}
