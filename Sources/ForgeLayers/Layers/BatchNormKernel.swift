import ForgeTensor

/// The fused loops of batch normalization over a contiguous `[N, C, S]` view of the input (`S` is the
/// product of the spatial axes, 1 for `[N, C]`).
///
/// Both modes are `y = x · scale[c] + shift[c]`; they differ in where `mean[c]` and `invStd[c]` come
/// from (the batch or the running statistics). Per-channel sums accumulate in `Double`; the
/// element-wise passes run in the input's precision. Every loop walks memory in order: `n`, then `c`,
/// then the `S` contiguous elements of that plane.
enum BatchNormKernel {
    /// The `[N, C, S]` view of a `[N, C, …]` shape.
    struct Layout {
        let batch: Int
        let channels: Int
        let spatial: Int
        /// The number of elements each channel's statistics cover (`N · S`).
        var reduced: Int { batch * spatial }

        init(_ shape: [Int]) {
            batch = shape[0]
            channels = shape[1]
            spatial = shape.dropFirst(2).reduce(1, *)
        }
    }

    /// The per-channel mean and biased variance (two passes, for accuracy).
    static func statistics<T: TensorFloatingPoint>(
        _ x: UnsafeBufferPointer<T>, _ layout: Layout
    ) -> (mean: [Double], variance: [Double]) {
        let (channels, spatial) = (layout.channels, layout.spatial)
        var mean = [Double](repeating: 0, count: channels)
        var variance = [Double](repeating: 0, count: channels)
        for n in 0..<layout.batch {
            for c in 0..<channels {
                let plane = x.baseAddress! + (n * channels + c) * spatial
                var sum = 0.0
                for s in 0..<spatial { sum += Double(plane[s]) }
                mean[c] += sum
            }
        }
        let count = Double(layout.reduced)
        for c in 0..<channels { mean[c] /= count }
        for n in 0..<layout.batch {
            for c in 0..<channels {
                let plane = x.baseAddress! + (n * channels + c) * spatial
                let center = T(mean[c])
                var sum = 0.0
                for s in 0..<spatial {
                    let d = plane[s] - center
                    sum += Double(d * d)
                }
                variance[c] += sum
            }
        }
        for c in 0..<channels { variance[c] /= count }
        return (mean, variance)
    }

    /// `y = x · scale[c] + shift[c]`, a new contiguous tensor.
    static func affine<T: TensorFloatingPoint>(
        _ x: Tensor, as _: T.Type, scale: [Double], shift: [Double], _ layout: Layout
    ) -> Tensor {
        var output = Tensor.zeros(shape: x.shape, dtype: T.dtype)
        let (channels, spatial) = (layout.channels, layout.spatial)
        x.withUnsafeBufferPointer(as: T.self) { input in
            output.withUnsafeMutableBufferPointer(as: T.self) { result in
                for n in 0..<layout.batch {
                    for c in 0..<channels {
                        let start = (n * channels + c) * spatial
                        let (source, destination) = (input.baseAddress! + start, result.baseAddress! + start)
                        let (a, b) = (T(scale[c]), T(shift[c]))
                        for s in 0..<spatial { destination[s] = source[s] * a + b }
                    }
                }
            }
        }
        return output
    }

    /// The gradients of `y = (x − mean) · invStd · γ + β` given `g = ∂L/∂y`.
    ///
    /// `∂L/∂γ[c] = Σ g·(x − mean)·invStd` and `∂L/∂β[c] = Σ g`. With batch statistics (`throughStatistics`)
    /// the mean and variance depend on `x` too, and
    /// `∂L/∂x = scale · (g − Σg / M) − scale · invStd² · (x − mean) · Σ g·(x − mean) / M`;
    /// with running statistics `∂L/∂x = scale · g`. `scale = γ · invStd`.
    static func backward<T: TensorFloatingPoint>(
        _ gradient: Tensor, input x: Tensor, as _: T.Type, mean: [Double], invStd: [Double], scale: [Double],
        throughStatistics: Bool, needsInput: Bool, _ layout: Layout
    ) -> (input: Tensor?, weight: [Double], bias: [Double]) {
        let (channels, spatial) = (layout.channels, layout.spatial)
        var sumGradient = [Double](repeating: 0, count: channels)
        var sumGradientCentered = [Double](repeating: 0, count: channels)
        gradient.withUnsafeBufferPointer(as: T.self) { g in
            x.withUnsafeBufferPointer(as: T.self) { input in
                for n in 0..<layout.batch {
                    for c in 0..<channels {
                        let start = (n * channels + c) * spatial
                        let (gp, xp) = (g.baseAddress! + start, input.baseAddress! + start)
                        let center = T(mean[c])
                        var (sg, sgx) = (0.0, 0.0)
                        for s in 0..<spatial {
                            sg += Double(gp[s])
                            sgx += Double(gp[s] * (xp[s] - center))
                        }
                        sumGradient[c] += sg
                        sumGradientCentered[c] += sgx
                    }
                }
            }
        }
        let weightGradient = (0..<channels).map { sumGradientCentered[$0] * invStd[$0] }
        guard needsInput else { return (nil, weightGradient, sumGradient) }
        // dx = a·g + b·x + k per channel.
        let count = Double(layout.reduced)
        var a = scale
        var b = [Double](repeating: 0, count: channels)
        var k = [Double](repeating: 0, count: channels)
        if throughStatistics {
            for c in 0..<channels {
                let slope = scale[c] * invStd[c] * invStd[c] * sumGradientCentered[c] / count
                b[c] = -slope
                k[c] = slope * mean[c] - scale[c] * sumGradient[c] / count
            }
        } else {
            a = scale
        }
        var inputGradient = Tensor.zeros(shape: x.shape, dtype: T.dtype)
        gradient.withUnsafeBufferPointer(as: T.self) { g in
            x.withUnsafeBufferPointer(as: T.self) { input in
                inputGradient.withUnsafeMutableBufferPointer(as: T.self) { result in
                    for n in 0..<layout.batch {
                        for c in 0..<channels {
                            let start = (n * channels + c) * spatial
                            let (gp, xp, rp) = (
                                g.baseAddress! + start, input.baseAddress! + start, result.baseAddress! + start
                            )
                            let (ac, bc, kc) = (T(a[c]), T(b[c]), T(k[c]))
                            for s in 0..<spatial { rp[s] = ac * gp[s] + bc * xp[s] + kc }
                        }
                    }
                }
            }
        }
        return (inputGradient, weightGradient, sumGradient)
    }
}
