// The element-wise kernels with the operation as a type parameter (see ElementOperations.swift).
// Same loops as Kernels+Map.swift; kept apart because the closure forms serve the many operations
// whose cost is dominated by a math-library call, where an indirect call per element does not matter.

extension Tensor {
    /// A new contiguous tensor with `Operation` applied to every element.
    static func mapElements<Operation: UnaryElementOperation>(_ a: Tensor, _: Operation.Type, operation: String) -> Tensor {
        a.checkDType(Operation.Input.self, operation: operation)
        let result = Tensor(uninitializedShape: a.shape, dtype: Operation.Output.dtype)
        let loop = StridedLoop(shape: a.shape, operandStrides: [result.strides, a.strides])
        let output = result.basePointer(as: Operation.Output.self)
        let input = a.basePointer(as: Operation.Input.self)
        let inner = loop.innerStrides
        withExtendedLifetime((a, result)) {
            loop.run { offsets, length in
                let o = output + offsets[0]
                let x = input + offsets[1]
                if inner[1] == 1 {
                    for i in 0..<length { o[i] = Operation.apply(x[i]) }
                } else {
                    let step = inner[1]
                    for i in 0..<length { o[i] = Operation.apply(x[i * step]) }
                }
            }
        }
        return result
    }

    /// A new tensor of the broadcast shape with `Operation` applied to element pairs.
    static func zipElements<Operation: BinaryElementOperation>(
        _ a: Tensor, _ b: Tensor, _: Operation.Type, operation: String
    ) -> Tensor {
        a.checkDType(Operation.Left.self, operation: operation)
        b.checkDType(Operation.Right.self, operation: operation)
        let shape = Shape.broadcastOrTrap(a.shape, b.shape, operation: operation)
        let result = Tensor(uninitializedShape: shape, dtype: Operation.Output.dtype)
        let loop = StridedLoop(
            shape: shape,
            operandStrides: [
                result.strides,
                Shape.broadcastStrides(shape: a.shape, strides: a.strides, to: shape),
                Shape.broadcastStrides(shape: b.shape, strides: b.strides, to: shape),
            ])
        let output = result.basePointer(as: Operation.Output.self)
        let left = a.basePointer(as: Operation.Left.self)
        let right = b.basePointer(as: Operation.Right.self)
        let inner = loop.innerStrides
        withExtendedLifetime((a, b, result)) {
            loop.run { offsets, length in
                let o = output + offsets[0]
                let x = left + offsets[1]
                let y = right + offsets[2]
                if inner[1] == 1 && inner[2] == 1 {
                    for i in 0..<length { o[i] = Operation.apply(x[i], y[i]) }
                } else if inner[1] == 1 && inner[2] == 0 {
                    let value = y[0]
                    for i in 0..<length { o[i] = Operation.apply(x[i], value) }
                } else if inner[1] == 0 && inner[2] == 1 {
                    let value = x[0]
                    for i in 0..<length { o[i] = Operation.apply(value, y[i]) }
                } else {
                    let (sx, sy) = (inner[1], inner[2])
                    for i in 0..<length { o[i] = Operation.apply(x[i * sx], y[i * sy]) }
                }
            }
        }
        return result
    }

    /// `self[i] = Operation.apply(self[i], other[i])` in place, `other` broadcast to this shape.
    mutating func updateElements<Operation: BinaryElementOperation>(
        with other: Tensor, _: Operation.Type, operation: String
    ) where Operation.Left == Operation.Output {
        checkDType(Operation.Left.self, operation: operation)
        other.checkDType(Operation.Right.self, operation: operation)
        precondition(
            Shape.broadcast(shape, other.shape) == shape,
            "\(operation): shape \(other.shape) cannot be broadcast into the in-place target of shape \(shape)")
        makeUnique()
        let loop = StridedLoop(
            shape: shape,
            operandStrides: [strides, Shape.broadcastStrides(shape: other.shape, strides: other.strides, to: shape)])
        let target = basePointer(as: Operation.Left.self)
        let source = other.basePointer(as: Operation.Right.self)
        let inner = loop.innerStrides
        withExtendedLifetime((storage, other)) {
            loop.run { offsets, length in
                let x = target + offsets[0]
                let y = source + offsets[1]
                if inner[0] == 1 && inner[1] == 1 {
                    for i in 0..<length { x[i] = Operation.apply(x[i], y[i]) }
                } else if inner[0] == 1 && inner[1] == 0 {
                    let value = y[0]
                    for i in 0..<length { x[i] = Operation.apply(x[i], value) }
                } else {
                    let (sx, sy) = (inner[0], inner[1])
                    for i in 0..<length { x[i * sx] = Operation.apply(x[i * sx], y[i * sy]) }
                }
            }
        }
    }

    /// A new tensor of the broadcast shape of three operands with `Operation` applied to triples.
    static func zipElements<Operation: TernaryElementOperation>(
        _ a: Tensor, _ b: Tensor, _ c: Tensor, _: Operation.Type, operation: String
    ) -> Tensor {
        typealias T = Operation.Element
        for operand in [a, b, c] { operand.checkDType(T.self, operation: operation) }
        let shape = Shape.broadcastOrTrap(
            Shape.broadcastOrTrap(a.shape, b.shape, operation: operation), c.shape, operation: operation)
        let result = Tensor(uninitializedShape: shape, dtype: T.dtype)
        let loop = StridedLoop(
            shape: shape,
            operandStrides: [result.strides]
                + [a, b, c].map { Shape.broadcastStrides(shape: $0.shape, strides: $0.strides, to: shape) })
        let output = result.basePointer(as: T.self)
        let (first, second, third) = (a.basePointer(as: T.self), b.basePointer(as: T.self), c.basePointer(as: T.self))
        let inner = loop.innerStrides
        withExtendedLifetime((a, b, c, result)) {
            loop.run { offsets, length in
                let o = output + offsets[0]
                let (x, y, z) = (first + offsets[1], second + offsets[2], third + offsets[3])
                if inner[1] == 1 && inner[2] == 1 && inner[3] == 1 {
                    for i in 0..<length { o[i] = Operation.apply(x[i], y[i], z[i]) }
                } else {
                    let (sx, sy, sz) = (inner[1], inner[2], inner[3])
                    for i in 0..<length { o[i] = Operation.apply(x[i * sx], y[i * sy], z[i * sz]) }
                }
            }
        }
        return result
    }
}
