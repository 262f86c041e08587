public import ForgeTensor

extension Variable {
    /// The matrix product with NumPy's `matmul` rules (dot, matrix-vector, batched with broadcasting).
    public func matmul(_ other: Variable, fileID: String = #fileID, line: Int = #line) -> Variable {
        let (a, b) = (value, other.value)
        let (needsA, needsB) = (requiresGradient, other.requiresGradient)
        return Variable.record(
            "matmul", value: a.matmul(b), inputs: [self, other], location: SourceLocation(fileID: fileID, line: line)
        ) { g in
            // Work with matrices: a vector operand is a row (left) or column (right) of a matrix.
            let a2 = a.rank == 1 ? a.unsqueezed(axis: 0) : a
            let b2 = b.rank == 1 ? b.unsqueezed(axis: -1) : b
            var g2 = g
            if a.rank == 1 { g2 = g2.unsqueezed(axis: g2.rank - (b.rank == 1 ? 0 : 1)) }
            if b.rank == 1 { g2 = g2.unsqueezed(axis: g2.rank) }
            let gradientA =
                needsA
                ? g2.matmul(b2.transposed()).reducedForBroadcast(to: a2.shape, dtype: a.dtype).reshaped(a.shape) : nil
            let gradientB =
                needsB
                ? a2.transposed().matmul(g2).reducedForBroadcast(to: b2.shape, dtype: b.dtype).reshaped(b.shape) : nil
            return [gradientA, gradientB]
        }
    }

    /// `input · weightᵀ + bias`, the affine map of a fully connected layer, in one recorded operation.
    ///
    /// - Parameters:
    ///   - input: `[..., inputFeatures]`.
    ///   - weight: `[outputFeatures, inputFeatures]` (PyTorch's layout).
    ///   - bias: `[outputFeatures]`, or nil.
    public static func linear(
        _ input: Variable, weight: Variable, bias: Variable?, fileID: String = #fileID, line: Int = #line
    ) -> Variable {
        let (x, w) = (input.value, weight.value)
        precondition(
            x.rank >= 1 && w.rank == 2 && x.shape[x.rank - 1] == w.shape[1],
            "linear: input \(x.shape) and weight \(w.shape): the last input dimension must equal weight columns \(w.rank == 2 ? w.shape[1] : -1)")
        var result = x.matmul(w.transposed())
        if let bias { result += bias.value }
        let inputs = bias.map { [input, weight, $0] } ?? [input, weight]
        let (needsInput, needsWeight, hasBias) = (input.requiresGradient, weight.requiresGradient, bias != nil)
        return record("linear", value: result, inputs: inputs, location: SourceLocation(fileID: fileID, line: line)) { g in
            let rows = g.reshaped(-1, w.shape[0])
            let flatInput = x.reshaped(-1, w.shape[1])
            var gradients: [Tensor?] = [
                needsInput ? g.matmul(w) : nil,
                needsWeight ? rows.transposed().matmul(flatInput) : nil,
            ]
            if hasBias { gradients.append(rows.sum(axis: 0)) }
            return gradients
        }
    }
}
