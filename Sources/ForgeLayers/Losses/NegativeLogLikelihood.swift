public import ForgeAutograd
public import ForgeTensor

extension Loss {
    /// The negative log-likelihood of class indices under log-probabilities, PyTorch's `nll_loss`:
    /// `−weight[y] · input[y]` per position; `mean` divides by the summed weights of non-ignored targets.
    ///
    /// - Parameters:
    ///   - logProbabilities: `[N, C]`, `[N, C, d1, …]` or `[C]` (usually a log-softmax).
    ///   - targets: integer class indices `[N]` / `[N, d1, …]` / `[]`.
    ///   - weight: a weight per class `[C]`, or nil.
    ///   - ignoreIndex: a class index whose positions contribute nothing.
    ///   - reduction: how to combine the per-position losses.
    ///   - fileID: the file that creates the loss, for anomaly reports.
    ///   - line: the line that creates the loss, for anomaly reports.
    public static func negativeLogLikelihood(
        logProbabilities: Variable, targets: Tensor, weight: Tensor? = nil, ignoreIndex: Int = -100,
        reduction: LossReduction = .mean, fileID: String = #fileID, line: Int = #line
    ) -> Variable {
        let input = logProbabilities
        let x = input.value
        precondition(x.dtype.isFloatingPoint, "negativeLogLikelihood: input dtype \(x.dtype) is not floating point")
        let layout = ClassLayout(operation: "negativeLogLikelihood", shape: x.shape)
        let weights = layout.classWeights("negativeLogLikelihood", weight: weight, inputShape: x.shape)
        let indices = layout.classIndices(
            "negativeLogLikelihood", targets: targets, inputShape: x.shape, ignoreIndex: ignoreIndex)
        let ignored = Int64(ignoreIndex)
        let (classes, inner) = (layout.classes, layout.inner)
        // Flat offsets of the picked elements (nil where ignored).
        var offsets = [Int](repeating: -1, count: layout.positions)
        var denominator = 0.0
        for n in 0..<layout.batch {
            for s in 0..<inner {
                let position = n * inner + s
                let index = indices[position]
                guard index != ignored else { continue }
                offsets[position] = n * classes * inner + Int(index) * inner + s
                denominator += weights[Int(index)]
            }
        }
        let source = x.contiguous()
        let picked = source.converted(to: .float64)
        var losses = [Double](repeating: 0, count: layout.positions)
        picked.withUnsafeBufferPointer(as: Double.self) { values in
            for position in offsets.indices where offsets[position] >= 0 {
                losses[position] = -weights[Int(indices[position])] * values[offsets[position]]
            }
        }
        let value = reducedLoss(
            losses, reduction: reduction, denominator: denominator, batch: layout.batch,
            positionShape: layout.positionShape, dtype: x.dtype)
        let shape = x.shape
        return Variable.record(
            "negativeLogLikelihood", value: value, inputs: [input], location: SourceLocation(fileID: fileID, line: line)
        ) { g in
            let scale = UpstreamScale(reduction, gradient: g, denominator: denominator, batch: layout.batch)
            var gradient = [Double](repeating: 0, count: source.count)
            scale.withScales { upstream in
                for position in offsets.indices where offsets[position] >= 0 {
                    gradient[offsets[position]] = -weights[Int(indices[position])] * upstream(position)
                }
            }
            return [Tensor(gradient, shape: shape).converted(to: source.dtype)]
        }
    }
}
