public import ForgeAutograd
public import ForgeTensor

/// A 1-D convolution over `[N, C, L]` sequences, PyTorch's `nn.Conv1d`.
///
/// The weight is `[outputChannels, inputChannels / groups, kernelSize]`, initialized like PyTorch's
/// (uniform in `±1/√(inputChannels / groups · kernelSize)`, the bias too). It runs as a 2-D convolution
/// over a height-1 view of the input, so it shares that kernel's speed and gradients.
///
/// ```swift
/// let conv = Conv1d(inputChannels: 16, outputChannels: 32, kernelSize: 5, padding: 2, seed: 0)
/// let features = conv(Variable(signals))   // [N, 16, L] → [N, 32, L]
/// ```
public final class Conv1d: Module, Layer {
    /// `[outputChannels, inputChannels / groups, kernelSize]`.
    public let weight: Variable
    /// `[outputChannels]`, or nil when the layer has no bias.
    public let bias: Variable?
    /// The 2-D parameters the layer runs with (height 1).
    public let parameters: Conv2dParameters

    /// The number of channels of the input.
    public var inputChannels: Int { weight.shape[1] * parameters.groups }
    /// The number of channels of the output.
    public var outputChannels: Int { weight.shape[0] }
    /// The length of the filter.
    public var kernelSize: Int { weight.shape[2] }

    /// Creates a convolution with PyTorch's default initialization drawn from `generator`.
    ///
    /// - Parameters:
    ///   - inputChannels: channels of the input; divisible by `groups`.
    ///   - outputChannels: channels of the output; divisible by `groups`.
    ///   - kernelSize: the filter length.
    ///   - stride: the step between windows.
    ///   - padding: zeros added at both ends.
    ///   - dilation: the spacing between kernel taps.
    ///   - groups: the number of channel groups.
    ///   - bias: whether to add a learned bias per output channel.
    ///   - generator: the random stream the initial values are drawn from.
    public init(
        inputChannels: Int, outputChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
        dilation: Int = 1, groups: Int = 1, bias: Bool = true, generator: inout RandomGenerator
    ) {
        let planar = Conv2d(
            inputChannels: inputChannels, outputChannels: outputChannels, kernelSize: (1, kernelSize),
            stride: (1, stride), padding: (0, padding), dilation: (1, dilation), groups: groups, bias: bias,
            generator: &generator)
        weight = Variable(
            planar.weight.value.reshaped([outputChannels, inputChannels / groups, kernelSize]),
            requiresGradient: true)
        self.bias = planar.bias
        parameters = planar.parameters
        super.init()
    }

    /// Creates a convolution with PyTorch's default initialization, seeded with `seed`.
    public convenience init(
        inputChannels: Int, outputChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
        dilation: Int = 1, groups: Int = 1, bias: Bool = true, seed: UInt64 = 0
    ) {
        var generator = RandomGenerator(seed: seed)
        self.init(
            inputChannels: inputChannels, outputChannels: outputChannels, kernelSize: kernelSize, stride: stride,
            padding: padding, dilation: dilation, groups: groups, bias: bias, generator: &generator)
    }

    /// `weight` then `bias`, named as PyTorch names them.
    public override func namedMembers() -> [(name: String, member: ModuleMember)] {
        var members: [(name: String, member: ModuleMember)] = [("weight", .parameter(weight))]
        if let bias { members.append(("bias", .parameter(bias))) }
        return members
    }

    /// The convolution of `input` `[N, inputChannels, L]`, giving `[N, outputChannels, L']`.
    public func forward(_ input: Variable) -> Variable {
        precondition(
            input.rank == 3 && input.shape[1] == inputChannels,
            "Conv1d: input \(input.shape) must be [N, \(inputChannels), L] for weight \(weight.shape) "
                + "with groups \(parameters.groups)")
        let planarInput = input.unsqueezed(axis: 2)
        let planarWeight = weight.unsqueezed(axis: 2)
        return Variable.conv2d(planarInput, weight: planarWeight, bias: bias, parameters: parameters).squeezed(axis: 2)
    }
}
