public import ForgeAutograd
public import ForgeTensor

extension Variable {
    /// Batch normalization of `[N, C, …]` input per channel `c`:
    /// `y = (x − mean[c]) / √(variance[c] + epsilon) · weight[c] + bias[c]` — PyTorch's
    /// `torch.nn.functional.batch_norm` without the running-statistics update.
    ///
    /// With `statistics: nil` the mean and the biased variance of the batch are used (training), and the
    /// gradient flows through them; otherwise the given running statistics are (evaluation), and they
    /// are constants. The forward pass and its vector-Jacobian product are each one fused loop over the
    /// input, recorded as a single operation.
    ///
    /// - Parameters:
    ///   - input: `[N, C]` or `[N, C, …]`, float32 or float64.
    ///   - weight: `[C]` scale γ of the input's dtype, or nil for 1.
    ///   - bias: `[C]` shift β of the input's dtype, or nil for 0.
    ///   - statistics: running `(mean, variance)`, each `[C]`, or nil to normalize with the batch's.
    ///   - epsilon: added to the variance for stability.
    /// - Returns: the normalized output and, when batch statistics were used, the batch's per-channel
    ///   mean and biased variance (for updating running statistics).
    public static func batchNormalized(
        _ input: Variable, weight: Variable?, bias: Variable?, statistics: (mean: Tensor, variance: Tensor)?,
        epsilon: Double, fileID: String = #fileID, line: Int = #line
    ) -> (output: Variable, batchMean: [Double]?, batchVariance: [Double]?) {
        let shape = input.shape
        precondition(shape.count >= 2, "batchNormalized: input \(shape) must be [N, C, …]")
        let layout = BatchNormKernel.Layout(shape)
        let channels = layout.channels
        for (name, parameter) in [("weight", weight), ("bias", bias)] {
            guard let parameter else { continue }
            precondition(
                parameter.shape == [channels] && parameter.dtype == input.dtype,
                "batchNormalized: \(name) \(parameter.shape) \(parameter.dtype) must be [\(channels)] \(input.dtype) "
                    + "for input \(shape)")
        }
        let x = input.value.contiguous()
        let gamma = weight?.value.doubleScalars ?? [Double](repeating: 1, count: channels)
        let beta = bias?.value.doubleScalars ?? [Double](repeating: 0, count: channels)
        let mean: [Double]
        let variance: [Double]
        var batchMean: [Double]? = nil
        var batchVariance: [Double]? = nil
        if let statistics {
            precondition(
                statistics.mean.shape == [channels] && statistics.variance.shape == [channels],
                "batchNormalized: running mean \(statistics.mean.shape) and variance \(statistics.variance.shape) "
                    + "must be [\(channels)] for input \(shape)")
            mean = statistics.mean.doubleScalars
            variance = statistics.variance.doubleScalars
        } else {
            precondition(
                layout.reduced > 1,
                "batchNormalized: input \(shape) has 1 value per channel; batch statistics need more than 1")
            (mean, variance) =
                switch x.dtype {
                case .float32: x.withUnsafeBufferPointer(as: Float.self) { BatchNormKernel.statistics($0, layout) }
                case .float64: x.withUnsafeBufferPointer(as: Double.self) { BatchNormKernel.statistics($0, layout) }
                default: preconditionFailure("batchNormalized: input must be float32 or float64, got \(x.dtype)")
                }
            (batchMean, batchVariance) = (mean, variance)
        }
        let invStd = variance.map { 1 / ($0 + epsilon).squareRoot() }
        let scale = (0..<channels).map { gamma[$0] * invStd[$0] }
        let shift = (0..<channels).map { beta[$0] - mean[$0] * scale[$0] }
        let output =
            x.dtype == .float32
            ? BatchNormKernel.affine(x, as: Float.self, scale: scale, shift: shift, layout)
            : BatchNormKernel.affine(x, as: Double.self, scale: scale, shift: shift, layout)

        var inputs = [input]
        if let weight { inputs.append(weight) }
        if let bias { inputs.append(bias) }
        let (hasWeight, hasBias, needsInput) = (weight != nil, bias != nil, input.requiresGradient)
        let throughStatistics = statistics == nil
        let parameterType = weight?.dtype ?? bias?.dtype ?? x.dtype
        let result = record(
            "batchNorm", value: output, inputs: inputs, location: SourceLocation(fileID: fileID, line: line)
        ) { g in
            let gradients =
                x.dtype == .float32
                ? BatchNormKernel.backward(
                    g, input: x, as: Float.self, mean: mean, invStd: invStd, scale: scale,
                    throughStatistics: throughStatistics, needsInput: needsInput, layout)
                : BatchNormKernel.backward(
                    g, input: x, as: Double.self, mean: mean, invStd: invStd, scale: scale,
                    throughStatistics: throughStatistics, needsInput: needsInput, layout)
            var list: [Tensor?] = [gradients.input]
            if hasWeight { list.append(Tensor(gradients.weight).converted(to: parameterType)) }
            if hasBias { list.append(Tensor(gradients.bias).converted(to: parameterType)) }
            return list
        }
        return (result, batchMean, batchVariance)
    }
}
