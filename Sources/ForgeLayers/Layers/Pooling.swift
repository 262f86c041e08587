public import ForgeAutograd
import ForgeTensor

/// 2-D max pooling over `[N, C, H, W]`, PyTorch's `nn.MaxPool2d`. Has no parameters.
///
/// ```swift
/// let pool = MaxPool2d(kernelSize: 2)        // stride defaults to the kernel size
/// let halved = pool(Variable(features))       // [N, C, 28, 28] → [N, C, 14, 14]
/// ```
public final class MaxPool2d: Module, Layer {
    /// The window's `(height, width)`.
    public let kernelSize: (height: Int, width: Int)
    /// The step between windows.
    public let stride: (height: Int, width: Int)
    /// The −∞ padding on each side.
    public let padding: (height: Int, width: Int)

    /// Creates a max-pooling layer; `stride` defaults to `kernelSize`.
    public init(
        kernelSize: (height: Int, width: Int), stride: (height: Int, width: Int)? = nil,
        padding: (height: Int, width: Int) = (0, 0)
    ) {
        self.kernelSize = kernelSize
        self.stride = stride ?? kernelSize
        self.padding = padding
        super.init()
    }

    /// Creates a max-pooling layer with square window, stride and padding; `stride` defaults to `kernelSize`.
    public convenience init(kernelSize: Int, stride: Int? = nil, padding: Int = 0) {
        let step = stride ?? kernelSize
        self.init(kernelSize: (kernelSize, kernelSize), stride: (step, step), padding: (padding, padding))
    }

    /// No members.
    public override func namedMembers() -> [(name: String, member: ModuleMember)] { [] }

    /// The maximum of each window.
    public func forward(_ input: Variable) -> Variable {
        input.maxPool2d(kernelSize: kernelSize, stride: stride, padding: padding)
    }
}

/// 2-D average pooling over `[N, C, H, W]`, PyTorch's `nn.AvgPool2d`. Has no parameters.
public final class AvgPool2d: Module, Layer {
    /// The window's `(height, width)`.
    public let kernelSize: (height: Int, width: Int)
    /// The step between windows.
    public let stride: (height: Int, width: Int)
    /// The zero padding on each side.
    public let padding: (height: Int, width: Int)
    /// Whether padded zeros count in the divisor (PyTorch's `count_include_pad`, default true).
    public let countIncludePadding: Bool

    /// Creates an average-pooling layer; `stride` defaults to `kernelSize`.
    public init(
        kernelSize: (height: Int, width: Int), stride: (height: Int, width: Int)? = nil,
        padding: (height: Int, width: Int) = (0, 0), countIncludePadding: Bool = true
    ) {
        self.kernelSize = kernelSize
        self.stride = stride ?? kernelSize
        self.padding = padding
        self.countIncludePadding = countIncludePadding
        super.init()
    }

    /// Creates an average-pooling layer with square window, stride and padding.
    public convenience init(kernelSize: Int, stride: Int? = nil, padding: Int = 0, countIncludePadding: Bool = true) {
        let step = stride ?? kernelSize
        self.init(
            kernelSize: (kernelSize, kernelSize), stride: (step, step), padding: (padding, padding),
            countIncludePadding: countIncludePadding)
    }

    /// No members.
    public override func namedMembers() -> [(name: String, member: ModuleMember)] { [] }

    /// The mean of each window.
    public func forward(_ input: Variable) -> Variable {
        input.avgPool2d(
            kernelSize: kernelSize, stride: stride, padding: padding, countIncludePadding: countIncludePadding)
    }
}

/// Average pooling to a fixed output size whatever the input size, PyTorch's `nn.AdaptiveAvgPool2d`.
///
/// Output cell `(i, j)` averages input rows `⌊i·H/h⌋ ..< ⌈(i+1)·H/h⌉` and the matching columns.
/// `AdaptiveAvgPool2d(outputSize: 1)` is global average pooling.
public final class AdaptiveAvgPool2d: Module, Layer {
    /// The output's `(height, width)`.
    public let outputSize: (height: Int, width: Int)

    /// Creates an adaptive average-pooling layer with the given output size.
    public init(outputSize: (height: Int, width: Int)) {
        precondition(
            outputSize.height > 0 && outputSize.width > 0,
            "AdaptiveAvgPool2d: output size \(outputSize.height)×\(outputSize.width) must be positive")
        self.outputSize = outputSize
        super.init()
    }

    /// Creates an adaptive average-pooling layer with a square output.
    public convenience init(outputSize: Int) { self.init(outputSize: (outputSize, outputSize)) }

    /// No members.
    public override func namedMembers() -> [(name: String, member: ModuleMember)] { [] }

    /// `[N, C, H, W]` → `[N, C, outputSize.height, outputSize.width]`.
    public func forward(_ input: Variable) -> Variable {
        precondition(input.rank == 4, "AdaptiveAvgPool2d: input \(input.shape) must be [N, C, H, W]")
        return input.adaptiveAvgPool2d(outputSize: outputSize)
    }
}
