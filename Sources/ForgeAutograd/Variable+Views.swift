public import ForgeTensor

extension Variable {
    /// The same elements with a new shape (one dimension may be `-1`).
    public func reshaped(_ newShape: [Int]) -> Variable {
        let shape = value.shape
        return Variable.record("reshape", value: value.reshaped(newShape), inputs: [self]) { g in [g.reshaped(shape)] }
    }

    /// The same elements with a new shape given as dimensions.
    public func reshaped(_ dimensions: Int...) -> Variable { reshaped(dimensions) }

    /// The dimensions `startAxis...endAxis` merged into one.
    public func flattened(startAxis: Int = 0, endAxis: Int = -1) -> Variable {
        let shape = value.shape
        return Variable.record("flatten", value: value.flattened(startAxis: startAxis, endAxis: endAxis), inputs: [self]) {
            g in [g.reshaped(shape)]
        }
    }

    /// The dimensions reordered.
    public func permuted(_ axes: [Int]) -> Variable {
        let resolved = axes.map { $0 < 0 ? $0 + rank : $0 }
        var inverse = [Int](repeating: 0, count: resolved.count)
        for (position, axis) in resolved.enumerated() { inverse[axis] = position }
        return Variable.record("permute", value: value.permuted(axes), inputs: [self]) { g in [g.permuted(inverse)] }
    }

    /// The dimensions reordered, given as a list.
    public func permuted(_ axes: Int...) -> Variable { permuted(axes) }

    /// Two dimensions swapped.
    public func transposed(_ first: Int, _ second: Int) -> Variable {
        Variable.record("transpose", value: value.transposed(first, second), inputs: [self]) { g in
            [g.transposed(first, second)]
        }
    }

    /// The last two dimensions swapped (the matrix transpose).
    public func transposed() -> Variable { rank < 2 ? self : transposed(-2, -1) }

    /// A new size-1 dimension at `axis`.
    public func unsqueezed(axis: Int) -> Variable {
        let shape = value.shape
        return Variable.record("unsqueeze", value: value.unsqueezed(axis: axis), inputs: [self]) { g in [g.reshaped(shape)] }
    }

    /// Without the size-1 dimension `axis` (or every size-1 dimension).
    public func squeezed(axis: Int? = nil) -> Variable {
        let shape = value.shape
        return Variable.record("squeeze", value: value.squeezed(axis: axis), inputs: [self]) { g in [g.reshaped(shape)] }
    }

    /// A broadcast view with `shape`; the gradient sums over the broadcast dimensions.
    public func expanded(to newShape: [Int]) -> Variable {
        let (shape, dtype) = (value.shape, value.dtype)
        return Variable.record("expand", value: value.expanded(to: newShape), inputs: [self]) { g in
            [g.reducedForBroadcast(to: shape, dtype: dtype)]
        }
    }

    /// `length` elements of dimension `axis` from `start`.
    public func narrowed(axis: Int, start: Int, length: Int) -> Variable {
        let (shape, dtype) = (value.shape, value.dtype)
        return Variable.record("narrow", value: value.narrowed(axis: axis, start: start, length: length), inputs: [self]) {
            g in
            let result = Tensor.zeros(shape: shape, dtype: dtype)
            Tensor.copyElements(from: g, into: result.narrowed(axis: axis, start: start, length: length))
            return [result]
        }
    }

    /// The view `indices` select (see `TensorIndex`); the gradient is scattered back into place.
    public subscript(_ indices: any TensorIndexConvertible...) -> Variable {
        let kinds = indices.map(\.tensorIndex.kind)
        let (shape, dtype) = (value.shape, value.dtype)
        return Variable.record("slice", value: value.view(kinds), inputs: [self]) { g in
            let result = Tensor.zeros(shape: shape, dtype: dtype)
            Tensor.copyElements(from: g, into: result.view(kinds))
            return [result]
        }
    }

    /// Views of consecutive pieces along `axis` with the given sizes.
    public func split(sizes: [Int], axis: Int = 0) -> [Variable] {
        let resolved = axis < 0 ? axis + rank : axis
        var start = 0
        return sizes.map { size in
            defer { start += size }
            return narrowed(axis: resolved, start: start, length: size)
        }
    }

    /// At most `count` pieces of nearly equal size along `axis`.
    public func chunked(_ count: Int, axis: Int = 0) -> [Variable] {
        let sizes = value.chunked(count, axis: axis).map { $0.shape[axis < 0 ? axis + rank : axis] }
        return split(sizes: sizes, axis: axis)
    }

    /// The variables joined along an existing axis.
    public static func concatenated(_ variables: [Variable], axis: Int = 0) -> Variable {
        let values = variables.map(\.value)
        let result = Tensor.concatenated(values, axis: axis)
        let resolved = axis < 0 ? axis + result.rank : axis
        let sizes = values.map { $0.shape[resolved] }
        return record("concatenate", value: result, inputs: variables) { g in
            zip(g.split(sizes: sizes, axis: resolved), values).map { $0.converted(to: $1.dtype) }
        }
    }

    /// The variables, all of one shape, joined along a new axis.
    public static func stacked(_ variables: [Variable], axis: Int = 0) -> Variable {
        precondition(!variables.isEmpty, "stacked: needs at least one variable")
        let resolved = axis < 0 ? axis + variables[0].rank + 1 : axis
        return concatenated(variables.map { $0.unsqueezed(axis: resolved) }, axis: resolved)
    }
}
