extension Tensor {
    /// Applies a floating-point function element-wise; integer and bool tensors are computed in `float32`.
    @inline(__always)
    func mapFloatingPoint(
        _ operation: String, float: (Float) -> Float, double: (Double) -> Double
    ) -> Tensor {
        switch dtype {
        case .float32: return mapElements(Float.self, to: Float.self, float)
        case .float64: return mapElements(Double.self, to: Double.self, double)
        default: return converted(to: .float32).mapElements(Float.self, to: Float.self, float)
        }
    }

    /// Applies a sign-preserving function to every numeric type in its own dtype.
    @inline(__always)
    func mapNumeric(
        _ operation: String, float: (Float) -> Float, double: (Double) -> Double, int32: (Int32) -> Int32,
        int64: (Int64) -> Int64, int8: (Int8) -> Int8, uint8: (UInt8) -> UInt8
    ) -> Tensor {
        switch dtype {
        case .float32: return mapElements(Float.self, to: Float.self, float)
        case .float64: return mapElements(Double.self, to: Double.self, double)
        case .int32: return mapElements(Int32.self, to: Int32.self, int32)
        case .int64: return mapElements(Int64.self, to: Int64.self, int64)
        case .int8: return mapElements(Int8.self, to: Int8.self, int8)
        case .uint8: return mapElements(UInt8.self, to: UInt8.self, uint8)
        case .bool: preconditionFailure("\(operation): not defined for a bool tensor; convert it first")
        }
    }

    /// The absolute value of every element (integer minimum values wrap, as in PyTorch).
    public func abs() -> Tensor {
        mapNumeric(
            "abs", float: { Swift.abs($0) }, double: { Swift.abs($0) }, int32: { $0 < 0 ? 0 &- $0 : $0 },
            int64: { $0 < 0 ? 0 &- $0 : $0 }, int8: { $0 < 0 ? 0 &- $0 : $0 }, uint8: { $0 })
    }

    /// The square of every element.
    public func squared() -> Tensor { self * self }

    /// The sign of every element: -1, 0 or 1 (NaN stays NaN).
    public func sign() -> Tensor {
        mapNumeric(
            "sign", float: { $0 > 0 ? 1 : ($0 < 0 ? -1 : $0) }, double: { $0 > 0 ? 1 : ($0 < 0 ? -1 : $0) },
            int32: { $0.signum() }, int64: { $0.signum() }, int8: { $0.signum() }, uint8: { $0 > 0 ? 1 : 0 })
    }

    /// e raised to every element.
    public func exp() -> Tensor { mapFloatingPoint("exp", float: { Float.exp($0) }, double: { Double.exp($0) }) }
    /// The natural logarithm of every element.
    public func log() -> Tensor { mapFloatingPoint("log", float: { Float.log($0) }, double: { Double.log($0) }) }
    /// `log(1 + x)` of every element, accurate near zero.
    public func log1p() -> Tensor {
        mapFloatingPoint("log1p", float: { Float.log1p($0) }, double: { Double.log1p($0) })
    }
    /// The square root of every element.
    public func sqrt() -> Tensor { mapFloatingPoint("sqrt", float: { $0.squareRoot() }, double: { $0.squareRoot() }) }
    /// The reciprocal square root of every element.
    public func rsqrt() -> Tensor {
        mapFloatingPoint("rsqrt", float: { 1 / $0.squareRoot() }, double: { 1 / $0.squareRoot() })
    }
    /// The reciprocal of every element.
    public func reciprocal() -> Tensor { mapFloatingPoint("reciprocal", float: { 1 / $0 }, double: { 1 / $0 }) }
    /// The hyperbolic tangent of every element.
    public func tanh() -> Tensor { mapFloatingPoint("tanh", float: { Float.tanh($0) }, double: { Double.tanh($0) }) }
    /// The sine of every element.
    public func sin() -> Tensor { mapFloatingPoint("sin", float: { Float.sin($0) }, double: { Double.sin($0) }) }
    /// The cosine of every element.
    public func cos() -> Tensor { mapFloatingPoint("cos", float: { Float.cos($0) }, double: { Double.cos($0) }) }

