extension Tensor {
    /// 2-D average pooling over NCHW images.
    ///
    /// Each output element is the mean of the input elements under its window. With
    /// `countIncludePadding` (PyTorch's `count_include_pad`, the default) the zero padding counts in the
    /// divisor, so border windows divide by the full kernel area; without it they divide by the number of
    /// real elements.
    ///
    /// ```swift
    /// let pooled = Tensor.avgPool2d(input: features, kernelSize: (2, 2))  // [N, C, H/2, W/2]
    /// ```
    ///
    /// - Parameters:
    ///   - input: `[N, C, H, W]`, `float32` or `float64`; any layout.
    ///   - kernelSize: the window, `(height, width)`.
    ///   - stride: the step between windows; defaults to `kernelSize`.
    ///   - padding: zero padding on each side, at most half the kernel size.
    ///   - countIncludePadding: whether padding counts in the divisor.
    /// - Returns: a contiguous `[N, C, Ho, Wo]` tensor of the input's dtype.
    public static func avgPool2d(
        input: Tensor, kernelSize: (height: Int, width: Int), stride: (height: Int, width: Int)? = nil,
        padding: (height: Int, width: Int) = (0, 0), countIncludePadding: Bool = true
    ) -> Tensor {
        let operation = "avgPool2d"
        checkConvolutionDTypes([(name: "input", tensor: input)], operation: operation)
        let geometry = Pool2dGeometry(
            inputShape: input.shape, kernelSize: kernelSize, stride: stride, padding: padding, dilation: (1, 1),
            operation: operation)
        switch input.dtype {
        case .float32:
            return averagePool(Float.self, input: input, geometry: geometry, countIncludePadding: countIncludePadding)
        default:
            return averagePool(Double.self, input: input, geometry: geometry, countIncludePadding: countIncludePadding)
        }
    }

    /// The gradient of a loss with respect to the input of
    /// ``avgPool2d(input:kernelSize:stride:padding:countIncludePadding:)``: each output gradient element,
    /// divided by its window's divisor, is added to every input element of the window.
    ///
    /// - Parameters:
    ///   - outputGradient: `[N, C, Ho, Wo]`, `float32` or `float64`, the shape the forward call produced.
    ///   - inputShape: `[N, C, H, W]`, the shape of the forward input.
    ///   - kernelSize, stride, padding, countIncludePadding: the forward call's arguments.
    /// - Returns: a contiguous tensor of `inputShape`.
    public static func avgPool2dBackward(
        outputGradient: Tensor, inputShape: [Int], kernelSize: (height: Int, width: Int),
        stride: (height: Int, width: Int)? = nil, padding: (height: Int, width: Int) = (0, 0),
        countIncludePadding: Bool = true
    ) -> Tensor {
        let operation = "avgPool2dBackward"
        checkConvolutionDTypes([(name: "outputGradient", tensor: outputGradient)], operation: operation)
        let geometry = Pool2dGeometry(
            inputShape: inputShape, kernelSize: kernelSize, stride: stride, padding: padding, dilation: (1, 1),
            operation: operation)
        precondition(
            outputGradient.shape == geometry.outputShape,
            "\(operation): outputGradient \(outputGradient.shape) must have shape \(geometry.outputShape), the "
                + "avgPool2d output for input \(inputShape)")
        switch outputGradient.dtype {
        case .float32:
            return averagePoolBackward(
                Float.self, outputGradient: outputGradient, geometry: geometry, countIncludePadding: countIncludePadding
            )
        default:
            return averagePoolBackward(
                Double.self, outputGradient: outputGradient, geometry: geometry,
                countIncludePadding: countIncludePadding)
        }
    }

    /// Calls `body(slot, rows, columns, divisor)` for every output position of one plane: the window's
    /// real input rows and columns and the divisor PyTorch uses for it.
    @inline(__always)
    private static func forEachAverageWindow(
        _ g: Pool2dGeometry, countIncludePadding: Bool, _ body: (Int, Range<Int>, Range<Int>, Int) -> Void
    ) {
        for outputRow in 0..<g.outputHeight {
            let rowOrigin = outputRow * g.stride.height - g.padding.height
            // The window clipped to the padded input (PyTorch's pool_size), then to the real input.
            let paddedRows = Swift.min(rowOrigin + g.kernel.height, g.inputHeight + g.padding.height) - rowOrigin
            let rows = Swift.max(rowOrigin, 0)..<Swift.min(rowOrigin + g.kernel.height, g.inputHeight)
            for outputColumn in 0..<g.outputWidth {
                let columnOrigin = outputColumn * g.stride.width - g.padding.width
                let paddedColumns = Swift.min(columnOrigin + g.kernel.width, g.inputWidth + g.padding.width) - columnOrigin
                let columns = Swift.max(columnOrigin, 0)..<Swift.min(columnOrigin + g.kernel.width, g.inputWidth)
                let divisor = countIncludePadding ? paddedRows * paddedColumns : rows.count * columns.count
                body(outputRow * g.outputWidth + outputColumn, rows, columns, divisor)
            }
        }
    }

    private static func averagePool<T: TensorFloatingPoint>(
        _: T.Type, input: Tensor, geometry g: Pool2dGeometry, countIncludePadding: Bool
    ) -> Tensor {
        let input = input.denseLayout
        let output = Tensor(uninitializedShape: g.outputShape, dtype: T.dtype)
        withExtendedLifetime((input, output)) {
            let x = input.basePointer(as: T.self)
            let y = output.basePointer(as: T.self)
            parallelChunks(count: g.planes, grain: g.planeGrain) { planes in
                for plane in planes {
                    let source = x + plane * g.inputPlane
                    let target = y + plane * g.outputPlane
                    forEachAverageWindow(g, countIncludePadding: countIncludePadding) { slot, rows, columns, divisor in
                        var total = T.zero
                        for row in rows {
                            let line = source + row * g.inputWidth
                            for column in columns { total += line[column] }
                        }
                        target[slot] = total / T(divisor)
                    }
                }
            }
        }
        return output
    }

    private static func averagePoolBackward<T: TensorFloatingPoint>(
        _: T.Type, outputGradient: Tensor, geometry g: Pool2dGeometry, countIncludePadding: Bool
    ) -> Tensor {
        let outputGradient = outputGradient.denseLayout
        let inputGradient = Tensor(zeroedShape: g.inputShape, dtype: T.dtype)
        withExtendedLifetime((outputGradient, inputGradient)) {
            let dy = outputGradient.basePointer(as: T.self)
            let dx = inputGradient.basePointer(as: T.self)
            parallelChunks(count: g.planes, grain: g.planeGrain) { planes in
                for plane in planes {
                    let gradients = dy + plane * g.outputPlane
                    let target = dx + plane * g.inputPlane
                    forEachAverageWindow(g, countIncludePadding: countIncludePadding) { slot, rows, columns, divisor in
                        let share = gradients[slot] / T(divisor)
                        for row in rows {
                            let line = target + row * g.inputWidth
                            for column in columns { line[column] += share }
                        }
                    }
                }
            }
        }
        return inputGradient
    }
}
