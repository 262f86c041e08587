import ForgeTensor

/// Per-feature loops shared by the scaling transforms. Features are axis 1 of a batch (`[N, F]`
/// tables, `[N, C, H, W]` images, `[N, C, T]` sequences); a rank-1 tensor is one feature.
enum ChannelKernels {
    /// (batch, channels, inner) for a tensor whose channel axis is 1.
    static func layout(_ shape: [Int]) -> (outer: Int, channels: Int, inner: Int) {
        switch shape.count {
        case 0: return (1, 1, 1)
        case 1: return (shape[0], 1, 1)
        default: return (shape[0], shape[1], shape.dropFirst(2).reduce(1, *))
        }
    }

    /// The values of each channel, NaN skipped, as doubles (for fitting statistics).
    static func channelValues(_ tensor: Tensor) -> [[Double]] {
        let (outer, channels, inner) = layout(tensor.shape)
        let values = tensor.doubleScalars
        var result = Array(repeating: [Double](), count: channels)
        for channel in 0..<channels { result[channel].reserveCapacity(outer * inner) }
        for n in 0..<outer {
            for channel in 0..<channels {
                let base = (n * channels + channel) * inner
                for i in 0..<inner where !values[base + i].isNaN { result[channel].append(values[base + i]) }
            }
        }
        return result
    }

    /// `x × scale[c] + shift[c]` for every element of channel `c`; float64 stays float64, every
    /// other dtype becomes float32.
    static func affine(_ input: Tensor, scale: [Double], shift: [Double], operation: String) -> Tensor {
        let (outer, channels, inner) = layout(input.shape)
        precondition(
            channels == scale.count,
            "\(operation): input \(input.shape) has \(channels) features on axis 1, fitted for \(scale.count)")
        if input.dtype == .float64 {
            return run(Double.self, input, scale, shift, outer, channels, inner)
        }
        return run(
            Float.self, input.dtype == .float32 ? input : input.converted(to: .float32), scale, shift, outer, channels,
            inner)
    }

    private static func run<T: TensorFloatingPoint>(
        _: T.Type, _ input: Tensor, _ scale: [Double], _ shift: [Double], _ outer: Int, _ channels: Int, _ inner: Int
    ) -> Tensor {
        var output = input.contiguous()
        let scales = scale.map { T(convertingDouble: $0) }
        let shifts = shift.map { T(convertingDouble: $0) }
        output.withUnsafeMutableBufferPointer(as: T.self) { values in
            scales.withUnsafeBufferPointer { scales in
                shifts.withUnsafeBufferPointer { shifts in
                    var index = 0
                    for _ in 0..<outer {
                        for channel in 0..<channels {
                            let a = scales[channel]
                            let b = shifts[channel]
                            for _ in 0..<inner {
                                values[index] = values[index] * a + b
                                index += 1
                            }
                        }
                    }
                }
            }
        }
        return output
    }
}
