public import ForgeAutograd
import ForgeTensor

extension Variable {
    /// Layer normalization over the trailing `normalizedShape` dimensions, in one recorded operation.
    ///
    /// Each slice over the last dimensions is shifted to mean 0 and scaled to variance 1 (the biased
    /// variance, as PyTorch's `layer_norm`), then multiplied by `weight` and shifted by `bias`.
    ///
    /// - Parameters:
    ///   - input: `[..., normalizedShape...]`.
    ///   - normalizedShape: the trailing dimensions to normalize over.
    ///   - weight: `normalizedShape`, or nil for no scale.
    ///   - bias: `normalizedShape`, or nil for no shift.
    ///   - epsilon: added to the variance before the square root.
    public static func layerNorm(
        _ input: Variable, normalizedShape: [Int], weight: Variable? = nil, bias: Variable? = nil,
        epsilon: Double = 1e-5,
        fileID: String = #fileID, line: Int = #line
    ) -> Variable {
        let x = input.value
        precondition(
            x.dtype.isFloatingPoint && x.rank >= normalizedShape.count
                && Array(x.shape.suffix(normalizedShape.count)) == normalizedShape,
            "layerNorm: input \(x.shape) (\(x.dtype)) does not end in the normalized shape \(normalizedShape)")
        for (name, parameter) in [("weight", weight), ("bias", bias)] {
            if let parameter {
                precondition(
                    parameter.shape == normalizedShape,
                    "layerNorm: \(name) \(parameter.shape) differs from the normalized shape \(normalizedShape)")
            }
        }
        let width = normalizedShape.reduce(1, *)
        let w = weight?.value.converted(to: x.dtype)
        let b = bias?.value.converted(to: x.dtype)
        let forward =
            x.dtype == .float64
            ? LayerNormKernel.forward(Double.self, input: x, weight: w, bias: b, width: width, epsilon: epsilon)
            : LayerNormKernel.forward(
                Float.self, input: x.converted(to: .float32), weight: w, bias: b, width: width, epsilon: epsilon)
        let (normalized, inverseDeviation) = (forward.normalized, forward.inverseDeviation)
        var inputs = [input]
        if let weight { inputs.append(weight) }
        if let bias { inputs.append(bias) }
        let (needsInput, needsWeight, hasWeight, hasBias) =
            (input.requiresGradient, weight?.requiresGradient ?? false, weight != nil, bias != nil)
        let parameterShape = normalizedShape
        return record(
            "layerNorm", value: forward.output, inputs: inputs, location: SourceLocation(fileID: fileID, line: line)
        ) { g in
            let gradient = g.dtype == normalized.dtype ? g : g.converted(to: normalized.dtype)
            var result: [Tensor?] = []
            if needsInput {
                result.append(
                    normalized.dtype == .float64
                        ? LayerNormKernel.inputGradient(
                            Double.self, gradient, normalized: normalized, inverseDeviation: inverseDeviation,
                            weight: w, width: width)
                        : LayerNormKernel.inputGradient(
                            Float.self, gradient, normalized: normalized, inverseDeviation: inverseDeviation, weight: w,
                            width: width))
            } else {
                result.append(nil)
            }
            let rows = gradient.reshaped(-1, width)
            if hasWeight {
                result.append(
                    needsWeight ? (rows * normalized.reshaped(-1, width)).sum(axis: 0).reshaped(parameterShape) : nil)
            }
            if hasBias { result.append(rows.sum(axis: 0).reshaped(parameterShape)) }
            return result
        }
    }
}

/// The loops of layer normalization over contiguous rows of `width` elements.
enum LayerNormKernel {
    /// `y = (x − mean) · rstd · weight + bias` per row; also returns the normalized input and `rstd`
    /// per row for the backward pass.
    static func forward<T: TensorFloatingPoint>(
        _: T.Type, input: Tensor, weight: Tensor?, bias: Tensor?, width: Int, epsilon: Double
    ) -> (output: Tensor, normalized: Tensor, inverseDeviation: Tensor) {
        let rows = width == 0 ? 0 : input.count / width
        var output = Tensor.zeros(shape: input.shape, dtype: T.dtype)
        var normalized = Tensor.zeros(shape: input.shape, dtype: T.dtype)
        var inverseDeviation = Tensor.zeros(shape: [rows], dtype: T.dtype)
        let scale = weight?.contiguous() ?? Tensor.ones(shape: [width], dtype: T.dtype)
        let shift = bias?.contiguous() ?? Tensor.zeros(shape: [width], dtype: T.dtype)
        let eps = T(epsilon)
        let count = T(width)
        input.withUnsafeBufferPointer(as: T.self) { x in
            scale.withUnsafeBufferPointer(as: T.self) { w in
                shift.withUnsafeBufferPointer(as: T.self) { b in
                    output.withUnsafeMutableBufferPointer(as: T.self) { y in
                        normalized.withUnsafeMutableBufferPointer(as: T.self) { n in
                            inverseDeviation.withUnsafeMutableBufferPointer(as: T.self) { r in
                                for row in 0..<rows {
                                    let base = row * width
                                    var sum: T = 0
                                    for i in 0..<width { sum += x[base + i] }
                                    let mean = sum / count
                                    var squares: T = 0
                                    for i in 0..<width {
                                        let d = x[base + i] - mean
                                        squares += d * d
                                    }
                                    let rstd = 1 / (squares / count + eps).squareRoot()
                                    r[row] = rstd
                                    for i in 0..<width {
                                        let value = (x[base + i] - mean) * rstd
                                        n[base + i] = value
                                        y[base + i] = value * w[i] + b[i]
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return (output, normalized, inverseDeviation)
    }

    /// `dx = rstd · (ĝ − mean(ĝ) − x̂ · mean(ĝ ⊙ x̂))` per row, where `ĝ = g ⊙ weight`.
    static func inputGradient<T: TensorFloatingPoint>(
        _: T.Type, _ gradient: Tensor, normalized: Tensor, inverseDeviation: Tensor, weight: Tensor?, width: Int
    ) -> Tensor {
        var result = Tensor.zeros(shape: normalized.shape, dtype: T.dtype)
        let scale = weight?.contiguous() ?? Tensor.ones(shape: [width], dtype: T.dtype)
        let rows = inverseDeviation.count
        let count = T(width)
        gradient.withUnsafeBufferPointer(as: T.self) { g in
            normalized.withUnsafeBufferPointer(as: T.self) { n in
                inverseDeviation.withUnsafeBufferPointer(as: T.self) { r in
                    scale.withUnsafeBufferPointer(as: T.self) { w in
                        result.withUnsafeMutableBufferPointer(as: T.self) { dx in
                            for row in 0..<rows {
                                let base = row * width
                                var sumG: T = 0
                                var sumGN: T = 0
                                for i in 0..<width {
                                    let scaled = g[base + i] * w[i]
                                    sumG += scaled
                                    sumGN += scaled * n[base + i]
                                }
                                let meanG = sumG / count
                                let meanGN = sumGN / count
                                let rstd = r[row]
                                for i in 0..<width {
                                    dx[base + i] = rstd * (g[base + i] * w[i] - meanG - n[base + i] * meanGN)
                                }
                            }
                        }
                    }
                }
            }
        }
        return result
    }
}