    /// The logistic sigmoid `1 / (1 + e^-x)` of every element, computed without overflow for large |x|.
    public func sigmoid() -> Tensor {
        // NOTE: for x < 0 the form e^x / (1 + e^x) avoids e^-x overflowing to infinity.
        mapFloatingPoint(
            "sigmoid",
            float: { x in x >= 0 ? 1 / (1 + Float.exp(-x)) : { e in e / (1 + e) }(Float.exp(x)) },
            double: { x in x >= 0 ? 1 / (1 + Double.exp(-x)) : { e in e / (1 + e) }(Double.exp(x)) })
    }

    /// The rectified linear unit `Swift.max(x, 0)` of every element (NaN propagates).
    public func relu() -> Tensor {
        if dtype == .float32 { return Tensor.mapElements(self, ReLUOperation<Float>.self, operation: "relu") }
        return mapNumeric(
            "relu", float: { $0 < 0 ? 0 : $0 }, double: { $0 < 0 ? 0 : $0 }, int32: { Swift.max($0, 0) },
            int64: { Swift.max($0, 0) }, int8: { Swift.max($0, 0) }, uint8: { $0 })
    }

    /// The Gaussian error linear unit `x · Φ(x)` with the exact error function (PyTorch's default).
    public func gelu() -> Tensor {
        let invSqrt2 = 0.707_106_781_186_547_5
        return mapFloatingPoint(
            "gelu", float: { x in 0.5 * x * (1 + Float.erf(x * Float(invSqrt2))) },
            double: { x in 0.5 * x * (1 + Double.erf(x * invSqrt2)) })
    }

    /// Every element limited to `[minimum, maximum]`; either bound may be omitted (NaN propagates).
    public func clamped(min minimum: Double? = nil, max maximum: Double? = nil) -> Tensor {
        if let minimum, let maximum {
            precondition(minimum <= maximum, "clamped: min \(minimum) is greater than max \(maximum)")
        }
        let low = minimum ?? -.infinity
        let high = maximum ?? .infinity
        switch dtype {
        case .float32:
            let (l, h) = (Float(low), Float(high))
            return mapElements(Float.self, to: Float.self) { $0 < l ? l : ($0 > h ? h : $0) }
        case .float64:
            return mapElements(Double.self, to: Double.self) { $0 < low ? low : ($0 > high ? high : $0) }
        default:
            func integer<T: TensorInteger>(_: T.Type) -> Tensor {
                let l = T(convertingDouble: low.rounded(.up))
                let h = T(convertingDouble: high.rounded(.down))
                return mapElements(T.self, to: T.self) { Swift.min(Swift.max($0, l), h) }
            }
            switch dtype {
            case .int32: return integer(Int32.self)
            case .int64: return integer(Int64.self)
            case .int8: return integer(Int8.self)
            case .uint8: return integer(UInt8.self)
            default: preconditionFailure("clamped: not defined for a bool tensor")
            }
        }
    }

    /// Whether each element is NaN (a `bool` tensor; always false for integer types).
    public func isNaN() -> Tensor {
        switch dtype {
        case .float32: mapElements(Float.self, to: Bool.self) { $0.isNaN }
        case .float64: mapElements(Double.self, to: Bool.self) { $0.isNaN }
        default: Tensor(zeroedShape: shape, dtype: .bool)
        }
    }

    /// Whether each element is finite (a `bool` tensor; always true for integer types).
    public func isFinite() -> Tensor {
        switch dtype {
        case .float32: mapElements(Float.self, to: Bool.self) { $0.isFinite }
        case .float64: mapElements(Double.self, to: Bool.self) { $0.isFinite }
        default: Tensor.full(shape: shape, value: 1, dtype: .bool)
        }
    }
}
