/// The sizes of one max- or average-pooling call, checked once and shared by forward and backward.
///
/// Input `[N, C, H, W]` and output `[N, C, Ho, Wo]` are contiguous; every (image, channel) plane is
/// pooled independently, so the kernels split the work over the `N·C` planes.
struct Pool2dGeometry {
    let batch: Int
    let channels: Int
    let inputHeight: Int
    let inputWidth: Int
    let kernel: (height: Int, width: Int)
    let stride: (height: Int, width: Int)
    let padding: (height: Int, width: Int)
    let dilation: (height: Int, width: Int)
    let outputHeight: Int
    let outputWidth: Int

    /// Checks the arguments as PyTorch does (padding at most half the kernel, so no window lies wholly
    /// in the padding), trapping with a message that names `operation` otherwise.
    init(
        inputShape: [Int], kernelSize: (height: Int, width: Int), stride: (height: Int, width: Int)?,
        padding: (height: Int, width: Int), dilation: (height: Int, width: Int), operation: String
    ) {
        precondition(
            inputShape.count == 4,
            "\(operation): input \(inputShape) must have rank 4 [batch, channels, height, width]")
        Shape.validate(inputShape, operation: operation)
        let stride = stride ?? kernelSize
        precondition(
            kernelSize.height >= 1 && kernelSize.width >= 1,
            "\(operation): kernel size \(kernelSize.height)×\(kernelSize.width) must be at least 1 in both dimensions")
        precondition(
            stride.height >= 1 && stride.width >= 1,
            "\(operation): stride \(stride.height)×\(stride.width) must be at least 1 in both dimensions")
        precondition(
            dilation.height >= 1 && dilation.width >= 1,
            "\(operation): dilation \(dilation.height)×\(dilation.width) must be at least 1 in both dimensions")
        precondition(
            padding.height >= 0 && padding.width >= 0 && padding.height <= kernelSize.height / 2
                && padding.width <= kernelSize.width / 2,
            "\(operation): padding \(padding.height)×\(padding.width) must be between 0 and half the kernel size "
                + "\(kernelSize.height)×\(kernelSize.width)")
        batch = inputShape[0]
        channels = inputShape[1]
        inputHeight = inputShape[2]
        inputWidth = inputShape[3]
        kernel = kernelSize
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
        outputHeight = Conv2dParameters.outputLength(
            input: inputHeight, kernel: kernel.height, stride: stride.height, padding: padding.height,
            dilation: dilation.height)
        outputWidth = Conv2dParameters.outputLength(
            input: inputWidth, kernel: kernel.width, stride: stride.width, padding: padding.width,
            dilation: dilation.width)
        precondition(
            outputHeight >= 1 && outputWidth >= 1,
            "\(operation): input \(inputShape) with padding \(padding.height)×\(padding.width) is smaller than the "
                + "kernel \(kernel.height)×\(kernel.width) dilated by \(dilation.height)×\(dilation.width)")
    }

    var planes: Int { batch * channels }
    var inputPlane: Int { inputHeight * inputWidth }
    var outputPlane: Int { outputHeight * outputWidth }
    var inputShape: [Int] { [batch, channels, inputHeight, inputWidth] }
    var outputShape: [Int] { [batch, channels, outputHeight, outputWidth] }

    /// How many planes a thread must get before the work is split (about 32k window taps per thread).
    var planeGrain: Int { max(1, 32_768 / max(outputPlane * kernel.height * kernel.width, 1)) }

    /// The kernel taps `start..<end` along one dimension whose input position `origin + tap·dilation`
    /// lies in `0..<length`.
    @inline(__always)
    static func taps(origin: Int, dilation: Int, kernel: Int, length: Int) -> Range<Int> {
        let start = origin >= 0 ? 0 : min((-origin + dilation - 1) / dilation, kernel)
        let last = length - 1 - origin
        let end = last < 0 ? 0 : min(last / dilation + 1, kernel)
        return start..<max(start, end)
    }
}
