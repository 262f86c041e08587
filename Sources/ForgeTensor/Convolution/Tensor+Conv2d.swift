extension Tensor {
    /// The 2-D convolution (cross-correlation, as in PyTorch) of a batch of NCHW images with a bank of
    /// filters.
    ///
    /// `output[n, o, i, j] = bias[o] + Σ_{c, a, b} weight[o, c, a, b] ·
    /// input[n, g·C/groups + c, i·sh − ph + a·dh, j·sw − pw + b·dw]`, where `g = o / (O/groups)` is the
    /// group of output channel `o` and positions in the padding read zero. Computed with im2col and one
    /// BLAS GEMM per group for a batch of images.
    ///
    /// ```swift
    /// let images = Tensor.zeros(shape: [64, 1, 28, 28])
    /// let filters = Tensor.ones(shape: [8, 1, 3, 3])
    /// let features = Tensor.conv2d(input: images, weight: filters, bias: nil,
    ///                              parameters: .uniform(padding: 1))  // [64, 8, 28, 28]
    /// ```
    ///
    /// - Parameters:
    ///   - input: `[N, C, H, W]`, `float32` or `float64`; any layout (views are copied first).
    ///   - weight: `[O, C / groups, kH, kW]`, same dtype; `O` must be divisible by `groups`.
    ///   - bias: `[O]`, same dtype, or `nil` for none.
    ///   - parameters: stride, padding, dilation and groups.
    /// - Returns: a contiguous `[N, O, Ho, Wo]` tensor of the input's dtype, with the spatial size given by
    ///   ``Conv2dParameters/outputSize(input:kernel:)``.
    public static func conv2d(
        input: Tensor, weight: Tensor, bias: Tensor?, parameters: Conv2dParameters = Conv2dParameters()
    ) -> Tensor {
        let operation = "conv2d"
        var operands = [(name: "input", tensor: input), (name: "weight", tensor: weight)]
        if let bias { operands.append((name: "bias", tensor: bias)) }
        checkConvolutionDTypes(operands, operation: operation)
        let geometry = Conv2dGeometry(
            inputShape: input.shape, weightShape: weight.shape, parameters: parameters, operation: operation)
        if let bias {
            precondition(
                bias.shape == [geometry.outputChannels],
                "conv2d: bias \(bias.shape) must have shape [\(geometry.outputChannels)] "
                    + "to match weight \(weight.shape)")
        }
        switch input.dtype {
        case .float32:
            return conv2dForward(Float.self, input: input, weight: weight, bias: bias, geometry: geometry)
        default:
            return conv2dForward(Double.self, input: input, weight: weight, bias: bias, geometry: geometry)
        }
    }

    /// The forward kernel: im2col over a chunk of images, one GEMM per group, then the bias.
    private static func conv2dForward<T: TensorFloatingPoint>(
        _: T.Type, input: Tensor, weight: Tensor, bias: Tensor?, geometry g: Conv2dGeometry
    ) -> Tensor {
        let input = input.denseLayout
        let weight = weight.denseLayout
        let bias = bias?.denseLayout
        if g.isEmpty {
            var output = Tensor(zeroedShape: g.outputShape, dtype: T.dtype)
            if let bias { output.assign(bias.reshaped([1, g.outputChannels, 1, 1])) }
            return output
        }
        let output = Tensor(uninitializedShape: g.outputShape, dtype: T.dtype)
        let images = g.imagesPerChunk
        // A pointwise convolution of one image at a time needs no im2col: the image is the matrix.
        let direct = images == 1 && g.isPointwise
        let positions = g.outputPlane
        let (groupInputRows, groupOutputChannels) = (g.rowsPerGroup, g.outputChannelsPerGroup)
        let columns = direct ? nil : UnsafeMutablePointer<T>.allocate(capacity: g.columnRows * images * positions)
        let product =
            images > 1 ? UnsafeMutablePointer<T>.allocate(capacity: g.outputChannels * images * positions) : nil
        defer {
            columns?.deallocate()
            product?.deallocate()
        }
        withExtendedLifetime((input, weight, bias, output)) {
            let x = UnsafePointer(input.basePointer(as: T.self))
            let w = UnsafePointer(weight.basePointer(as: T.self))
            let b = bias.map { UnsafePointer($0.basePointer(as: T.self)) }
            let y = output.basePointer(as: T.self)
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
                let chunkOutput = y + first * g.outputChannels * positions
                if count == 1 {
                    // One image: multiply straight into the output, which starts as the broadcast bias.
                    if let b {
                        for channel in 0..<g.outputChannels {
                            (chunkOutput + channel * positions).update(repeating: b[channel], count: positions)
                        }
                    }
                    for group in 0..<g.groups {
                        BLASGEMM.multiply(
                            transposeA: false, transposeB: false,
                            m: groupOutputChannels, n: positions, k: groupInputRows,
                            a: w + group * groupOutputChannels * groupInputRows, lda: groupInputRows,
                            b: matrix + group * groupInputRows * positions, ldb: positions,
                            beta: b == nil ? T.zero : T.one,
                            c: chunkOutput + group * groupOutputChannels * positions, ldc: positions)
                    }
                } else if let product {
                    // Several images: the product is [O, images·Ho·Wo]; scatter it to [images, O, Ho·Wo].
                    for group in 0..<g.groups {
                        BLASGEMM.multiply(
                            transposeA: false, transposeB: false,
                            m: groupOutputChannels, n: width, k: groupInputRows,
                            a: w + group * groupOutputChannels * groupInputRows, lda: groupInputRows,
                            b: matrix + group * groupInputRows * width, ldb: width,
                            beta: T.zero, c: product + group * groupOutputChannels * width, ldc: width)
                    }
                    scatterChannelMajor(
                        product, images: count, channels: g.outputChannels, positions: positions, bias: b,
                        into: chunkOutput)
                }
            }
        }
        return output
    }

    /// Copies a channel-major `[channels, images·positions]` matrix into image-major
    /// `[images, channels, positions]` order, adding `bias[channel]` when given.
    private static func scatterChannelMajor<T: TensorFloatingPoint>(
        _ source: UnsafePointer<T>, images: Int, channels: Int, positions: Int, bias: UnsafePointer<T>?,
        into destination: UnsafeMutablePointer<T>
    ) {
        let width = images * positions
        parallelChunks(count: images * channels, grain: Swift.max(1, 32_768 / Swift.max(positions, 1))) { rows in
            for row in rows {
                let image = row / channels
                let channel = row % channels
                let from = source + channel * width + image * positions
                let to = destination + row * positions
                if let bias {
                    let value = bias[channel]
                    for position in 0..<positions { to[position] = from[position] + value }
                } else {
                    to.update(from: from, count: positions)
                }
            }
        }
    }
}
