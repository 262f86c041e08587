extension Tensor {
    /// The gradient of a loss with respect to the input of ``conv2d(input:weight:bias:parameters:)``,
    /// given the gradient with respect to its output (the vector-Jacobian product).
    ///
    /// Computed as `weightᵀ · outputGradient` per group (one GEMM), then col2im, which adds every column
    /// back onto the input positions it was read from; input positions no window reads get zero.
    ///
    /// ```swift
    /// let inputGradient = Tensor.conv2dBackwardInput(
    ///     outputGradient: upstream, weight: filters, inputShape: images.shape, parameters: .uniform(padding: 1))
    /// ```
    ///
    /// - Parameters:
    ///   - outputGradient: `[N, O, Ho, Wo]`, the shape conv2d produced; `float32` or `float64`.
    ///   - weight: `[O, C / groups, kH, kW]`, the same dtype.
    ///   - inputShape: `[N, C, H, W]`, the shape of the forward input.
    ///   - parameters: the forward call's parameters.
    /// - Returns: a contiguous tensor of `inputShape`.
    public static func conv2dBackwardInput(
        outputGradient: Tensor, weight: Tensor, inputShape: [Int], parameters: Conv2dParameters
    ) -> Tensor {
        let operation = "conv2dBackwardInput"
        checkConvolutionDTypes(
            [(name: "outputGradient", tensor: outputGradient), (name: "weight", tensor: weight)], operation: operation)
        let geometry = Conv2dGeometry(
            inputShape: inputShape, weightShape: weight.shape, parameters: parameters, operation: operation)
        checkOutputGradient(outputGradient, geometry: geometry, operation: operation)
        switch outputGradient.dtype {
        case .float32:
            return conv2dInputGradient(Float.self, outputGradient: outputGradient, weight: weight, geometry: geometry)
        default:
            return conv2dInputGradient(Double.self, outputGradient: outputGradient, weight: weight, geometry: geometry)
        }
    }

    /// The gradient of a loss with respect to the weight of ``conv2d(input:weight:bias:parameters:)``,
    /// given the gradient with respect to its output.
    ///
    /// Computed as im2col of the input, then `outputGradient · columnsᵀ` per group, summed over the batch.
    ///
    /// - Parameters:
    ///   - outputGradient: `[N, O, Ho, Wo]`; `float32` or `float64`.
    ///   - input: `[N, C, H, W]`, the forward input, the same dtype; any layout.
    ///   - weightShape: `[O, C / groups, kH, kW]`, the shape of the forward weight.
    ///   - parameters: the forward call's parameters.
    /// - Returns: a contiguous tensor of `weightShape`.
    public static func conv2dBackwardWeight(
        outputGradient: Tensor, input: Tensor, weightShape: [Int], parameters: Conv2dParameters
    ) -> Tensor {
        let operation = "conv2dBackwardWeight"
        checkConvolutionDTypes(
            [(name: "outputGradient", tensor: outputGradient), (name: "input", tensor: input)], operation: operation)
        let geometry = Conv2dGeometry(
            inputShape: input.shape, weightShape: weightShape, parameters: parameters, operation: operation)
        checkOutputGradient(outputGradient, geometry: geometry, operation: operation)
        switch outputGradient.dtype {
        case .float32:
            return conv2dWeightGradient(Float.self, outputGradient: outputGradient, input: input, geometry: geometry)
        default:
            return conv2dWeightGradient(Double.self, outputGradient: outputGradient, input: input, geometry: geometry)
        }
    }

    /// The gradient of a loss with respect to the bias of ``conv2d(input:weight:bias:parameters:)``:
    /// the output gradient `[N, O, Ho, Wo]` summed over the batch and both spatial dimensions, shape `[O]`.
    public static func conv2dBackwardBias(outputGradient: Tensor) -> Tensor {
        let operation = "conv2dBackwardBias"
        checkConvolutionDTypes([(name: "outputGradient", tensor: outputGradient)], operation: operation)
        precondition(
            outputGradient.rank == 4,
            "\(operation): outputGradient \(outputGradient.shape) must have rank 4 [batch, channels, height, width]")
        switch outputGradient.dtype {
        case .float32: return conv2dBiasGradient(Float.self, outputGradient: outputGradient)
        default: return conv2dBiasGradient(Double.self, outputGradient: outputGradient)
        }
    }

    /// Traps unless `outputGradient` has the shape the forward convolution of `geometry` produces.
    private static func checkOutputGradient(_ outputGradient: Tensor, geometry: Conv2dGeometry, operation: String) {
        precondition(
            outputGradient.shape == geometry.outputShape,
            "\(operation): outputGradient \(outputGradient.shape) must have shape \(geometry.outputShape), the conv2d "
                + "output for input \(geometry.inputShape) and weight \(geometry.weightShape) "
                + "with \(geometry.parameters)"
        )
    }

    private static func conv2dInputGradient<T: TensorFloatingPoint>(
        _: T.Type, outputGradient: Tensor, weight: Tensor, geometry g: Conv2dGeometry
    ) -> Tensor {
        let outputGradient = outputGradient.denseLayout
        let weight = weight.denseLayout
        let inputGradient = Tensor(zeroedShape: g.inputShape, dtype: T.dtype)
        if g.isEmpty { return inputGradient }
        let images = g.imagesPerChunk
        let direct = images == 1 && g.isPointwise
        let positions = g.outputPlane
        let (groupInputRows, groupOutputChannels) = (g.rowsPerGroup, g.outputChannelsPerGroup)
        let columns = direct ? nil : UnsafeMutablePointer<T>.allocate(capacity: g.columnRows * images * positions)
        let gathered =
            images > 1 ? UnsafeMutablePointer<T>.allocate(capacity: g.outputChannels * images * positions) : nil
        defer {
            columns?.deallocate()
            gathered?.deallocate()
        }
        withExtendedLifetime((outputGradient, weight, inputGradient)) {
            let dy = UnsafePointer(outputGradient.basePointer(as: T.self))
            let w = UnsafePointer(weight.basePointer(as: T.self))
            let dx = inputGradient.basePointer(as: T.self)
            for first in stride(from: 0, to: g.batch, by: images) {
                let count = Swift.min(images, g.batch - first)
                let width = count * positions
                let (gradient, gradientStride) = channelMajorGradient(
                    dy, first: first, count: count, geometry: g, scratch: gathered)
                let chunkInput = dx + first * g.inputChannels * g.inputPlane
                // Pointwise: the column gradient is the input gradient itself.
                let target = columns ?? chunkInput
                for group in 0..<g.groups {
                    BLASGEMM.multiply(
                        transposeA: true, transposeB: false,
                        m: groupInputRows, n: width, k: groupOutputChannels,
                        a: w + group * groupOutputChannels * groupInputRows, lda: groupInputRows,
                        b: gradient + group * groupOutputChannels * gradientStride, ldb: gradientStride,
                        beta: T.zero, c: target + group * groupInputRows * width, ldc: width)
                }
                if let columns {
                    Im2Col.fold(columns: columns, rowStride: width, images: count, geometry: g, input: chunkInput)
                }
            }
        }
        return inputGradient
    }

    private static func conv2dWeightGradient<T: TensorFloatingPoint>(
        _: T.Type, outputGradient: Tensor, input: Tensor, geometry g: Conv2dGeometry
    ) -> Tensor {
        let outputGradient = outputGradient.denseLayout
        let input = input.denseLayout
        let weightGradient = Tensor(zeroedShape: g.weightShape, dtype: T.dtype)
        if g.isEmpty { return weightGradient }
        let images = g.imagesPerChunk
        let direct = images == 1 && g.isPointwise
        let positions = g.outputPlane
        let (groupInputRows, groupOutputChannels) = (g.rowsPerGroup, g.outputChannelsPerGroup)
        let columns = direct ? nil : UnsafeMutablePointer<T>.allocate(capacity: g.columnRows * images * positions)
        let gathered =
            images > 1 ? UnsafeMutablePointer<T>.allocate(capacity: g.outputChannels * images * positions) : nil
        defer {
            columns?.deallocate()
            gathered?.deallocate()
        }
        withExtendedLifetime((outputGradient, input, weightGradient)) {
            let dy = UnsafePointer(outputGradient.basePointer(as: T.self))
            let x = UnsafePointer(input.basePointer(as: T.self))
            let dw = weightGradient.basePointer(as: T.self)
            for first in stride(from: 0, to: g.batch, by: images) {
                let count = Swift.min(images, g.batch - first)
                let width = count * positions
                let chunkInput = x + first * g.inputChannels * g.inputPlane
                let matrix: UnsafePointer<T>
                if let columns {
                    Im2Col.unfold(input: chunkInput, images: count, geometry: g, columns: columns, rowStride: width)
                    matrix = UnsafePointer(columns)
                } else {
                    matrix = chunkInput
                }
                let (gradient, gradientStride) = channelMajorGradient(
                    dy, first: first, count: count, geometry: g, scratch: gathered)
                // Accumulate over chunks: beta 1 onto the zeroed weight gradient.
                for group in 0..<g.groups {
                    BLASGEMM.multiply(
                        transposeA: false, transposeB: true,
                        m: groupOutputChannels, n: groupInputRows, k: width,
                        a: gradient + group * groupOutputChannels * gradientStride, lda: gradientStride,
                        b: matrix + group * groupInputRows * width, ldb: width,
                        beta: T.one, c: dw + group * groupOutputChannels * groupInputRows, ldc: groupInputRows)
                }
            }
        }
        return weightGradient
    }

    /// The output gradient of images `first..<first+count` as a channel-major matrix
    /// `[O, count·Ho·Wo]` and its row stride: a pointer into `outputGradient` itself for one image,
    /// otherwise a copy gathered into `scratch`.
    private static func channelMajorGradient<T: TensorFloatingPoint>(
        _ outputGradient: UnsafePointer<T>, first: Int, count: Int, geometry g: Conv2dGeometry,
        scratch: UnsafeMutablePointer<T>?
    ) -> (UnsafePointer<T>, Int) {
        let positions = g.outputPlane
        let channels = g.outputChannels
        let source = outputGradient + first * channels * positions
        guard count > 1, let scratch else { return (source, positions) }
        let width = count * positions
        parallelChunks(count: count * channels, grain: Swift.max(1, 32_768 / Swift.max(positions, 1))) { rows in
            for row in rows {
                let image = row / channels
                let channel = row % channels
                (scratch + channel * width + image * positions).update(from: source + row * positions, count: positions)
            }
        }
        return (UnsafePointer(scratch), width)
    }

    private static func conv2dBiasGradient<T: TensorFloatingPoint>(_: T.Type, outputGradient: Tensor) -> Tensor {
        let outputGradient = outputGradient.denseLayout
        let (batch, channels) = (outputGradient.shape[0], outputGradient.shape[1])
        let positions = outputGradient.shape[2] * outputGradient.shape[3]
        let result = Tensor(uninitializedShape: [channels], dtype: T.dtype)
        withExtendedLifetime((outputGradient, result)) {
            let dy = outputGradient.basePointer(as: T.self)
            let db = result.basePointer(as: T.self)
            parallelChunks(count: channels, grain: Swift.max(1, 32_768 / Swift.max(batch * positions, 1))) { range in
                for channel in range {
                    // NOTE: accumulate in Double so float32 sums over large batches keep their precision.
                    var total = 0.0
                    for image in 0..<batch {
                        let plane = dy + (image * channels + channel) * positions
                        var partial = T.zero
                        for position in 0..<positions { partial += plane[position] }
                        total += partial.doubleValue
                    }
                    db[channel] = T(convertingDouble: total)
                }
            }
        }
        return result
    }
}
