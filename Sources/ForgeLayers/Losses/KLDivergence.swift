public import ForgeAutograd
public import ForgeTensor

extension Loss {
    /// The Kullback–Leibler divergence, PyTorch's `kl_div`: per element `t · (log t − x)` for input
    /// log-probabilities `x` and target probabilities `t` (0 where `t = 0`), or `eᵗ · (t − x)` with
    /// `logTarget` when the target holds log-probabilities too.
    ///
    /// Use ``LossReduction/batchMean`` for the mathematical KL divergence per sample; `mean` divides by
    /// the number of elements, as in PyTorch.
    ///
    /// - Parameters:
    ///   - logProbabilities: the input distribution, as log-probabilities.
    ///   - targets: the target distribution, same shape.
    ///   - logTarget: whether `targets` are log-probabilities.
    ///   - reduction: how to combine the per-element values.
    ///   - fileID: the file that creates the loss, for anomaly reports.
    ///   - line: the line that creates the loss, for anomaly reports.
    public static func klDivergence(
        logProbabilities: Variable, targets: Tensor, logTarget: Bool = false, reduction: LossReduction = .mean,
        fileID: String = #fileID, line: Int = #line
    ) -> Variable {
        let input = logProbabilities
        checkSameShape("klDivergence", input: input.value, target: targets)
        let x = input.value
        let t = targets.converted(to: x.dtype)
        let loss: Tensor
        let derivative: Tensor
        if logTarget {
            let probabilities = t.exp()
            loss = probabilities * (t - x)
            derivative = -probabilities
        } else {
            // xlogy: t · log t is 0 where t is 0 (and log 0 = −inf must not leak as NaN).
            let positive = t .> 0
            let safe = Tensor.where(positive, t, Tensor.ones(shape: [], dtype: t.dtype))
            loss = Tensor.where(positive, t * (safe.log() - x), Tensor.zeros(shape: [], dtype: t.dtype))
            derivative = -t
        }
        return elementwise(
            "klDivergence", input: input, elementLoss: loss, reduction: reduction,
            location: SourceLocation(fileID: fileID, line: line)
        ) { derivative }
    }
}
