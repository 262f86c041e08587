extension Tensor {
    /// 2-D adaptive average pooling: averages NCHW images down (or up) to a fixed spatial size.
    ///
    /// Output row `i` of `Ho` averages input rows `floor(i·H / Ho) ..< ceil((i + 1)·H / Ho)`, and the same
    /// for columns, exactly as PyTorch's `adaptive_avg_pool2d`; windows may overlap or differ in size.
    ///
    /// ```swift
    /// let global = Tensor.adaptiveAvgPool2d(input: features, outputSize: (1, 1))  // [N, C, 1, 1]
    /// ```
    ///
    /// - Parameters:
    ///   - input: `[N, C, H, W]` with `H, W ≥ 1`, `float32` or `float64`; any layout.
    ///   - outputSize: `(Ho, Wo)`, both at least 1.
    /// - Returns: a contiguous `[N, C, Ho, Wo]` tensor of the input's dtype.
    public static func adaptiveAvgPool2d(input: Tensor, outputSize: (height: Int, width: Int)) -> Tensor {
        let operation = "adaptiveAvgPool2d"
        checkConvolutionDTypes([(name: "input", tensor: input)], operation: operation)
        checkAdaptiveShapes(inputShape: input.shape, outputSize: outputSize, operation: operation)
        switch input.dtype {
        case .float32: return adaptiveAveragePool(Float.self, input: input, outputSize: outputSize)
        default: return adaptiveAveragePool(Double.self, input: input, outputSize: outputSize)
        }
    }

    /// The gradient of a loss with respect to the input of ``adaptiveAvgPool2d(input:outputSize:)``: each
    /// output gradient element, divided by its window's size, is added to every input element of the window.
    ///
    /// - Parameters:
    ///   - outputGradient: `[N, C, Ho, Wo]`, `float32` or `float64`.
    ///   - inputShape: `[N, C, H, W]`, the shape of the forward input.
    /// - Returns: a contiguous tensor of `inputShape`.
    public static func adaptiveAvgPool2dBackward(outputGradient: Tensor, inputShape: [Int]) -> Tensor {
        let operation = "adaptiveAvgPool2dBackward"
        checkConvolutionDTypes([(name: "outputGradient", tensor: outputGradient)], operation: operation)
        precondition(
            outputGradient.rank == 4,
            "\(operation): outputGradient \(outputGradient.shape) must have rank 4 [batch, channels, height, width]")
        let outputSize = (height: outputGradient.shape[2], width: outputGradient.shape[3])
        checkAdaptiveShapes(inputShape: inputShape, outputSize: outputSize, operation: operation)
        precondition(
            outputGradient.shape[0] == inputShape[0] && outputGradient.shape[1] == inputShape[1],
            "\(operation): outputGradient \(outputGradient.shape) and input shape \(inputShape) "
                + "differ in batch or channels")
        switch outputGradient.dtype {
        case .float32:
            return adaptiveAveragePoolBackward(Float.self, outputGradient: outputGradient, inputShape: inputShape)
        default: return adaptiveAveragePoolBackward(Double.self, outputGradient: outputGradient, inputShape: inputShape)
        }
    }

    private static func checkAdaptiveShapes(inputShape: [Int], outputSize: (height: Int, width: Int), operation: String)
    {
        precondition(
            inputShape.count == 4,
            "\(operation): input \(inputShape) must have rank 4 [batch, channels, height, width]")
        Shape.validate(inputShape, operation: operation)
        precondition(
            inputShape[2] >= 1 && inputShape[3] >= 1,
            "\(operation): input \(inputShape) has an empty spatial dimension")
        precondition(
            outputSize.height >= 1 && outputSize.width >= 1,
            "\(operation): output size \(outputSize.height)×\(outputSize.width) must be at least 1×1")
    }

    /// The input indices `floor(index·input/output) ..< ceil((index + 1)·input/output)` pooled into output
    /// position `index`.
    @inline(__always)
    static func adaptiveWindow(_ index: Int, input: Int, output: Int) -> Range<Int> {
        (index * input / output)..<(((index + 1) * input + output - 1) / output)
    }

    private static func adaptiveAveragePool<T: TensorFloatingPoint>(
        _: T.Type, input: Tensor, outputSize: (height: Int, width: Int)
    ) -> Tensor {
        let input = input.denseLayout
        let (batch, channels, height, width) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
        let output = Tensor(uninitializedShape: [batch, channels, outputSize.height, outputSize.width], dtype: T.dtype)
        let (inputPlane, outputPlane) = (height * width, outputSize.height * outputSize.width)
        withExtendedLifetime((input, output)) {
            let x = input.basePointer(as: T.self)
            let y = output.basePointer(as: T.self)
            // Every input element is read about once per overlapping window: roughly H·W work per plane.
            parallelChunks(count: batch * channels, grain: Swift.max(1, 32_768 / Swift.max(inputPlane, outputPlane))) { planes in
                for plane in planes {
                    let source = x + plane * inputPlane
                    let target = y + plane * outputPlane
                    for outputRow in 0..<outputSize.height {
                        let rows = adaptiveWindow(outputRow, input: height, output: outputSize.height)
                        for outputColumn in 0..<outputSize.width {
                            let columns = adaptiveWindow(outputColumn, input: width, output: outputSize.width)
                            var total = T.zero
                            for row in rows {
                                let line = source + row * width
                                for column in columns { total += line[column] }
                            }
                            target[outputRow * outputSize.width + outputColumn] = total / T(rows.count * columns.count)
                        }
                    }
                }
            }
        }
        return output
    }

    private static func adaptiveAveragePoolBackward<T: TensorFloatingPoint>(
        _: T.Type, outputGradient: Tensor, inputShape: [Int]
    ) -> Tensor {
        let outputGradient = outputGradient.denseLayout
        let (height, width) = (inputShape[2], inputShape[3])
        let (outputHeight, outputWidth) = (outputGradient.shape[2], outputGradient.shape[3])
        let inputGradient = Tensor(zeroedShape: inputShape, dtype: T.dtype)
        let (inputPlane, outputPlane) = (height * width, outputHeight * outputWidth)
        withExtendedLifetime((outputGradient, inputGradient)) {
            let dy = outputGradient.basePointer(as: T.self)
            let dx = inputGradient.basePointer(as: T.self)
            parallelChunks(count: inputShape[0] * inputShape[1], grain: Swift.max(1, 32_768 / Swift.max(inputPlane, outputPlane))) {
                planes in
                for plane in planes {
                    let gradients = dy + plane * outputPlane
                    let target = dx + plane * inputPlane
                    for outputRow in 0..<outputHeight {
                        let rows = adaptiveWindow(outputRow, input: height, output: outputHeight)
                        for outputColumn in 0..<outputWidth {
                            let columns = adaptiveWindow(outputColumn, input: width, output: outputWidth)
                            let share =
                                gradients[outputRow * outputWidth + outputColumn] / T(rows.count * columns.count)
                            for row in rows {
                                let line = target + row * width
                                for column in columns { line[column] += share }
                            }
                        }
                    }
                }
            }
        }
        return inputGradient
    }
}
