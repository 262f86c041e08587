public import ForgeAutograd
public import ForgeTensor

/// A 2-D convolution over `[N, C, H, W]` images, PyTorch's `nn.Conv2d`.
///
/// The weight is `[outputChannels, inputChannels / groups, kernelHeight, kernelWidth]` and the bias
/// `[outputChannels]`. Both are initialized as PyTorch does: the weight with
/// ``Initializer/kaimingUniform(nonlinearity:mode:)`` with `a = √5` and the bias uniform in `±1/√fanIn`
/// — so both are uniform in `±1/√(inputChannels / groups · kernelHeight · kernelWidth)`.
///
/// ```swift
/// var generator = RandomGenerator(seed: 0)
/// let conv = Conv2d(inputChannels: 1, outputChannels: 8, kernelSize: 3, padding: 1, generator: &generator)
/// let features = conv(Variable(images))   // [N, 1, 28, 28] → [N, 8, 28, 28]
/// ```
public final class Conv2d: Module, Layer {
    /// `[outputChannels, inputChannels / groups, kernelHeight, kernelWidth]`.
    public let weight: Variable
    /// `[outputChannels]`, or nil when the layer has no bias.
    public let bias: Variable?
    /// Stride, padding, dilation and groups.
    public let parameters: Conv2dParameters

    /// The number of channels of the input.
    public var inputChannels: Int { weight.shape[1] * parameters.groups }
    /// The number of channels of the output.
    public var outputChannels: Int { weight.shape[0] }
    /// The kernel's `(height, width)`.
    public var kernelSize: (height: Int, width: Int) { (weight.shape[2], weight.shape[3]) }

    /// Creates a convolution with PyTorch's default initialization drawn from `generator`.
    ///
    /// - Parameters:
    ///   - inputChannels: channels of the input; divisible by `groups`.
    ///   - outputChannels: channels of the output (the number of filters); divisible by `groups`.
    ///   - kernelSize: the filter's `(height, width)`.
    ///   - stride: the step between windows.
    ///   - padding: zeros added on each side.
    ///   - dilation: the spacing between kernel taps.
    ///   - groups: the number of channel groups (`inputChannels` for a depthwise convolution).
    ///   - bias: whether to add a learned bias per output channel.
    ///   - generator: the random stream the initial values are drawn from.
    public init(
        inputChannels: Int, outputChannels: Int, kernelSize: (height: Int, width: Int),
        stride: (height: Int, width: Int) = (1, 1), padding: (height: Int, width: Int) = (0, 0),
        dilation: (height: Int, width: Int) = (1, 1), groups: Int = 1, bias: Bool = true,
        generator: inout RandomGenerator
    ) {
        precondition(
            inputChannels > 0 && outputChannels > 0 && kernelSize.height > 0 && kernelSize.width > 0,
            "Conv2d: channels and kernel size must be positive, got inputChannels \(inputChannels), "
                + "outputChannels \(outputChannels), kernel \(kernelSize.height)×\(kernelSize.width)")
        precondition(
            groups >= 1 && inputChannels % groups == 0 && outputChannels % groups == 0,
            "Conv2d: inputChannels \(inputChannels) and outputChannels \(outputChannels) must be divisible by "
                + "groups \(groups)")
        parameters = Conv2dParameters(stride: stride, padding: padding, dilation: dilation, groups: groups)
        let shape = [outputChannels, inputChannels / groups, kernelSize.height, kernelSize.width]
        weight = Variable(
            Initializer.kaimingUniform(nonlinearity: .leakyRelu(negativeSlope: 5.0.squareRoot()))
                .makeTensor(shape: shape, generator: &generator),
            requiresGradient: true)
        let bound = 1 / Double(Initializer.fans(of: shape).fanIn).squareRoot()
        self.bias =
            bias
            ? Variable(
                Tensor.uniform(shape: [outputChannels], low: -bound, high: bound, generator: &generator),
                requiresGradient: true)
            : nil
        super.init()
    }

    /// Creates a convolution with square kernel, stride, padding and dilation, drawn from `generator`.
    public convenience init(
        inputChannels: Int, outputChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
        dilation: Int = 1, groups: Int = 1, bias: Bool = true, generator: inout RandomGenerator
    ) {
        self.init(
            inputChannels: inputChannels, outputChannels: outputChannels, kernelSize: (kernelSize, kernelSize),
            stride: (stride, stride), padding: (padding, padding), dilation: (dilation, dilation), groups: groups,
            bias: bias, generator: &generator)
    }

    /// Creates a convolution with square kernel, stride, padding and dilation, seeded with `seed`.
    public convenience init(
        inputChannels: Int, outputChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
        dilation: Int = 1, groups: Int = 1, bias: Bool = true, seed: UInt64 = 0
    ) {
        var generator = RandomGenerator(seed: seed)
        self.init(
            inputChannels: inputChannels, outputChannels: outputChannels, kernelSize: kernelSize, stride: stride,
            padding: padding, dilation: dilation, groups: groups, bias: bias, generator: &generator)
    }

    /// `weight` then `bias`, named as PyTorch names them (no reflection).
    public override func namedMembers() -> [(name: String, member: ModuleMember)] {
        var members: [(name: String, member: ModuleMember)] = [("weight", .parameter(weight))]
        if let bias { members.append(("bias", .parameter(bias))) }
        return members
    }

    /// The convolution of `input` `[N, inputChannels, H, W]`, giving `[N, outputChannels, H', W']`.
    public func forward(_ input: Variable) -> Variable {
        precondition(
            input.rank == 4 && input.shape[1] == inputChannels,
            "Conv2d: input \(input.shape) must be [N, \(inputChannels), H, W] for weight \(weight.shape) "
                + "with groups \(parameters.groups)")
        return Variable.conv2d(input, weight: weight, bias: bias, parameters: parameters)
    }
}
