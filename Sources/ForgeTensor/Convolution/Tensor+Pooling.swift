extension Tensor {
    /// 2-D max pooling over NCHW images, returning the maxima and where they came from.
    ///
    /// Each output element is the largest input element under its window; padding counts as −∞, so it
    /// never wins. A NaN in a window wins, as in PyTorch. `indices` holds, for every output element, the
    /// flat index `row · W + column` of the winner inside its own `H × W` input plane (PyTorch's
    /// `return_indices=True`); ties go to the first element in row-major window order.
    ///
    /// ```swift
    /// let (pooled, indices) = Tensor.maxPool2d(input: features, kernelSize: (2, 2))  // [N, C, H/2, W/2]
    /// ```
    ///
    /// - Parameters:
    ///   - input: `[N, C, H, W]`, `float32` or `float64`; any layout.
    ///   - kernelSize: the window, `(height, width)`.
    ///   - stride: the step between windows; defaults to `kernelSize`.
    ///   - padding: −∞ padding on each side, at most half the kernel size.
    ///   - dilation: the spacing between window taps.
    /// - Returns: `output` `[N, C, Ho, Wo]` of the input's dtype and `indices` of the same shape, `int64`.
    public static func maxPool2d(
        input: Tensor, kernelSize: (height: Int, width: Int), stride: (height: Int, width: Int)? = nil,
        padding: (height: Int, width: Int) = (0, 0), dilation: (height: Int, width: Int) = (1, 1)
    ) -> (output: Tensor, indices: Tensor) {
        let operation = "maxPool2d"
        checkConvolutionDTypes([(name: "input", tensor: input)], operation: operation)
        let geometry = Pool2dGeometry(
            inputShape: input.shape, kernelSize: kernelSize, stride: stride, padding: padding, dilation: dilation,
            operation: operation)
        switch input.dtype {
        case .float32: return maxPoolForward(Float.self, input: input, geometry: geometry)
        default: return maxPoolForward(Double.self, input: input, geometry: geometry)
        }
    }

    /// The gradient of a loss with respect to the input of ``maxPool2d(input:kernelSize:stride:padding:dilation:)``:
    /// each output gradient element is added to the input element its index points at.
    ///
    /// - Parameters:
    ///   - outputGradient: `[N, C, Ho, Wo]`, `float32` or `float64`.
    ///   - indices: the `int64` indices maxPool2d returned, the same shape.
    ///   - inputShape: `[N, C, H, W]`, the shape of the forward input.
    /// - Returns: a contiguous tensor of `inputShape`, zero wherever no maximum came from.
    public static func maxPool2dBackward(outputGradient: Tensor, indices: Tensor, inputShape: [Int]) -> Tensor {
        let operation = "maxPool2dBackward"
        checkConvolutionDTypes([(name: "outputGradient", tensor: outputGradient)], operation: operation)
        precondition(
            indices.dtype == .int64, "\(operation): indices have dtype \(indices.dtype); maxPool2d returns int64")
        precondition(
            indices.shape == outputGradient.shape,
            "\(operation): indices \(indices.shape) and outputGradient \(outputGradient.shape) must have the same shape"
        )
        precondition(
            inputShape.count == 4 && outputGradient.rank == 4 && inputShape[0] == outputGradient.shape[0]
                && inputShape[1] == outputGradient.shape[1],
            "\(operation): outputGradient \(outputGradient.shape) and input shape \(inputShape) must both be "
                + "[batch, channels, height, width] with the same batch and channels")
        Shape.validate(inputShape, operation: operation)
        switch outputGradient.dtype {
        case .float32:
            return maxPoolBackward(Float.self, outputGradient: outputGradient, indices: indices, inputShape: inputShape)
        default:
            return maxPoolBackward(
                Double.self, outputGradient: outputGradient, indices: indices, inputShape: inputShape)
        }
    }

    private static func maxPoolForward<T: TensorFloatingPoint>(
        _: T.Type, input: Tensor, geometry g: Pool2dGeometry
    ) -> (output: Tensor, indices: Tensor) {
        let input = input.denseLayout
        let output = Tensor(uninitializedShape: g.outputShape, dtype: T.dtype)
        let indices = Tensor(uninitializedShape: g.outputShape, dtype: .int64)
        withExtendedLifetime((input, output, indices)) {
            let x = input.basePointer(as: T.self)
            let y = output.basePointer(as: T.self)
            let positions = indices.basePointer(as: Int64.self)
            let pairs = g.kernel == (2, 2) && g.stride == (2, 2) && g.padding == (0, 0) && g.dilation == (1, 1)
            parallelChunks(count: g.planes, grain: g.planeGrain) { planes in
                for plane in planes {
                    let source = x + plane * g.inputPlane
                    let values = y + plane * g.outputPlane
                    let winners = positions + plane * g.outputPlane
                    if pairs {
                        // The common 2×2 window with stride 2: four loads, no window arithmetic.
                        for outputRow in 0..<g.outputHeight {
                            let top = 2 * outputRow * g.inputWidth
                            let bottom = top + g.inputWidth
                            for outputColumn in 0..<g.outputWidth {
                                // Same rule as the general path below: start at −∞, a later NaN wins.
                                let left = 2 * outputColumn
                                var best = -T.infinity
                                var bestIndex = top + left
                                let a = source[top + left]
                                if a > best || a.isNaN { (best, bestIndex) = (a, top + left) }
                                let b = source[top + left + 1]
                                if b > best || b.isNaN { (best, bestIndex) = (b, top + left + 1) }
                                let c = source[bottom + left]
                                if c > best || c.isNaN { (best, bestIndex) = (c, bottom + left) }
                                let d = source[bottom + left + 1]
                                if d > best || d.isNaN { (best, bestIndex) = (d, bottom + left + 1) }
                                values[outputRow * g.outputWidth + outputColumn] = best
                                winners[outputRow * g.outputWidth + outputColumn] = Int64(bestIndex)
                            }
                        }
                        continue
                    }
                    for outputRow in 0..<g.outputHeight {
                        let rowOrigin = outputRow * g.stride.height - g.padding.height
                        let rows = Pool2dGeometry.taps(
                            origin: rowOrigin, dilation: g.dilation.height, kernel: g.kernel.height,
                            length: g.inputHeight)
                        for outputColumn in 0..<g.outputWidth {
                            let columnOrigin = outputColumn * g.stride.width - g.padding.width
                            let columns = Pool2dGeometry.taps(
                                origin: columnOrigin, dilation: g.dilation.width, kernel: g.kernel.width,
                                length: g.inputWidth)
                            // Like PyTorch: start at −∞ pointing at the first real element of the window.
                            var best = -T.infinity
                            var bestIndex =
                                (rowOrigin + rows.lowerBound * g.dilation.height) * g.inputWidth + columnOrigin
                                + columns.lowerBound * g.dilation.width
                            for tapRow in rows {
                                let rowStart = (rowOrigin + tapRow * g.dilation.height) * g.inputWidth + columnOrigin
                                for tapColumn in columns {
                                    let index = rowStart + tapColumn * g.dilation.width
                                    let value = source[index]
                                    if value > best || value.isNaN {
                                        best = value
                                        bestIndex = index
                                    }
                                }
                            }
                            let slot = outputRow * g.outputWidth + outputColumn
                            values[slot] = best
                            winners[slot] = Int64(bestIndex)
                        }
                    }
                }
            }
        }
        return (output, indices)
    }

    private static func maxPoolBackward<T: TensorFloatingPoint>(
        _: T.Type, outputGradient: Tensor, indices: Tensor, inputShape: [Int]
    ) -> Tensor {
        let outputGradient = outputGradient.denseLayout
        let indices = indices.denseLayout
        let inputGradient = Tensor(zeroedShape: inputShape, dtype: T.dtype)
        let planes = inputShape[0] * inputShape[1]
        let inputPlane = inputShape[2] * inputShape[3]
        let outputPlane = outputGradient.shape[2] * outputGradient.shape[3]
        withExtendedLifetime((outputGradient, indices, inputGradient)) {
            let dy = outputGradient.basePointer(as: T.self)
            let positions = indices.basePointer(as: Int64.self)
            let dx = inputGradient.basePointer(as: T.self)
            parallelChunks(count: planes, grain: Swift.max(1, 32_768 / Swift.max(outputPlane, 1))) { range in
                for plane in range {
                    let gradients = dy + plane * outputPlane
                    let winners = positions + plane * outputPlane
                    let target = dx + plane * inputPlane
                    for slot in 0..<outputPlane {
                        let index = Int(winners[slot])
                        precondition(
                            index >= 0 && index < inputPlane,
                            "maxPool2dBackward: index \(index) is outside the "
                                + "\(inputShape[2])×\(inputShape[3]) input plane")
                        target[index] += gradients[slot]
                    }
                }
            }
        }
        return inputGradient
    }
}
