/// The binary arithmetic operations the broadcasting kernels implement.
enum ArithmeticOperation: String {
    case add = "+"
    case subtract = "-"
    case multiply = "*"
    case divide = "/"
    case power = "pow"
    case minimum = "minimum"
    case maximum = "maximum"

    /// Whether integer operands are computed in floating point (true division, fractional powers).
    var needsFloatingPoint: Bool { self == .divide || self == .power }
}

extension Tensor {
    /// Applies `operation` to the broadcast operands after promoting both to a common dtype.
    static func arithmetic(_ a: Tensor, _ b: Tensor, _ operation: ArithmeticOperation) -> Tensor {
        var common = DType.promoted(a.dtype, b.dtype)
        if common == .bool { common = operation == .minimum || operation == .maximum ? .uint8 : .int64 }
        if operation.needsFloatingPoint && !common.isFloatingPoint { common = .float32 }
        let left = a.converted(to: common)
        let right = b.converted(to: common)
        let name = operation.rawValue
        func floating<T: TensorFloatingPoint>(_: T.Type) -> Tensor {
            switch operation {
            case .add: return zipElements(left, right, AddOperation<T>.self, operation: name)
            case .subtract: return zipElements(left, right, SubtractOperation<T>.self, operation: name)
            case .multiply: return zipElements(left, right, MultiplyOperation<T>.self, operation: name)
            case .divide: return zipElements(left, right, DivideOperation<T>.self, operation: name)
            case .power: return zipElements(left, right, T.self, T.self, to: T.self, operation: name) { T.pow($0, $1) }
            case .minimum: return zipElements(left, right, MinimumOperation<T>.self, operation: name)
            case .maximum: return zipElements(left, right, MaximumOperation<T>.self, operation: name)
            }
        }
        func integer<T: TensorInteger>(_: T.Type) -> Tensor {
            switch operation {
            case .add: return zipElements(left, right, AddOperation<T>.self, operation: name)
            case .subtract: return zipElements(left, right, SubtractOperation<T>.self, operation: name)
            case .multiply: return zipElements(left, right, MultiplyOperation<T>.self, operation: name)
            case .minimum: return zipElements(left, right, T.self, T.self, to: T.self, operation: name) { Swift.min($0, $1) }
            case .maximum: return zipElements(left, right, T.self, T.self, to: T.self, operation: name) { Swift.max($0, $1) }
            case .divide, .power: preconditionFailure("\(name): integer operands are promoted to float32 first")
            }
        }
        switch common {
        case .float32: return floating(Float.self)
        case .float64: return floating(Double.self)
        case .int32: return integer(Int32.self)
        case .int64: return integer(Int64.self)
        case .int8: return integer(Int8.self)
        case .uint8: return integer(UInt8.self)
        case .bool: preconditionFailure("\(name): unreachable, bool operands are promoted")
        }
    }

    /// Applies `operation` in place, converting the (broadcast) right operand to this tensor's dtype.
    mutating func arithmeticInPlace(_ other: Tensor, _ operation: ArithmeticOperation) {
        let name = operation.rawValue + "="
        let right = other.converted(to: dtype)
        func floating<T: TensorFloatingPoint>(_: T.Type) {
            switch operation {
            case .add: updateElements(with: right, AddOperation<T>.self, operation: name)
            case .subtract: updateElements(with: right, SubtractOperation<T>.self, operation: name)
            case .multiply: updateElements(with: right, MultiplyOperation<T>.self, operation: name)
            case .divide: updateElements(with: right, DivideOperation<T>.self, operation: name)
            case .power: updateElements(with: right, T.self, T.self, operation: name) { T.pow($0, $1) }
            case .minimum: updateElements(with: right, MinimumOperation<T>.self, operation: name)
            case .maximum: updateElements(with: right, MaximumOperation<T>.self, operation: name)
            }
        }
        func integer<T: TensorInteger>(_: T.Type) {
            switch operation {
            case .add: updateElements(with: right, T.self, T.self, operation: name) { $0 &+ $1 }
            case .subtract: updateElements(with: right, T.self, T.self, operation: name) { $0 &- $1 }
            case .multiply: updateElements(with: right, T.self, T.self, operation: name) { $0 &* $1 }
            case .minimum: updateElements(with: right, T.self, T.self, operation: name) { Swift.min($0, $1) }
            case .maximum: updateElements(with: right, T.self, T.self, operation: name) { Swift.max($0, $1) }
            case .divide, .power:
                preconditionFailure("\(name): in-place \(operation.rawValue) needs a floating-point tensor, not \(dtype)")
            }
        }
        switch dtype {
        case .float32: floating(Float.self)
        case .float64: floating(Double.self)
        case .int32: integer(Int32.self)
        case .int64: integer(Int64.self)
        case .int8: integer(Int8.self)
        case .uint8: integer(UInt8.self)
        case .bool: preconditionFailure("\(name): arithmetic on a bool tensor; convert it first")
        }
    }

    /// A 0-d tensor holding `value` in the dtype a tensor of `dtype` combines with it in.
    static func scalar(_ value: Double, like dtype: DType) -> Tensor {
        switch dtype {
        case .float64: Tensor(value)
        case .float32: Tensor(Float(value))
        default: value.rounded(.towardZero) == value ? Tensor(Int64(value)).converted(to: dtype) : Tensor(Float(value))
        }
    }

    // MARK: Operators

