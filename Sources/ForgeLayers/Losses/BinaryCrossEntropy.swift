public import ForgeAutograd
public import ForgeTensor

extension Loss {
    /// The binary cross-entropy of probabilities, PyTorch's `binary_cross_entropy`:
    /// `−weight · (t · log x + (1 − t) · log(1 − x))`, each logarithm clamped at −100 as PyTorch does.
    ///
    /// - Parameters:
    ///   - probabilities: predictions in `[0, 1]`.
    ///   - targets: values in `[0, 1]`, same shape.
    ///   - weight: a rescaling weight broadcast to the input's shape, or nil.
    ///   - reduction: how to combine the per-element losses.
    ///   - fileID: the file that creates the loss, for anomaly reports.
    ///   - line: the line that creates the loss, for anomaly reports.
    public static func binaryCrossEntropy(
        probabilities: Variable, targets: Tensor, weight: Tensor? = nil, reduction: LossReduction = .mean,
        fileID: String = #fileID, line: Int = #line
    ) -> Variable {
        let input = probabilities
        checkSameShape("binaryCrossEntropy", input: input.value, target: targets)
        let x = input.value
        let t = targets.converted(to: x.dtype)
        let w = weight.map { broadcastWeight("binaryCrossEntropy", $0, to: x) }
        var loss = -(t * x.log().clamped(min: -100) + (1 - t) * (1 - x).log().clamped(min: -100))
        if let w { loss = loss * w }
        return elementwise(
            "binaryCrossEntropy", input: input, elementLoss: loss, reduction: reduction,
            location: SourceLocation(fileID: fileID, line: line)
        ) {
            // NOTE: PyTorch's gradient (x − t) / max(x (1 − x), 1e-12) stays finite at x = 0 or 1.
            let derivative = (x - t) / Tensor.maximum(x * (1 - x), Tensor.full(shape: [], value: 1e-12, dtype: x.dtype))
            return w.map { derivative * $0 } ?? derivative
        }
    }

    /// The binary cross-entropy of logits, PyTorch's `binary_cross_entropy_with_logits`, computed in the
    /// stable form `(1 − t) x + (1 + (p − 1) t) · (log(1 + e^(−|x|)) + max(−x, 0))`.
    ///
    /// - Parameters:
    ///   - logits: unnormalized scores.
    ///   - targets: values in `[0, 1]`, same shape.
    ///   - weight: a rescaling weight broadcast to the input's shape, or nil.
    ///   - positiveWeight: `p`, a weight of positive examples per class (broadcast along the last
    ///     dimension), or nil.
    ///   - reduction: how to combine the per-element losses.
    ///   - fileID: the file that creates the loss, for anomaly reports.
    ///   - line: the line that creates the loss, for anomaly reports.
    public static func binaryCrossEntropyWithLogits(
        logits: Variable, targets: Tensor, weight: Tensor? = nil, positiveWeight: Tensor? = nil,
        reduction: LossReduction = .mean, fileID: String = #fileID, line: Int = #line
    ) -> Variable {
        let input = logits
        checkSameShape("binaryCrossEntropyWithLogits", input: input.value, target: targets)
        let x = input.value
        let t = targets.converted(to: x.dtype)
        let w = weight.map { broadcastWeight("binaryCrossEntropyWithLogits", $0, to: x) }
        let p = positiveWeight.map { broadcastWeight("binaryCrossEntropyWithLogits", $0, to: x) }
        let softplusOfNegative = (-x.abs()).exp().log1p() + (-x).relu()  // log(1 + e^(−x)), stable
        var loss: Tensor
        if let p {
            loss = (1 - t) * x + (1 + (p - 1) * t) * softplusOfNegative
        } else {
            loss = (1 - t) * x + softplusOfNegative
        }
        if let w { loss = loss * w }
        return elementwise(
            "binaryCrossEntropyWithLogits", input: input, elementLoss: loss, reduction: reduction,
            location: SourceLocation(fileID: fileID, line: line)
        ) {
            // d/dx = σ(x) (p t + 1 − t) − p t  (p = 1 without a positive weight).
            let s = x.sigmoid()
            let derivative = p.map { s * ($0 * t + 1 - t) - $0 * t } ?? (s - t)
            return w.map { derivative * $0 } ?? derivative
        }
    }

    /// `weight` converted to the input's dtype, checked to broadcast to the input's shape.
    static func broadcastWeight(_ operation: String, _ weight: Tensor, to input: Tensor) -> Tensor {
        let compatible =
            weight.rank <= input.rank
            && zip(weight.shape.reversed(), input.shape.reversed()).allSatisfy { $0 == $1 || $0 == 1 }
        precondition(compatible, "\(operation): weight \(weight.shape) does not broadcast to input \(input.shape)")
        return weight.converted(to: input.dtype)
    }
}
