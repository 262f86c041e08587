public import ForgeTensor

extension Variable {
    /// A unary operation with its location recorded.
    private func unary(
        _ operation: String, _ value: Tensor, fileID: String, line: Int,
        _ vectorJacobianProduct: @escaping (Tensor) -> Tensor
    ) -> Variable {
        Variable.record(
            operation, value: value, inputs: [self], location: SourceLocation(fileID: fileID, line: line)
        ) { g in [vectorJacobianProduct(g)] }
    }

    /// e raised to every element.
    public func exp(fileID: String = #fileID, line: Int = #line) -> Variable {
        let y = value.exp()
        return unary("exp", y, fileID: fileID, line: line) { $0 * y }
    }

    /// The natural logarithm of every element.
    public func log(fileID: String = #fileID, line: Int = #line) -> Variable {
        let x = value
        return unary("log", x.log(), fileID: fileID, line: line) { $0 / x }
    }

    /// `log(1 + x)` of every element.
    public func log1p(fileID: String = #fileID, line: Int = #line) -> Variable {
        let x = value
        return unary("log1p", x.log1p(), fileID: fileID, line: line) { $0 / (x + 1) }
    }

    /// The square root of every element.
    public func sqrt(fileID: String = #fileID, line: Int = #line) -> Variable {
        let y = value.sqrt()
        return unary("sqrt", y, fileID: fileID, line: line) { $0 / (y * 2) }
    }

    /// The reciprocal square root of every element.
    public func rsqrt(fileID: String = #fileID, line: Int = #line) -> Variable {
        let y = value.rsqrt()
        return unary("rsqrt", y, fileID: fileID, line: line) { $0 * y * y * y * -0.5 }
    }

    /// The square of every element.
    public func squared(fileID: String = #fileID, line: Int = #line) -> Variable {
        let x = value
        return unary("squared", x * x, fileID: fileID, line: line) { $0 * x * 2 }
    }

    /// The absolute value of every element (gradient 0 at 0, as in PyTorch).
    public func abs(fileID: String = #fileID, line: Int = #line) -> Variable {
        let x = value
        return unary("abs", x.abs(), fileID: fileID, line: line) { $0 * x.sign() }
    }

    /// The sine of every element.
    public func sin(fileID: String = #fileID, line: Int = #line) -> Variable {
        let x = value
        return unary("sin", x.sin(), fileID: fileID, line: line) { $0 * x.cos() }
    }

    /// The cosine of every element.
    public func cos(fileID: String = #fileID, line: Int = #line) -> Variable {
        let x = value
        return unary("cos", x.cos(), fileID: fileID, line: line) { -$0 * x.sin() }
    }

    /// The hyperbolic tangent of every element.
    public func tanh(fileID: String = #fileID, line: Int = #line) -> Variable {
        let y = value.tanh()
        return unary("tanh", y, fileID: fileID, line: line) { Tensor.tanhGradient($0, output: y) }
    }

    /// The logistic sigmoid of every element.
    public func sigmoid(fileID: String = #fileID, line: Int = #line) -> Variable {
        let y = value.sigmoid()
        return unary("sigmoid", y, fileID: fileID, line: line) { Tensor.sigmoidGradient($0, output: y) }
    }

    /// The rectified linear unit of every element (gradient 0 at 0, as in PyTorch).
    public func relu(fileID: String = #fileID, line: Int = #line) -> Variable {
        let x = value
        return unary("relu", x.relu(), fileID: fileID, line: line) { Tensor.reluGradient($0, input: x) }
    }

    /// The leaky rectified linear unit: `x` where positive, `slope · x` elsewhere.
    public func leakyRelu(slope: Double = 0.01, fileID: String = #fileID, line: Int = #line) -> Variable {
        let x = value
        return unary("leakyRelu", x.leakyRelu(slope: slope), fileID: fileID, line: line) {
            Tensor.leakyReluGradient($0, input: x, slope: slope)
        }
    }

    /// The Gaussian error linear unit (exact, with the error function).
    public func gelu(fileID: String = #fileID, line: Int = #line) -> Variable {
        let x = value
        return unary("gelu", x.gelu(), fileID: fileID, line: line) { Tensor.geluGradient($0, input: x) }
    }

    /// The sigmoid linear unit `x · sigmoid(x)` (also called swish).
    public func silu(fileID: String = #fileID, line: Int = #line) -> Variable {
        let x = value
        let s = x.sigmoid()
        // d/dx x·s(x) = s + x·s·(1 − s)
        return unary("silu", x * s, fileID: fileID, line: line) { g in
            g * (s + x * s * (1 - s))
        }
    }

    /// Every element limited to `[minimum, maximum]`; the gradient is zero where the bound applies.
    public func clamped(
        min minimum: Double? = nil, max maximum: Double? = nil, fileID: String = #fileID, line: Int = #line
    ) -> Variable {
        let x = value
        return unary("clamp", x.clamped(min: minimum, max: maximum), fileID: fileID, line: line) { g in
            var inside = Tensor.ones(shape: x.shape, dtype: .bool)
            if let minimum { inside = inside .& (x .>= minimum) }
            if let maximum { inside = inside .& (x .<= maximum) }
            return Tensor.where(inside, g, Tensor.zeros(shape: [], dtype: g.dtype))
        }
    }
}
