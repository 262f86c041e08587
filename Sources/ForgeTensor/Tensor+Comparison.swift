/// The element-wise comparisons.
enum ComparisonOperation: String {
    case equal = ".=="
    case notEqual = ".!="
    case less = ".<"
    case lessOrEqual = ".<="
    case greater = ".>"
    case greaterOrEqual = ".>="
}

extension Tensor {
    /// Compares broadcast operands after promoting them to a common dtype; the result is `bool`.
    static func compare(_ a: Tensor, _ b: Tensor, _ operation: ComparisonOperation) -> Tensor {
        let common = DType.promoted(a.dtype, b.dtype)
        let left = a.converted(to: common)
        let right = b.converted(to: common)
        let name = operation.rawValue
        func ordered<T: TensorNumeric>(_: T.Type) -> Tensor {
            switch operation {
            case .equal: zipElements(left, right, T.self, T.self, to: Bool.self, operation: name) { $0 == $1 }
            case .notEqual: zipElements(left, right, T.self, T.self, to: Bool.self, operation: name) { $0 != $1 }
            case .less: zipElements(left, right, T.self, T.self, to: Bool.self, operation: name) { $0 < $1 }
            case .lessOrEqual: zipElements(left, right, T.self, T.self, to: Bool.self, operation: name) { $0 <= $1 }
            case .greater: zipElements(left, right, T.self, T.self, to: Bool.self, operation: name) { $0 > $1 }
            case .greaterOrEqual:
                zipElements(left, right, T.self, T.self, to: Bool.self, operation: name) { $0 >= $1 }
            }
        }
        switch common {
        case .float32: return ordered(Float.self)
        case .float64: return ordered(Double.self)
        case .int32: return ordered(Int32.self)
        case .int64: return ordered(Int64.self)
        case .int8: return ordered(Int8.self)
        case .uint8: return ordered(UInt8.self)
        case .bool: return compare(left.converted(to: .uint8), right.converted(to: .uint8), operation)
        }
    }

    /// Element-wise equality with broadcasting, as a `bool` tensor.
    public static func .== (lhs: Tensor, rhs: Tensor) -> Tensor { compare(lhs, rhs, .equal) }
    /// Element-wise inequality with broadcasting.
    public static func .!= (lhs: Tensor, rhs: Tensor) -> Tensor { compare(lhs, rhs, .notEqual) }
    /// Element-wise `<` with broadcasting.
    public static func .< (lhs: Tensor, rhs: Tensor) -> Tensor { compare(lhs, rhs, .less) }
    /// Element-wise `<=` with broadcasting.
    public static func .<= (lhs: Tensor, rhs: Tensor) -> Tensor { compare(lhs, rhs, .lessOrEqual) }
    /// Element-wise `>` with broadcasting.
    public static func .> (lhs: Tensor, rhs: Tensor) -> Tensor { compare(lhs, rhs, .greater) }
    /// Element-wise `>=` with broadcasting.
    public static func .>= (lhs: Tensor, rhs: Tensor) -> Tensor { compare(lhs, rhs, .greaterOrEqual) }

    /// Element-wise equality with a scalar.
    public static func .== (lhs: Tensor, rhs: Double) -> Tensor { compare(lhs, scalar(rhs, like: lhs.dtype), .equal) }
    /// Element-wise inequality with a scalar.
    public static func .!= (lhs: Tensor, rhs: Double) -> Tensor {
        compare(lhs, scalar(rhs, like: lhs.dtype), .notEqual)
    }
    /// Element-wise `<` against a scalar.
    public static func .< (lhs: Tensor, rhs: Double) -> Tensor { compare(lhs, scalar(rhs, like: lhs.dtype), .less) }
    /// Element-wise `<=` against a scalar.
    public static func .<= (lhs: Tensor, rhs: Double) -> Tensor {
        compare(lhs, scalar(rhs, like: lhs.dtype), .lessOrEqual)
    }
    /// Element-wise `>` against a scalar.
    public static func .> (lhs: Tensor, rhs: Double) -> Tensor { compare(lhs, scalar(rhs, like: lhs.dtype), .greater) }
    /// Element-wise `>=` against a scalar.
    public static func .>= (lhs: Tensor, rhs: Double) -> Tensor {
        compare(lhs, scalar(rhs, like: lhs.dtype), .greaterOrEqual)
    }

    /// Element-wise logical and of two broadcast `bool` tensors.
    public static func .& (lhs: Tensor, rhs: Tensor) -> Tensor {
        zipElements(lhs.asBool("&"), rhs.asBool("&"), Bool.self, Bool.self, to: Bool.self, operation: ".&") { $0 && $1 }
    }
    /// Element-wise logical or of two broadcast `bool` tensors.
    public static func .| (lhs: Tensor, rhs: Tensor) -> Tensor {
        zipElements(lhs.asBool("|"), rhs.asBool("|"), Bool.self, Bool.self, to: Bool.self, operation: ".|") { $0 || $1 }
    }
    /// Element-wise logical not of a `bool` tensor.
    public static prefix func .! (operand: Tensor) -> Tensor {
        operand.asBool("!").mapElements(Bool.self, to: Bool.self) { !$0 }
    }

    /// The tensor as `bool`, converting non-zero to `true`.
    private func asBool(_ operation: String) -> Tensor { converted(to: .bool) }
}
