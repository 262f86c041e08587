/// A Swift type that can be stored as the elements of a ``Tensor``.
///
/// Forge ships conformances for `Float`, `Double`, `Int32`, `Int64`, `Bool`, `Int8` and `UInt8`,
/// one per ``DType``. The protocol is not meant for user conformances: kernels dispatch on ``DType``.
public protocol TensorElement: Sendable, Equatable {
    /// The dtype whose elements are of this type.
    static var dtype: DType { get }
    /// The value zero (or `false`).
    static var zero: Self { get }
    /// The value one (or `true`).
    static var one: Self { get }
    /// Converts a `Double`, truncating toward zero for integers and saturating at the type's bounds;
    /// NaN becomes zero for integer and boolean types.
    init(convertingDouble value: Double)
    /// Converts an `Int64`, wrapping to the type's width for narrower integers.
    init(convertingInt64 value: Int64)
    /// The value as a `Double` (exact for every type but large `Int64` values).
    var doubleValue: Double { get }
    /// The value as an `Int64`, truncating floating-point values toward zero and saturating.
    var int64Value: Int64 { get }
}

/// A tensor element type with the arithmetic of a number: every type but `Bool`.
public protocol TensorNumeric: TensorElement, Comparable {
    /// Adds two values (wrapping for integers, like PyTorch).
    static func add(_ a: Self, _ b: Self) -> Self
    /// Subtracts two values (wrapping for integers).
    static func subtract(_ a: Self, _ b: Self) -> Self
    /// Multiplies two values (wrapping for integers).
    static func multiply(_ a: Self, _ b: Self) -> Self
    /// The lowest finite value, the identity of `max`.
    static var lowest: Self { get }
    /// The highest finite value, the identity of `min`.
    static var highest: Self { get }
}

/// A floating-point tensor element type: `Float` or `Double`.
public protocol TensorFloatingPoint: TensorNumeric, BinaryFloatingPoint, ElementaryFunctions {}

/// The elementary functions ForgeTensor's unary kernels need, mapped to the C math library.
public protocol ElementaryFunctions {
    /// e raised to the value.
    static func exp(_ x: Self) -> Self
    /// The natural logarithm.
    static func log(_ x: Self) -> Self
    /// `log(1 + x)`, accurate for small x.
    static func log1p(_ x: Self) -> Self
    /// The hyperbolic tangent.
    static func tanh(_ x: Self) -> Self
    /// The sine.
    static func sin(_ x: Self) -> Self
    /// The cosine.
    static func cos(_ x: Self) -> Self
    /// `x` raised to `y`.
    static func pow(_ x: Self, _ y: Self) -> Self
    /// The error function.
    static func erf(_ x: Self) -> Self
}

@inline(__always)
private func saturatingInteger<T: FixedWidthInteger>(_ value: Double, as _: T.Type) -> T {
    if value.isNaN { return 0 }
    if value <= Double(T.min) { return T.min }
    if value >= Double(T.max) { return T.max }
    return T(value)
}

extension Float: TensorFloatingPoint {
    public static var dtype: DType { .float32 }
    public static var zero: Float { 0 }
    public static var one: Float { 1 }
    public static var lowest: Float { -.greatestFiniteMagnitude }
    public static var highest: Float { .greatestFiniteMagnitude }
    public init(convertingDouble value: Double) { self = Float(value) }
    public init(convertingInt64 value: Int64) { self = Float(value) }
    public var doubleValue: Double { Double(self) }
    public var int64Value: Int64 { saturatingInteger(Double(self), as: Int64.self) }
    @inline(__always) public static func add(_ a: Float, _ b: Float) -> Float { a + b }
    @inline(__always) public static func subtract(_ a: Float, _ b: Float) -> Float { a - b }
    @inline(__always) public static func multiply(_ a: Float, _ b: Float) -> Float { a * b }
}

extension Double: TensorFloatingPoint {
    public static var dtype: DType { .float64 }
    public static var zero: Double { 0 }
    public static var one: Double { 1 }
    public static var lowest: Double { -.greatestFiniteMagnitude }
    public static var highest: Double { .greatestFiniteMagnitude }
    public init(convertingDouble value: Double) { self = value }
    public init(convertingInt64 value: Int64) { self = Double(value) }
    public var doubleValue: Double { self }
    public var int64Value: Int64 { saturatingInteger(self, as: Int64.self) }
    @inline(__always) public static func add(_ a: Double, _ b: Double) -> Double { a + b }
    @inline(__always) public static func subtract(_ a: Double, _ b: Double) -> Double { a - b }
    @inline(__always) public static func multiply(_ a: Double, _ b: Double) -> Double { a * b }
}

/// Shared conformance pieces for the fixed-width integer element types.
public protocol TensorInteger: TensorNumeric, FixedWidthInteger {}

extension TensorInteger {
    public static var zero: Self { 0 }
    public static var one: Self { 1 }
    public static var lowest: Self { .min }
    public static var highest: Self { .max }
    public init(convertingDouble value: Double) { self = saturatingInteger(value, as: Self.self) }
    public init(convertingInt64 value: Int64) { self = Self(truncatingIfNeeded: value) }
    public var doubleValue: Double { Double(self) }
    public var int64Value: Int64 { Int64(self) }
    @inline(__always) public static func add(_ a: Self, _ b: Self) -> Self { a &+ b }
    @inline(__always) public static func subtract(_ a: Self, _ b: Self) -> Self { a &- b }
    @inline(__always) public static func multiply(_ a: Self, _ b: Self) -> Self { a &* b }
}

extension Int32: TensorInteger {
    public static var dtype: DType { .int32 }
}

extension Int64: TensorInteger {
    public static var dtype: DType { .int64 }
}

extension Int8: TensorInteger {
    public static var dtype: DType { .int8 }
}

extension UInt8: TensorInteger {
    public static var dtype: DType { .uint8 }
}

extension Bool: TensorElement {
    public static var dtype: DType { .bool }
    public static var zero: Bool { false }
    public static var one: Bool { true }
    public init(convertingDouble value: Double) { self = value != 0 && !value.isNaN }
    public init(convertingInt64 value: Int64) { self = value != 0 }
    public var doubleValue: Double { self ? 1 : 0 }
    public var int64Value: Int64 { self ? 1 : 0 }
}
