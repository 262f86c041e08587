public import ForgeAutograd

/// `max(0, x)`, PyTorch's `nn.ReLU`.
public final class ReLU: Module, Layer {
    /// Creates the layer.
    public override init() { super.init() }
    /// No members.
    public override func namedMembers() -> [(name: String, member: ModuleMember)] { [] }
    /// `max(0, x)` element-wise.
    public func forward(_ input: Variable) -> Variable { input.relu() }
}

/// `x` for positive `x`, `negativeSlope · x` otherwise, PyTorch's `nn.LeakyReLU`.
public final class LeakyReLU: Module, Layer {
    /// The slope for negative inputs.
    public let negativeSlope: Double
    /// Creates the layer (PyTorch's default slope is 0.01).
    public init(negativeSlope: Double = 0.01) {
        self.negativeSlope = negativeSlope
        super.init()
    }
    /// No members.
    public override func namedMembers() -> [(name: String, member: ModuleMember)] { [] }
    /// The leaky rectifier element-wise.
    public func forward(_ input: Variable) -> Variable { input.leakyRelu(slope: negativeSlope) }
}

/// The Gaussian error linear unit `x · Φ(x)` (exact, with erf), PyTorch's `nn.GELU()`.
public final class GELU: Module, Layer {
    /// Creates the layer.
    public override init() { super.init() }
    /// No members.
    public override func namedMembers() -> [(name: String, member: ModuleMember)] { [] }
    /// `x · Φ(x)` element-wise.
    public func forward(_ input: Variable) -> Variable { input.gelu() }
}

/// The sigmoid linear unit `x · sigmoid(x)` (swish), PyTorch's `nn.SiLU`.
public final class SiLU: Module, Layer {
    /// Creates the layer.
    public override init() { super.init() }
    /// No members.
    public override func namedMembers() -> [(name: String, member: ModuleMember)] { [] }
    /// `x · sigmoid(x)` element-wise.
    public func forward(_ input: Variable) -> Variable { input.silu() }
}

/// The logistic function `1 / (1 + e⁻ˣ)`, PyTorch's `nn.Sigmoid`.
public final class Sigmoid: Module, Layer {
    /// Creates the layer.
    public override init() { super.init() }
    /// No members.
    public override func namedMembers() -> [(name: String, member: ModuleMember)] { [] }
    /// The sigmoid element-wise.
    public func forward(_ input: Variable) -> Variable { input.sigmoid() }
}

/// The hyperbolic tangent, PyTorch's `nn.Tanh`.
public final class Tanh: Module, Layer {
    /// Creates the layer.
    public override init() { super.init() }
    /// No members.
    public override func namedMembers() -> [(name: String, member: ModuleMember)] { [] }
    /// `tanh(x)` element-wise.
    public func forward(_ input: Variable) -> Variable { input.tanh() }
}

/// The softmax along one axis, PyTorch's `nn.Softmax(dim)`: every slice along `axis` sums to 1.
public final class Softmax: Module, Layer {
    /// The axis normalized (negative counts from the end).
    public let axis: Int
    /// Creates the layer normalizing along `axis` (default: the last).
    public init(axis: Int = -1) {
        self.axis = axis
        super.init()
    }
    /// No members.
    public override func namedMembers() -> [(name: String, member: ModuleMember)] { [] }
    /// `exp(x) / Σ exp(x)` along ``axis``.
    public func forward(_ input: Variable) -> Variable { input.softmax(axis: axis) }
}
