public import ForgeAutograd
public import ForgeTensor

/// A fully connected layer: `y = x · weightᵀ + bias`, PyTorch's `nn.Linear`.
///
/// Weights are `[outputFeatures, inputFeatures]` and initialized like PyTorch's: uniform in
/// `±1/√inputFeatures` (Kaiming uniform with a = √5), and so is the bias.
///
/// ```swift
/// var generator = RandomGenerator(seed: 0)
/// let layer = Linear(inputFeatures: 64, outputFeatures: 10, generator: &generator)
/// let logits = layer(Variable(batch))   // [batch, 64] → [batch, 10]
/// ```
public final class Linear: Module, Layer {
    /// `[outputFeatures, inputFeatures]`.
    public let weight: Variable
    /// `[outputFeatures]`, or nil when the layer has no bias.
    public let bias: Variable?

    /// The size of each input sample.
    public var inputFeatures: Int { weight.shape[1] }
    /// The size of each output sample.
    public var outputFeatures: Int { weight.shape[0] }

    /// Creates a layer with PyTorch's default initialization drawn from `generator`.
    public init(inputFeatures: Int, outputFeatures: Int, bias: Bool = true, generator: inout RandomGenerator) {
        precondition(
            inputFeatures > 0 && outputFeatures > 0,
            "Linear: features must be positive, got inputFeatures \(inputFeatures), outputFeatures \(outputFeatures)")
        let bound = 1 / Double(inputFeatures).squareRoot()
        weight = Variable(
            Tensor.uniform(shape: [outputFeatures, inputFeatures], low: -bound, high: bound, generator: &generator),
            requiresGradient: true)
        self.bias =
            bias
            ? Variable(Tensor.uniform(shape: [outputFeatures], low: -bound, high: bound, generator: &generator), requiresGradient: true)
            : nil
        super.init()
    }

    /// Creates a layer with PyTorch's default initialization, seeded with `seed`.
    public convenience init(inputFeatures: Int, outputFeatures: Int, bias: Bool = true, seed: UInt64 = 0) {
        var generator = RandomGenerator(seed: seed)
        self.init(inputFeatures: inputFeatures, outputFeatures: outputFeatures, bias: bias, generator: &generator)
    }

    /// `weight` then `bias`, listed explicitly (no reflection).
    public override func namedMembers() -> [(name: String, member: ModuleMember)] {
        var members: [(name: String, member: ModuleMember)] = [("weight", .parameter(weight))]
        if let bias { members.append(("bias", .parameter(bias))) }
        return members
    }

    /// `input · weightᵀ + bias` for input `[..., inputFeatures]`.
    public func forward(_ input: Variable) -> Variable {
        precondition(
            input.rank >= 1 && input.shape[input.rank - 1] == inputFeatures,
            "Linear: input \(input.shape) does not end in inputFeatures \(inputFeatures)")
        return Variable.linear(input, weight: weight, bias: bias)
    }
}
