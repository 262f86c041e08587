/// The hyperparameters of a 2-D convolution: stride, zero padding, dilation and groups.
///
/// Values are checked when the parameters are built, so a kernel never sees a zero stride:
///
/// ```swift
/// let parameters = Conv2dParameters(stride: (2, 2), padding: (1, 1))
/// let output = Tensor.conv2d(input: images, weight: filters, bias: nil, parameters: parameters)
/// ```
///
/// The names follow PyTorch's `torch.nn.functional.conv2d`; each pair is `(height, width)`.
public struct Conv2dParameters: Sendable, Hashable, CustomStringConvertible {
    /// The step between neighbouring windows, in input elements.
    public let stride: (height: Int, width: Int)
    /// The number of implicit zeros added on both sides of each spatial dimension.
    public let padding: (height: Int, width: Int)
    /// The spacing between kernel taps (1 is a dense kernel).
    public let dilation: (height: Int, width: Int)
    /// The number of channel groups; input and output channels must both be divisible by it.
    public let groups: Int

    /// Creates convolution parameters, trapping on a non-positive stride or dilation, a negative
    /// padding or fewer than one group.
    ///
    /// - Parameters:
    ///   - stride: the step between windows, `(height, width)`; both at least 1.
    ///   - padding: zeros added on each side, `(height, width)`; both at least 0.
    ///   - dilation: the spacing between kernel taps, `(height, width)`; both at least 1.
    ///   - groups: the number of channel groups (1 is an ordinary convolution; the channel count is a
    ///     depthwise convolution).
    public init(
        stride: (height: Int, width: Int) = (1, 1),
        padding: (height: Int, width: Int) = (0, 0),
        dilation: (height: Int, width: Int) = (1, 1),
        groups: Int = 1
    ) {
        precondition(
            stride.height >= 1 && stride.width >= 1,
            "Conv2dParameters: stride \(stride.height)×\(stride.width) must be at least 1 in both dimensions")
        precondition(
            padding.height >= 0 && padding.width >= 0,
            "Conv2dParameters: padding \(padding.height)×\(padding.width) must not be negative")
        precondition(
            dilation.height >= 1 && dilation.width >= 1,
            "Conv2dParameters: dilation \(dilation.height)×\(dilation.width) must be at least 1 in both dimensions")
        precondition(groups >= 1, "Conv2dParameters: groups \(groups) must be at least 1")
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
        self.groups = groups
    }

    /// Parameters with the same stride, padding and dilation in both spatial dimensions.
    ///
    /// ```swift
    /// let same = Conv2dParameters.uniform(padding: 1)  // a 3×3 "same" convolution
    /// ```
    public static func uniform(stride: Int = 1, padding: Int = 0, dilation: Int = 1, groups: Int = 1)
        -> Conv2dParameters
    {
        Conv2dParameters(
            stride: (stride, stride), padding: (padding, padding), dilation: (dilation, dilation), groups: groups)
    }

    /// The spatial size of the output for an input of `input` size and a kernel of `kernel` size,
    /// PyTorch's `floor((in + 2·padding − dilation·(kernel − 1) − 1) / stride) + 1` per dimension.
    ///
    /// Traps when the padded input is smaller than the dilated kernel (the output would be empty).
    public func outputSize(input: (height: Int, width: Int), kernel: (height: Int, width: Int)) -> (
        height: Int, width: Int
    ) {
        outputSize(input: input, kernel: kernel, operation: "conv2d")
    }

    /// ``outputSize(input:kernel:)`` with `operation` named in the trap message.
    func outputSize(input: (height: Int, width: Int), kernel: (height: Int, width: Int), operation: String) -> (
        height: Int, width: Int
    ) {
        let height = Self.outputLength(
            input: input.height, kernel: kernel.height, stride: stride.height, padding: padding.height,
            dilation: dilation.height)
        let width = Self.outputLength(
            input: input.width, kernel: kernel.width, stride: stride.width, padding: padding.width,
            dilation: dilation.width)
        precondition(
            height >= 1 && width >= 1,
            "\(operation): input \(input.height)×\(input.width) with padding \(padding.height)×\(padding.width) "
                + "is smaller than the kernel \(kernel.height)×\(kernel.width) dilated by "
                + "\(dilation.height)×\(dilation.width); the output would be \(height)×\(width)")
        return (height, width)
    }

    /// The output length along one dimension (may be zero or negative when the kernel does not fit).
    @inline(__always)
    static func outputLength(input: Int, kernel: Int, stride: Int, padding: Int, dilation: Int) -> Int {
        let span = input + 2 * padding - dilation * (kernel - 1) - 1
        // Floor division: a negative span must not round toward zero into a bogus length of 1.
        return (span >= 0 ? span / stride : -((-span + stride - 1) / stride)) + 1
    }

    /// A PyTorch-like summary, e.g. `Conv2dParameters(stride: 2×2, padding: 1×1, dilation: 1×1, groups: 1)`.
    public var description: String {
        "Conv2dParameters(stride: \(stride.height)×\(stride.width), padding: \(padding.height)×\(padding.width), "
            + "dilation: \(dilation.height)×\(dilation.width), groups: \(groups))"
    }

    /// Whether two parameter sets describe the same convolution.
    public static func == (lhs: Conv2dParameters, rhs: Conv2dParameters) -> Bool {
        lhs.stride == rhs.stride && lhs.padding == rhs.padding && lhs.dilation == rhs.dilation
            && lhs.groups == rhs.groups
    }

    /// Hashes every field.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(stride.height)
        hasher.combine(stride.width)
        hasher.combine(padding.height)
        hasher.combine(padding.width)
        hasher.combine(dilation.height)
        hasher.combine(dilation.width)
        hasher.combine(groups)
    }
}
