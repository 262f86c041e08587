// Fused vector-Jacobian products of the activations, one pass each, for ForgeAutograd. They live here
// because the element-wise kernel engine is internal to ForgeTensor and specializes per call site.

extension Tensor {
    /// Applies `combine(gradient, saved)` over two same-shape floating-point tensors.
    @inline(__always)
    private static func fusedGradient(
        _ gradient: Tensor, _ saved: Tensor, operation: String,
        float: (Float, Float) -> Float, double: (Double, Double) -> Double
    ) -> Tensor {
        precondition(
            gradient.shape == saved.shape,
            "\(operation): gradient shape \(gradient.shape) differs from the saved tensor's \(saved.shape)")
        switch saved.dtype {
        case .float32:
            return zipElements(
                gradient.converted(to: .float32), saved, Float.self, Float.self, to: Float.self, operation: operation,
                float)
        case .float64:
            return zipElements(
                gradient.converted(to: .float64), saved, Double.self, Double.self, to: Double.self,
                operation: operation, double)
        default:
            preconditionFailure("\(operation): gradients need a floating-point tensor, got \(saved.dtype)")
        }
    }

    /// `gradient` where `input > 0`, zero elsewhere: the gradient of ReLU.
    package static func reluGradient(_ gradient: Tensor, input: Tensor) -> Tensor {
        if gradient.dtype == .float32 && input.dtype == .float32 && gradient.shape == input.shape {
            return zipElements(gradient, input, ReLUGradientOperation<Float>.self, operation: "relu backward")
        }
        return fusedGradient(
            gradient, input, operation: "relu backward", float: { g, x in x > 0 ? g : 0 },
            double: { g, x in x > 0 ? g : 0 })
    }

    /// `gradient` where `input > 0`, `slope · gradient` elsewhere: the gradient of leaky ReLU.
    package static func leakyReluGradient(_ gradient: Tensor, input: Tensor, slope: Double) -> Tensor {
        let s = Float(slope)
        return fusedGradient(
            gradient, input, operation: "leakyRelu backward", float: { g, x in x > 0 ? g : g * s },
            double: { g, x in x > 0 ? g : g * slope })
    }

    /// `gradient · y · (1 − y)` for the sigmoid's output `y`.
    package static func sigmoidGradient(_ gradient: Tensor, output: Tensor) -> Tensor {
        fusedGradient(
            gradient, output, operation: "sigmoid backward", float: { g, y in g * y * (1 - y) },
            double: { g, y in g * y * (1 - y) })
    }

    /// `gradient · (1 − y²)` for the hyperbolic tangent's output `y`.
    package static func tanhGradient(_ gradient: Tensor, output: Tensor) -> Tensor {
        fusedGradient(
            gradient, output, operation: "tanh backward", float: { g, y in g * (1 - y * y) },
            double: { g, y in g * (1 - y * y) })
    }

    /// `gradient · (Φ(x) + x·φ(x))`: the gradient of the exact GELU at `input`.
    package static func geluGradient(_ gradient: Tensor, input: Tensor) -> Tensor {
        let invSqrt2 = 0.707_106_781_186_547_5
        let invSqrt2Pi = 0.398_942_280_401_432_7
        return fusedGradient(
            gradient, input, operation: "gelu backward",
            float: { g, x in
                g * (0.5 * (1 + Float.erf(x * Float(invSqrt2))) + x * Float(invSqrt2Pi) * Float.exp(-0.5 * x * x))
            },
            double: { g, x in g * (0.5 * (1 + Double.erf(x * invSqrt2)) + x * invSqrt2Pi * Double.exp(-0.5 * x * x)) })
    }

    /// Leaky ReLU: `x` where positive, `slope · x` elsewhere.
    public func leakyRelu(slope: Double = 0.01) -> Tensor {
        switch dtype {
        case .float32:
            let s = Float(slope)
            return mapElements(Float.self, to: Float.self) { $0 > 0 ? $0 : $0 * s }
        case .float64:
            return mapElements(Double.self, to: Double.self) { $0 > 0 ? $0 : $0 * slope }
        default:
            return converted(to: .float32).leakyRelu(slope: slope)
        }
    }
}
