/// The element type of a ``Tensor``.
///
/// `float32` is the compute type of the deep-learning modules; `float64` serves gradient checks and
/// statistics; `int32`/`int64` hold indices and labels; `bool` holds masks; `int8`/`uint8` hold
/// quantized weights and raw bytes.
public enum DType: String, Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible {
    /// 32-bit IEEE 754 floating point.
    case float32
    /// 64-bit IEEE 754 floating point.
    case float64
    /// 32-bit signed integer.
    case int32
    /// 64-bit signed integer.
    case int64
    /// Boolean, stored as one byte (0 or 1).
    case bool
    /// 8-bit signed integer.
    case int8
    /// 8-bit unsigned integer.
    case uint8

    /// The number of bytes one element occupies.
    public var byteSize: Int {
        switch self {
        case .float64, .int64: 8
        case .float32, .int32: 4
        case .bool, .int8, .uint8: 1
        }
    }

    /// Whether the type is a floating-point type.
    public var isFloatingPoint: Bool { self == .float32 || self == .float64 }

    /// Whether the type is a (signed or unsigned) integer type; `bool` is not.
    public var isInteger: Bool { self == .int32 || self == .int64 || self == .int8 || self == .uint8 }

    /// The PyTorch-style name, as shown in ``Tensor/description``.
    public var description: String { rawValue }

    /// The rank of the type in the promotion order `bool < uint8 < int8 < int32 < int64 < float32 < float64`.
    var promotionRank: Int {
        switch self {
        case .bool: 0
        case .uint8: 1
        case .int8: 2
        case .int32: 3
        case .int64: 4
        case .float32: 5
        case .float64: 6
        }
    }

    /// The type both operands of a binary operation are converted to (NumPy/PyTorch-style promotion,
    /// simplified: mixing `uint8` and `int8` gives `int32`).
    public static func promoted(_ a: DType, _ b: DType) -> DType {
        if a == b { return a }
        if (a == .uint8 && b == .int8) || (a == .int8 && b == .uint8) { return .int32 }
        return a.promotionRank >= b.promotionRank ? a : b
    }
}
