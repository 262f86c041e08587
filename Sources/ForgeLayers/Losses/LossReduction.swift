import ForgeAutograd
import ForgeTensor

/// How a loss turns its per-element values into a result, PyTorch's `reduction` argument.
public enum LossReduction: Sendable, Hashable {
    /// The mean over elements (for weighted classification losses, the weighted mean).
    case mean
    /// The sum over elements.
    case sum
    /// No reduction: one loss per element (per sample for classification losses).
    case none
    /// The sum divided by the batch size (the first dimension), PyTorch's `"batchmean"` for KL divergence.
    case batchMean
}

/// Loss functions, each one recorded operation with a closed-form gradient.
///
/// Losses are plain functions rather than modules: they own no parameters or state, so a function call
/// says everything (`Loss.crossEntropy(logits: y, targets: labels)`) and costs nothing beyond the
/// computation. Targets are constant tensors; gradients flow to the prediction only. The result is a
/// 0-d variable for ``LossReduction/mean``, ``LossReduction/sum`` and ``LossReduction/batchMean``, and
/// the unreduced losses for ``LossReduction/none``.
///
/// ```swift
/// let loss = Loss.crossEntropy(logits: model(Variable(images)), targets: labels, labelSmoothing: 0.1)
/// try loss.backward()
/// ```
public enum Loss {}

extension Loss {
    /// Records an element-wise loss with its reduction as one operation.
    ///
    /// `elementLoss` holds the per-element losses (shape of `input`); `derivative` gives d loss / d input
    /// per element and is only evaluated during backward.
    static func elementwise(
        _ operation: String, input: Variable, elementLoss: Tensor, reduction: LossReduction, location: SourceLocation,
        derivative: @escaping () -> Tensor
    ) -> Variable {
        let shape = elementLoss.shape
        let count = elementLoss.count
        let batch = shape.first ?? 1
        let value: Tensor
        switch reduction {
        case .none: value = elementLoss
        case .sum: value = elementLoss.sum()
        case .mean: value = elementLoss.sum() / Double(count)
        case .batchMean: value = elementLoss.sum() / Double(batch)
        }
        return Variable.record(operation, value: value, inputs: [input], location: location) { g in
            let upstream: Tensor
            switch reduction {
            case .none: upstream = g
            case .sum: upstream = g
            case .mean: upstream = g / Double(count)
            case .batchMean: upstream = g / Double(batch)
            }
            return [derivative() * upstream]
        }
    }

    /// Traps unless `input` and `target` have the same shape.
    static func checkSameShape(_ operation: String, input: Tensor, target: Tensor) {
        precondition(
            input.shape == target.shape,
            "\(operation): input \(input.shape) and target \(target.shape) must have the same shape")
        precondition(input.dtype.isFloatingPoint, "\(operation): input dtype \(input.dtype) is not floating point")
    }
}
