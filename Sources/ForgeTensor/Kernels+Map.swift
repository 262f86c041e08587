// Generic element-wise kernels. Each takes the operation as a closure and is marked
// @inline(__always) so that, at every call site, the closure is inlined into the inner loop and the
// loop is specialized and vectorized for the concrete element types.

extension Tensor {
    /// A new contiguous tensor with `transform` applied to every element.
    @inline(__always)
    func mapElements<A: TensorElement, R: TensorElement>(
        _: A.Type, to _: R.Type, _ transform: (A) -> R
    ) -> Tensor {
        checkDType(A.self, operation: "map")
        let result = Tensor(uninitializedShape: shape, dtype: R.dtype)
        let loop = StridedLoop(shape: shape, operandStrides: [result.strides, strides])
        let output = result.basePointer(as: R.self)
        let input = basePointer(as: A.self)
        let inner = loop.innerStrides
        withExtendedLifetime((self, result)) {
            loop.run { offsets, length in
                let o = output + offsets[0]
                let x = input + offsets[1]
                if inner[1] == 1 {
                    for i in 0..<length { o[i] = transform(x[i]) }
                } else {
                    let step = inner[1]
                    for i in 0..<length { o[i] = transform(x[i * step]) }
                }
            }
        }
        return result
    }

    /// Applies `transform` to every element in place (copying shared storage first).
    @inline(__always)
    mutating func updateElements<A: TensorElement>(_: A.Type, _ transform: (A) -> A) {
        checkDType(A.self, operation: "update")
        makeUnique()
        let loop = StridedLoop(shape: shape, operandStrides: [strides])
        let base = basePointer(as: A.self)
        let inner = loop.innerStrides
        withExtendedLifetime(storage) {
            loop.run { offsets, length in
                let x = base + offsets[0]
                if inner[0] == 1 {
                    for i in 0..<length { x[i] = transform(x[i]) }
                } else {
                    let step = inner[0]
                    for i in 0..<length { x[i * step] = transform(x[i * step]) }
                }
            }
        }
    }

    /// A new tensor of the broadcast shape with `combine` applied to element pairs.
    @inline(__always)
    static func zipElements<A: TensorElement, B: TensorElement, R: TensorElement>(
        _ a: Tensor, _ b: Tensor, _: A.Type, _: B.Type, to _: R.Type, operation: String,
        _ combine: (A, B) -> R
    ) -> Tensor {
        a.checkDType(A.self, operation: operation)
        b.checkDType(B.self, operation: operation)
        let shape = Shape.broadcastOrTrap(a.shape, b.shape, operation: operation)
        let result = Tensor(uninitializedShape: shape, dtype: R.dtype)
        let loop = StridedLoop(
            shape: shape,
            operandStrides: [
                result.strides,
                Shape.broadcastStrides(shape: a.shape, strides: a.strides, to: shape),
                Shape.broadcastStrides(shape: b.shape, strides: b.strides, to: shape),
            ])
        let output = result.basePointer(as: R.self)
        let left = a.basePointer(as: A.self)
        let right = b.basePointer(as: B.self)
        let inner = loop.innerStrides
        withExtendedLifetime((a, b, result)) {
            loop.run { offsets, length in
                let o = output + offsets[0]
                let x = left + offsets[1]
                let y = right + offsets[2]
                // Fast paths for the common layouts keep the inner loop free of stride multiplies.
                if inner[1] == 1 && inner[2] == 1 {
                    for i in 0..<length { o[i] = combine(x[i], y[i]) }
                } else if inner[1] == 1 && inner[2] == 0 {
                    let value = y[0]
                    for i in 0..<length { o[i] = combine(x[i], value) }
                } else if inner[1] == 0 && inner[2] == 1 {
                    let value = x[0]
                    for i in 0..<length { o[i] = combine(value, y[i]) }
                } else {
                    let sx = inner[1]
                    let sy = inner[2]
                    for i in 0..<length { o[i] = combine(x[i * sx], y[i * sy]) }
                }
            }
        }
        return result
    }

