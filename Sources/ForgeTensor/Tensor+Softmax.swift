extension Tensor {
    /// The softmax along `axis`: `exp(x - max) / sum(exp(x - max))`, stable for large inputs.
    public func softmax(axis: Int = -1) -> Tensor {
        let resolved = Shape.normalizeAxis(axis, rank: rank, operation: "softmax")
        if resolved == rank - 1, let fast = lastAxisSoftmax(logarithmic: false) { return fast }
        let source = dtype.isFloatingPoint ? self : converted(to: .float32)
        let shifted = (source - source.max(axis: resolved, keepingDimensions: true)).exp()
        return shifted / shifted.sum(axis: resolved, keepingDimensions: true)
    }

    /// The logarithm of the softmax along `axis`: `x - max - log(sum(exp(x - max)))`.
    public func logSoftmax(axis: Int = -1) -> Tensor {
        let resolved = Shape.normalizeAxis(axis, rank: rank, operation: "logSoftmax")
        if resolved == rank - 1, let fast = lastAxisSoftmax(logarithmic: true) { return fast }
        let source = dtype.isFloatingPoint ? self : converted(to: .float32)
        return source - source.logSumExp(axes: [resolved], keepingDimensions: true)
    }

    /// Row-wise (log-)softmax over the last axis of a floating-point tensor, one pass per row in parallel;
    /// nil for other dtypes or empty rows.
    private func lastAxisSoftmax(logarithmic: Bool) -> Tensor? {
        guard dtype.isFloatingPoint, rank > 0, shape[rank - 1] > 0 else { return nil }
        let source = contiguous()
        let width = shape[rank - 1]
        let rows = count / width
        let result = Tensor(uninitializedShape: shape, dtype: dtype)
        func rowwise<T: TensorFloatingPoint>(_: T.Type) {
            let input = source.basePointer(as: T.self)
            let output = result.basePointer(as: T.self)
            withExtendedLifetime((source, result)) {
                parallelChunks(count: rows, grain: Swift.max(1, 16_384 / width)) { range in
                    for row in range {
                        let x = input + row * width
                        let y = output + row * width
                        var peak = -T.infinity
                        for i in 0..<width where x[i] > peak || x[i].isNaN { peak = x[i] }
                        // NOTE: a row of all -inf would give (-inf) - (-inf) = NaN; shift by 0 instead.
                        if !peak.isFinite && !peak.isNaN { peak = 0 }
                        var total: T = 0
                        if logarithmic {
                            for i in 0..<width { total += T.exp(x[i] - peak) }
                            let shift = peak + T.log(total)
                            for i in 0..<width { y[i] = x[i] - shift }
                        } else {
                            for i in 0..<width {
                                let e = T.exp(x[i] - peak)
                                y[i] = e
                                total += e
                            }
                            let scale = 1 / total
                            for i in 0..<width { y[i] *= scale }
                        }
                    }
                }
            }
        }
        if dtype == .float64 { rowwise(Double.self) } else { rowwise(Float.self) }
        return result
    }
}
