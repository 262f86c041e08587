/// The nonlinearity that follows a layer, which variance-preserving initializers scale for.
///
/// ``gain`` is PyTorch's `torch.nn.init.calculate_gain`: the factor that keeps the variance of
/// activations steady through the nonlinearity.
///
/// ```swift
/// Nonlinearity.relu.gain                          // √2
/// Nonlinearity.leakyRelu(negativeSlope: 5.squareRoot()).gain   // √(1/3), PyTorch's Linear/Conv default
/// ```
public enum Nonlinearity: Sendable, Hashable {
    /// No nonlinearity (gain 1).
    case linear
    /// A convolution with nothing after it (gain 1).
    case convolution
    /// The logistic sigmoid (gain 1).
    case sigmoid
    /// The hyperbolic tangent (gain 5/3).
    case tanh
    /// The rectifier (gain √2).
    case relu
    /// The leaky rectifier with the given slope for negative inputs (gain √(2 / (1 + slope²))).
    case leakyRelu(negativeSlope: Double)
    /// The scaled exponential linear unit (gain 3/4).
    case selu

    /// The recommended gain, as `torch.nn.init.calculate_gain` computes it.
    public var gain: Double {
        switch self {
        case .linear, .convolution, .sigmoid: return 1
        case .tanh: return 5.0 / 3.0
        case .relu: return 2.0.squareRoot()
        case .leakyRelu(let slope): return (2 / (1 + slope * slope)).squareRoot()
        case .selu: return 3.0 / 4.0
        }
    }
}

/// Which fan a variance-scaling initializer keeps the variance for.
public enum FanMode: Sendable, Hashable {
    /// The number of inputs of each output unit: preserves the variance of activations in the forward pass.
    case fanIn
    /// The number of outputs each input feeds: preserves the variance of gradients in the backward pass.
    case fanOut
}