    /// Combines every element of `self` with the broadcast `other` in place: `self[i] = combine(self[i], other[i])`.
    /// `other` must broadcast to `self`'s shape.
    @inline(__always)
    mutating func updateElements<A: TensorElement, B: TensorElement>(
        with other: Tensor, _: A.Type, _: B.Type, operation: String, _ combine: (A, B) -> A
    ) {
        checkDType(A.self, operation: operation)
        other.checkDType(B.self, operation: operation)
        let broadcastShape = Shape.broadcastOrTrap(shape, other.shape, operation: operation)
        precondition(
            broadcastShape == shape,
            "\(operation): shape \(other.shape) cannot be broadcast into the in-place target of shape \(shape)")
        makeUnique()
        let loop = StridedLoop(
            shape: shape,
            operandStrides: [
                strides, Shape.broadcastStrides(shape: other.shape, strides: other.strides, to: shape),
            ])
        let target = basePointer(as: A.self)
        let source = other.basePointer(as: B.self)
        let inner = loop.innerStrides
        withExtendedLifetime((storage, other)) {
            loop.run { offsets, length in
                let x = target + offsets[0]
                let y = source + offsets[1]
                if inner[0] == 1 && inner[1] == 1 {
                    for i in 0..<length { x[i] = combine(x[i], y[i]) }
                } else if inner[0] == 1 && inner[1] == 0 {
                    let value = y[0]
                    for i in 0..<length { x[i] = combine(x[i], value) }
                } else {
                    let sx = inner[0]
                    let sy = inner[1]
                    for i in 0..<length { x[i * sx] = combine(x[i * sx], y[i * sy]) }
                }
            }
        }
    }

    /// A new tensor of the broadcast shape of three operands with `combine` applied to element triples.
    @inline(__always)
    static func zipElements<A: TensorElement, B: TensorElement, C: TensorElement, R: TensorElement>(
        _ a: Tensor, _ b: Tensor, _ c: Tensor, _: A.Type, _: B.Type, _: C.Type, to _: R.Type, operation: String,
        _ combine: (A, B, C) -> R
    ) -> Tensor {
        a.checkDType(A.self, operation: operation)
        b.checkDType(B.self, operation: operation)
        c.checkDType(C.self, operation: operation)
        let partial = Shape.broadcastOrTrap(a.shape, b.shape, operation: operation)
        let shape = Shape.broadcastOrTrap(partial, c.shape, operation: operation)
        let result = Tensor(uninitializedShape: shape, dtype: R.dtype)
        let loop = StridedLoop(
            shape: shape,
            operandStrides: [
                result.strides,
                Shape.broadcastStrides(shape: a.shape, strides: a.strides, to: shape),
                Shape.broadcastStrides(shape: b.shape, strides: b.strides, to: shape),
                Shape.broadcastStrides(shape: c.shape, strides: c.strides, to: shape),
            ])
        let output = result.basePointer(as: R.self)
        let first = a.basePointer(as: A.self)
        let second = b.basePointer(as: B.self)
        let third = c.basePointer(as: C.self)
        let inner = loop.innerStrides
        withExtendedLifetime((a, b, c, result)) {
            loop.run { offsets, length in
                let o = output + offsets[0]
                let x = first + offsets[1]
                let y = second + offsets[2]
                let z = third + offsets[3]
                if inner[1] == 1 && inner[2] == 1 && inner[3] == 1 {
                    for i in 0..<length { o[i] = combine(x[i], y[i], z[i]) }
                } else {
                    let sx = inner[1]
                    let sy = inner[2]
                    let sz = inner[3]
                    for i in 0..<length { o[i] = combine(x[i * sx], y[i * sy], z[i * sz]) }
                }
            }
        }
        return result
    }
}
