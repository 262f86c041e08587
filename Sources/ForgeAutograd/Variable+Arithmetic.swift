public import ForgeTensor

extension Variable {
    /// The element-wise sum with broadcasting.
    public static func + (lhs: Variable, rhs: Variable) -> Variable {
        let (a, b) = (lhs.value, rhs.value)
        return record("add", value: a + b, inputs: [lhs, rhs]) { g in
            [g.reducedForBroadcast(to: a.shape, dtype: a.dtype), g.reducedForBroadcast(to: b.shape, dtype: b.dtype)]
        }
    }

    /// The element-wise difference with broadcasting.
    public static func - (lhs: Variable, rhs: Variable) -> Variable {
        let (a, b) = (lhs.value, rhs.value)
        return record("subtract", value: a - b, inputs: [lhs, rhs]) { g in
            [g.reducedForBroadcast(to: a.shape, dtype: a.dtype), (-g).reducedForBroadcast(to: b.shape, dtype: b.dtype)]
        }
    }

    /// The element-wise product with broadcasting.
    public static func * (lhs: Variable, rhs: Variable) -> Variable {
        let (a, b) = (lhs.value, rhs.value)
        let (needsA, needsB) = (lhs.requiresGradient, rhs.requiresGradient)
        return record("multiply", value: a * b, inputs: [lhs, rhs]) { g in
            [
                needsA ? (g * b).reducedForBroadcast(to: a.shape, dtype: a.dtype) : nil,
                needsB ? (g * a).reducedForBroadcast(to: b.shape, dtype: b.dtype) : nil,
            ]
        }
    }

    /// The element-wise quotient with broadcasting.
    public static func / (lhs: Variable, rhs: Variable) -> Variable {
        let (a, b) = (lhs.value, rhs.value)
        let (needsA, needsB) = (lhs.requiresGradient, rhs.requiresGradient)
        return record("divide", value: a / b, inputs: [lhs, rhs]) { g in
            [
                needsA ? (g / b).reducedForBroadcast(to: a.shape, dtype: a.dtype) : nil,
                needsB ? (-g * a / (b * b)).reducedForBroadcast(to: b.shape, dtype: b.dtype) : nil,
            ]
        }
    }

    /// The element-wise negation.
    public static prefix func - (operand: Variable) -> Variable {
        record("negate", value: -operand.value, inputs: [operand]) { g in [-g] }
    }

    /// Adds a scalar.
    public static func + (lhs: Variable, rhs: Double) -> Variable {
        record("add", value: lhs.value + rhs, inputs: [lhs]) { g in [g] }
    }
    /// Adds a scalar.
    public static func + (lhs: Double, rhs: Variable) -> Variable { rhs + lhs }
    /// Subtracts a scalar.
    public static func - (lhs: Variable, rhs: Double) -> Variable { lhs + (-rhs) }
    /// Subtracts from a scalar.
    public static func - (lhs: Double, rhs: Variable) -> Variable {
        record("subtract", value: lhs - rhs.value, inputs: [rhs]) { g in [-g] }
    }
    /// Multiplies by a scalar.
    public static func * (lhs: Variable, rhs: Double) -> Variable {
        record("multiply", value: lhs.value * rhs, inputs: [lhs]) { g in [g * rhs] }
    }
    /// Multiplies by a scalar.
    public static func * (lhs: Double, rhs: Variable) -> Variable { rhs * lhs }
    /// Divides by a scalar.
    public static func / (lhs: Variable, rhs: Double) -> Variable { lhs * (1 / rhs) }
    /// Divides a scalar by every element.
    public static func / (lhs: Double, rhs: Variable) -> Variable {
        let b = rhs.value
        return record("divide", value: lhs / b, inputs: [rhs]) { g in [-g * lhs / (b * b)] }
    }

    /// Adds a constant tensor (no gradient flows to it).
    public static func + (lhs: Variable, rhs: Tensor) -> Variable { lhs + Variable(rhs) }
    /// Subtracts a constant tensor.
    public static func - (lhs: Variable, rhs: Tensor) -> Variable { lhs - Variable(rhs) }
    /// Multiplies by a constant tensor.
    public static func * (lhs: Variable, rhs: Tensor) -> Variable { lhs * Variable(rhs) }
    /// Divides by a constant tensor.
    public static func / (lhs: Variable, rhs: Tensor) -> Variable { lhs / Variable(rhs) }

    /// Every element raised to a constant power.
    public func pow(_ exponent: Double, fileID: String = #fileID, line: Int = #line) -> Variable {
        let a = value
        return Variable.record(
            "pow", value: a.pow(exponent), inputs: [self], location: SourceLocation(fileID: fileID, line: line)
        ) { g in
            [g * a.pow(exponent - 1) * exponent]
        }
    }

    /// Every element raised to the broadcast `exponent` (both differentiable; the base must be positive
    /// where the exponent's gradient is needed).
    public func pow(_ exponent: Variable, fileID: String = #fileID, line: Int = #line) -> Variable {
        let (a, b) = (value, exponent.value)
        let result = a.pow(b)
        let needsExponent = exponent.requiresGradient
        return Variable.record(
            "pow", value: result, inputs: [self, exponent], location: SourceLocation(fileID: fileID, line: line)
        ) { g in
            [
                (g * b * a.pow(b - 1)).reducedForBroadcast(to: a.shape, dtype: a.dtype),
                needsExponent ? (g * result * a.log()).reducedForBroadcast(to: b.shape, dtype: b.dtype) : nil,
            ]
        }
    }

    /// The element-wise minimum; the gradient goes to the smaller operand (to `a` on ties).
    public static func minimum(_ a: Variable, _ b: Variable) -> Variable {
        let (x, y) = (a.value, b.value)
        return record("minimum", value: Tensor.minimum(x, y), inputs: [a, b]) { g in
            let takeFirst = x .<= y
            let zero = Tensor.zeros(shape: [], dtype: g.dtype)
            return [
                Tensor.where(takeFirst, g, zero).reducedForBroadcast(to: x.shape, dtype: x.dtype),
                Tensor.where(takeFirst, zero, g).reducedForBroadcast(to: y.shape, dtype: y.dtype),
            ]
        }
    }

    /// The element-wise maximum; the gradient goes to the larger operand (to `a` on ties).
    public static func maximum(_ a: Variable, _ b: Variable) -> Variable {
        let (x, y) = (a.value, b.value)
        return record("maximum", value: Tensor.maximum(x, y), inputs: [a, b]) { g in
            let takeFirst = x .>= y
            let zero = Tensor.zeros(shape: [], dtype: g.dtype)
            return [
                Tensor.where(takeFirst, g, zero).reducedForBroadcast(to: x.shape, dtype: x.dtype),
                Tensor.where(takeFirst, zero, g).reducedForBroadcast(to: y.shape, dtype: y.dtype),
            ]
        }
    }
}
