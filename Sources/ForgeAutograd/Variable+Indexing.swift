public import ForgeTensor

extension Variable {
    /// Elements picked along `axis` by the integer tensor `index` (see `Tensor.gather(axis:index:)`).
    public func gather(axis: Int, index: Tensor, fileID: String = #fileID, line: Int = #line) -> Variable {
        let (shape, dtype) = (value.shape, value.dtype)
        return Variable.record(
            "gather", value: value.gather(axis: axis, index: index), inputs: [self],
            location: SourceLocation(fileID: fileID, line: line)
        ) { g in
            [Tensor.zeros(shape: shape, dtype: dtype).scatterAdd(axis: axis, index: index, source: g)]
        }
    }

    /// The slices along `axis` at the positions in the 1-D integer tensor `indices` (rows of an embedding
    /// table, for example); repeated positions accumulate their gradients.
    public func indexSelect(axis: Int, indices: Tensor, fileID: String = #fileID, line: Int = #line) -> Variable {
        let (shape, dtype) = (value.shape, value.dtype)
        let resolved = axis < 0 ? axis + rank : axis
        return Variable.record(
            "indexSelect", value: value.indexSelect(axis: resolved, indices: indices), inputs: [self],
            location: SourceLocation(fileID: fileID, line: line)
        ) { g in
            var indexShape = [Int](repeating: 1, count: shape.count)
            indexShape[resolved] = indices.count
            let index = indices.reshaped(indexShape).expanded(to: g.shape)
            return [Tensor.zeros(shape: shape, dtype: dtype).scatterAdd(axis: resolved, index: index, source: g)]
        }
    }

    /// Elements of `whenTrue` where the constant `condition` holds and of `whenFalse` elsewhere.
    public static func `where`(_ condition: Tensor, _ whenTrue: Variable, _ whenFalse: Variable) -> Variable {
        let (a, b) = (whenTrue.value, whenFalse.value)
        return record("where", value: Tensor.where(condition, a, b), inputs: [whenTrue, whenFalse]) { g in
            let zero = Tensor.zeros(shape: [], dtype: g.dtype)
            return [
                Tensor.where(condition, g, zero).reducedForBroadcast(to: a.shape, dtype: a.dtype),
                Tensor.where(condition, zero, g).reducedForBroadcast(to: b.shape, dtype: b.dtype),
            ]
        }
    }

    /// The variable with `value` wherever the constant `mask` is true (no gradient flows through those).
    public func maskedFill(_ mask: Tensor, with fill: Double, fileID: String = #fileID, line: Int = #line) -> Variable {
        Variable.record(
            "maskedFill", value: value.maskedFill(mask, with: fill), inputs: [self],
            location: SourceLocation(fileID: fileID, line: line)
        ) { g in
            [g.maskedFill(mask, with: 0)]
        }
    }
}
