public import ForgeAutograd
public import ForgeTensor

/// A configured loss: a value that maps predictions and constant targets to a loss variable.
///
/// The ``Loss`` functions are the computations; these small value types hold their options, so a
/// training loop can take "the loss" as one argument (`let criterion: any LossFunction =
/// CrossEntropyLoss(labelSmoothing: 0.1)`), as PyTorch's loss modules are used. They own no parameters,
/// so they are not modules.
public protocol LossFunction: Sendable {
    /// The loss of `prediction` against `target`.
    func callAsFunction(_ prediction: Variable, _ target: Tensor) -> Variable
}

/// ``Loss/crossEntropy(logits:targets:weight:ignoreIndex:labelSmoothing:reduction:fileID:line:)`` with its options.
public struct CrossEntropyLoss: LossFunction {
    /// A weight per class, or nil.
    public var weight: Tensor?
    /// A class index that contributes nothing.
    public var ignoreIndex: Int
    /// The label smoothing ε.
    public var labelSmoothing: Double
    /// The reduction.
    public var reduction: LossReduction

    /// Creates the loss with PyTorch's defaults.
    public init(
        weight: Tensor? = nil, ignoreIndex: Int = -100, labelSmoothing: Double = 0, reduction: LossReduction = .mean
    ) {
        (self.weight, self.ignoreIndex, self.labelSmoothing, self.reduction) = (
            weight, ignoreIndex, labelSmoothing, reduction
        )
    }

    /// The cross-entropy of `logits` against class indices or probabilities.
    public func callAsFunction(_ logits: Variable, _ targets: Tensor) -> Variable {
        Loss.crossEntropy(
            logits: logits, targets: targets, weight: weight, ignoreIndex: ignoreIndex, labelSmoothing: labelSmoothing,
            reduction: reduction)
    }
}

/// ``Loss/negativeLogLikelihood(logProbabilities:targets:weight:ignoreIndex:reduction:fileID:line:)`` with its options.
public struct NegativeLogLikelihoodLoss: LossFunction {
    /// A weight per class, or nil.
    public var weight: Tensor?
    /// A class index that contributes nothing.
    public var ignoreIndex: Int
    /// The reduction.
    public var reduction: LossReduction

    /// Creates the loss with PyTorch's defaults.
    public init(weight: Tensor? = nil, ignoreIndex: Int = -100, reduction: LossReduction = .mean) {
        (self.weight, self.ignoreIndex, self.reduction) = (weight, ignoreIndex, reduction)
    }

    /// The negative log-likelihood of class indices under `logProbabilities`.
    public func callAsFunction(_ logProbabilities: Variable, _ targets: Tensor) -> Variable {
        Loss.negativeLogLikelihood(
            logProbabilities: logProbabilities, targets: targets, weight: weight, ignoreIndex: ignoreIndex,
            reduction: reduction)
    }
}

/// ``Loss/meanSquaredError(_:target:reduction:fileID:line:)`` with its reduction.
public struct MeanSquaredErrorLoss: LossFunction {
    /// The reduction.
    public var reduction: LossReduction
    /// Creates the loss.
    public init(reduction: LossReduction = .mean) { self.reduction = reduction }
    /// The squared error of `input` against `target`.
    public func callAsFunction(_ input: Variable, _ target: Tensor) -> Variable {
        Loss.meanSquaredError(input, target: target, reduction: reduction)
    }
}

/// ``Loss/l1(_:target:reduction:fileID:line:)`` with its reduction.
public struct L1Loss: LossFunction {
    /// The reduction.
    public var reduction: LossReduction
    /// Creates the loss.
    public init(reduction: LossReduction = .mean) { self.reduction = reduction }
    /// The absolute error of `input` against `target`.
    public func callAsFunction(_ input: Variable, _ target: Tensor) -> Variable {
        Loss.l1(input, target: target, reduction: reduction)
    }
}