    /// Element-wise sum with NumPy broadcasting.
    public static func + (lhs: Tensor, rhs: Tensor) -> Tensor { arithmetic(lhs, rhs, .add) }
    /// Element-wise difference with broadcasting.
    public static func - (lhs: Tensor, rhs: Tensor) -> Tensor { arithmetic(lhs, rhs, .subtract) }
    /// Element-wise product with broadcasting.
    public static func * (lhs: Tensor, rhs: Tensor) -> Tensor { arithmetic(lhs, rhs, .multiply) }
    /// Element-wise true division with broadcasting (integer operands give `float32`).
    public static func / (lhs: Tensor, rhs: Tensor) -> Tensor { arithmetic(lhs, rhs, .divide) }

    /// Adds `rhs` (broadcast) in place.
    public static func += (lhs: inout Tensor, rhs: Tensor) { lhs.arithmeticInPlace(rhs, .add) }
    /// Subtracts `rhs` (broadcast) in place.
    public static func -= (lhs: inout Tensor, rhs: Tensor) { lhs.arithmeticInPlace(rhs, .subtract) }
    /// Multiplies by `rhs` (broadcast) in place.
    public static func *= (lhs: inout Tensor, rhs: Tensor) { lhs.arithmeticInPlace(rhs, .multiply) }
    /// Divides by `rhs` (broadcast) in place; the tensor must be floating point.
    public static func /= (lhs: inout Tensor, rhs: Tensor) { lhs.arithmeticInPlace(rhs, .divide) }

    /// Adds a scalar to every element.
    public static func + (lhs: Tensor, rhs: Double) -> Tensor { lhs + scalar(rhs, like: lhs.dtype) }
    /// Adds a scalar to every element.
    public static func + (lhs: Double, rhs: Tensor) -> Tensor { scalar(lhs, like: rhs.dtype) + rhs }
    /// Subtracts a scalar from every element.
    public static func - (lhs: Tensor, rhs: Double) -> Tensor { lhs - scalar(rhs, like: lhs.dtype) }
    /// Subtracts every element from a scalar.
    public static func - (lhs: Double, rhs: Tensor) -> Tensor { scalar(lhs, like: rhs.dtype) - rhs }
    /// Multiplies every element by a scalar.
    public static func * (lhs: Tensor, rhs: Double) -> Tensor { lhs * scalar(rhs, like: lhs.dtype) }
    /// Multiplies every element by a scalar.
    public static func * (lhs: Double, rhs: Tensor) -> Tensor { scalar(lhs, like: rhs.dtype) * rhs }
    /// Divides every element by a scalar.
    public static func / (lhs: Tensor, rhs: Double) -> Tensor { lhs / scalar(rhs, like: lhs.dtype) }
    /// Divides a scalar by every element.
    public static func / (lhs: Double, rhs: Tensor) -> Tensor { scalar(lhs, like: rhs.dtype) / rhs }

    /// Adds a scalar in place.
    public static func += (lhs: inout Tensor, rhs: Double) { lhs.arithmeticInPlace(scalar(rhs, like: lhs.dtype), .add) }
    /// Subtracts a scalar in place.
    public static func -= (lhs: inout Tensor, rhs: Double) {
        lhs.arithmeticInPlace(scalar(rhs, like: lhs.dtype), .subtract)
    }
    /// Multiplies by a scalar in place.
    public static func *= (lhs: inout Tensor, rhs: Double) {
        lhs.arithmeticInPlace(scalar(rhs, like: lhs.dtype), .multiply)
    }
    /// Divides by a scalar in place; the tensor must be floating point.
    public static func /= (lhs: inout Tensor, rhs: Double) {
        lhs.arithmeticInPlace(scalar(rhs, like: lhs.dtype), .divide)
    }

    /// The element-wise negation.
    public static prefix func - (operand: Tensor) -> Tensor { scalar(0, like: operand.dtype) - operand }

    /// Raises every element to `exponent` (broadcast); integer tensors are computed in `float32`.
    public func pow(_ exponent: Tensor) -> Tensor { Tensor.arithmetic(self, exponent, .power) }
    /// Raises every element to a scalar power.
    public func pow(_ exponent: Double) -> Tensor {
        if exponent == 2 { return self * self }
        return Tensor.arithmetic(self, Tensor.scalar(exponent, like: dtype.isFloatingPoint ? dtype : .float32), .power)
    }
    /// The element-wise minimum of two broadcast tensors (NaN propagates).
    public static func minimum(_ a: Tensor, _ b: Tensor) -> Tensor { arithmetic(a, b, .minimum) }
    /// The element-wise maximum of two broadcast tensors (NaN propagates).
    public static func maximum(_ a: Tensor, _ b: Tensor) -> Tensor { arithmetic(a, b, .maximum) }

    /// `a * b + c` in one pass over memory, with broadcasting, for floating-point tensors.
    ///
    /// Reads each operand once and writes the result once, where `a * b + c` written with operators
    /// makes a temporary for the product.
    public static func multiplyAdd(_ a: Tensor, _ b: Tensor, _ c: Tensor) -> Tensor {
        let common = DType.promoted(DType.promoted(a.dtype, b.dtype), c.dtype)
        precondition(common.isFloatingPoint, "multiplyAdd: needs floating-point operands, got \(common)")
        let (x, y, z) = (a.converted(to: common), b.converted(to: common), c.converted(to: common))
        if common == .float64 {
            return zipElements(x, y, z, MultiplyAddOperation<Double>.self, operation: "multiplyAdd")
        }
        return zipElements(x, y, z, MultiplyAddOperation<Float>.self, operation: "multiplyAdd")
    }
}
