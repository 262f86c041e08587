#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// File-scope wrappers: inside the extensions below an unqualified `exp` would find the static member
// itself, so the C library functions are reached through these names.
@inline(__always) private func cExp(_ x: Double) -> Double { exp(x) }
@inline(__always) private func cLog(_ x: Double) -> Double { log(x) }
@inline(__always) private func cLog1p(_ x: Double) -> Double { log1p(x) }
@inline(__always) private func cTanh(_ x: Double) -> Double { tanh(x) }
@inline(__always) private func cSin(_ x: Double) -> Double { sin(x) }
@inline(__always) private func cCos(_ x: Double) -> Double { cos(x) }
@inline(__always) private func cPow(_ x: Double, _ y: Double) -> Double { pow(x, y) }
@inline(__always) private func cErf(_ x: Double) -> Double { erf(x) }

extension Float {
    /// e raised to `x`.
    @inline(__always) public static func exp(_ x: Float) -> Float { expf(x) }
    /// The natural logarithm of `x`.
    @inline(__always) public static func log(_ x: Float) -> Float { logf(x) }
    /// `log(1 + x)`.
    @inline(__always) public static func log1p(_ x: Float) -> Float { log1pf(x) }
    /// The hyperbolic tangent of `x`.
    @inline(__always) public static func tanh(_ x: Float) -> Float { tanhf(x) }
    /// The sine of `x`.
    @inline(__always) public static func sin(_ x: Float) -> Float { sinf(x) }
    /// The cosine of `x`.
    @inline(__always) public static func cos(_ x: Float) -> Float { cosf(x) }
    /// `x` raised to `y`.
    @inline(__always) public static func pow(_ x: Float, _ y: Float) -> Float { powf(x, y) }
    /// The error function of `x`.
    @inline(__always) public static func erf(_ x: Float) -> Float { erff(x) }
}

extension Double {
    /// e raised to `x`.
    @inline(__always) public static func exp(_ x: Double) -> Double { cExp(x) }
    /// The natural logarithm of `x`.
    @inline(__always) public static func log(_ x: Double) -> Double { cLog(x) }
    /// `log(1 + x)`.
    @inline(__always) public static func log1p(_ x: Double) -> Double { cLog1p(x) }
    /// The hyperbolic tangent of `x`.
    @inline(__always) public static func tanh(_ x: Double) -> Double { cTanh(x) }
    /// The sine of `x`.
    @inline(__always) public static func sin(_ x: Double) -> Double { cSin(x) }
    /// The cosine of `x`.
    @inline(__always) public static func cos(_ x: Double) -> Double { cCos(x) }
    /// `x` raised to `y`.
    @inline(__always) public static func pow(_ x: Double, _ y: Double) -> Double { cPow(x, y) }
    /// The error function of `x`.
    @inline(__always) public static func erf(_ x: Double) -> Double { cErf(x) }
}