/// ``Loss/smoothL1(_:target:beta:reduction:fileID:line:)`` with its options.
public struct SmoothL1Loss: LossFunction {
    /// Where the loss turns from quadratic to linear.
    public var beta: Double
    /// The reduction.
    public var reduction: LossReduction
    /// Creates the loss with PyTorch's defaults.
    public init(beta: Double = 1, reduction: LossReduction = .mean) { (self.beta, self.reduction) = (beta, reduction) }
    /// The smooth L1 loss of `input` against `target`.
    public func callAsFunction(_ input: Variable, _ target: Tensor) -> Variable {
        Loss.smoothL1(input, target: target, beta: beta, reduction: reduction)
    }
}

/// ``Loss/huber(_:target:delta:reduction:fileID:line:)`` with its options.
public struct HuberLoss: LossFunction {
    /// Where the loss turns from quadratic to linear.
    public var delta: Double
    /// The reduction.
    public var reduction: LossReduction
    /// Creates the loss with PyTorch's defaults.
    public init(delta: Double = 1, reduction: LossReduction = .mean) {
        (self.delta, self.reduction) = (delta, reduction)
    }
    /// The Huber loss of `input` against `target`.
    public func callAsFunction(_ input: Variable, _ target: Tensor) -> Variable {
        Loss.huber(input, target: target, delta: delta, reduction: reduction)
    }
}

/// ``Loss/binaryCrossEntropy(probabilities:targets:weight:reduction:fileID:line:)`` with its options.
public struct BinaryCrossEntropyLoss: LossFunction {
    /// A rescaling weight broadcast to the input, or nil.
    public var weight: Tensor?
    /// The reduction.
    public var reduction: LossReduction
    /// Creates the loss.
    public init(weight: Tensor? = nil, reduction: LossReduction = .mean) {
        (self.weight, self.reduction) = (weight, reduction)
    }
    /// The binary cross-entropy of `probabilities` against `targets`.
    public func callAsFunction(_ probabilities: Variable, _ targets: Tensor) -> Variable {
        Loss.binaryCrossEntropy(probabilities: probabilities, targets: targets, weight: weight, reduction: reduction)
    }
}

/// ``Loss/binaryCrossEntropyWithLogits(logits:targets:weight:positiveWeight:reduction:fileID:line:)`` with its options.
public struct BinaryCrossEntropyWithLogitsLoss: LossFunction {
    /// A rescaling weight broadcast to the input, or nil.
    public var weight: Tensor?
    /// The weight of positive examples per class, or nil.
    public var positiveWeight: Tensor?
    /// The reduction.
    public var reduction: LossReduction
    /// Creates the loss.
    public init(weight: Tensor? = nil, positiveWeight: Tensor? = nil, reduction: LossReduction = .mean) {
        (self.weight, self.positiveWeight, self.reduction) = (weight, positiveWeight, reduction)
    }
    /// The binary cross-entropy of `logits` against `targets`.
    public func callAsFunction(_ logits: Variable, _ targets: Tensor) -> Variable {
        Loss.binaryCrossEntropyWithLogits(
            logits: logits, targets: targets, weight: weight, positiveWeight: positiveWeight, reduction: reduction)
    }
}

/// ``Loss/klDivergence(logProbabilities:targets:logTarget:reduction:fileID:line:)`` with its options.
public struct KLDivergenceLoss: LossFunction {
    /// Whether targets are log-probabilities.
    public var logTarget: Bool
    /// The reduction (use `.batchMean` for the per-sample divergence).
    public var reduction: LossReduction
    /// Creates the loss.
    public init(logTarget: Bool = false, reduction: LossReduction = .mean) {
        (self.logTarget, self.reduction) = (logTarget, reduction)
    }
    /// The divergence of `logProbabilities` from `targets`.
    public func callAsFunction(_ logProbabilities: Variable, _ targets: Tensor) -> Variable {
        Loss.klDivergence(
            logProbabilities: logProbabilities, targets: targets, logTarget: logTarget, reduction: reduction)
    }
}
