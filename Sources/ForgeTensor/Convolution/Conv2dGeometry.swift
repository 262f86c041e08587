/// The sizes of one conv2d call, checked once and shared by the forward and backward kernels.
///
/// Layouts (all row-major, contiguous): input `[N, C, H, W]`, weight `[O, C/groups, kH, kW]`, output
/// `[N, O, Ho, Wo]`. The im2col matrix of a group has `(C/groups)·kH·kW` rows — the length of one
/// weight row — and one column per output position.
struct Conv2dGeometry {
    let batch: Int
    let inputChannels: Int
    let inputHeight: Int
    let inputWidth: Int
    let outputChannels: Int
    let kernelHeight: Int
    let kernelWidth: Int
    let outputHeight: Int
    let outputWidth: Int
    let parameters: Conv2dParameters

    /// Checks that `inputShape`, `weightShape` and `parameters` describe a valid convolution, trapping
    /// with a message that names `operation` and the shapes otherwise.
    init(inputShape: [Int], weightShape: [Int], parameters: Conv2dParameters, operation: String) {
        precondition(
            inputShape.count == 4,
            "\(operation): input \(inputShape) must have rank 4 [batch, channels, height, width]")
        precondition(
            weightShape.count == 4,
            "\(operation): weight \(weightShape) must have rank 4 "
                + "[outputChannels, channels / groups, kernelHeight, kernelWidth]")
        Shape.validate(inputShape, operation: operation)
        Shape.validate(weightShape, operation: operation)
        let groups = parameters.groups
        precondition(
            inputShape[1] == weightShape[1] * groups,
            "\(operation): input \(inputShape) has \(inputShape[1]) channels, weight \(weightShape) expects "
                + "\(weightShape[1]) × groups \(groups)")
        precondition(
            weightShape[0] % groups == 0,
            "\(operation): weight \(weightShape) has \(weightShape[0]) output channels, "
                + "not divisible by groups \(groups)")
        precondition(
            weightShape[2] >= 1 && weightShape[3] >= 1,
            "\(operation): weight \(weightShape) has an empty kernel")
        batch = inputShape[0]
        inputChannels = inputShape[1]
        inputHeight = inputShape[2]
        inputWidth = inputShape[3]
        outputChannels = weightShape[0]
        kernelHeight = weightShape[2]
        kernelWidth = weightShape[3]
        self.parameters = parameters
        (outputHeight, outputWidth) = parameters.outputSize(
            input: (inputHeight, inputWidth), kernel: (kernelHeight, kernelWidth), operation: operation)
    }

    var groups: Int { parameters.groups }
    var inputChannelsPerGroup: Int { inputChannels / groups }
    var outputChannelsPerGroup: Int { outputChannels / groups }
    var kernelArea: Int { kernelHeight * kernelWidth }
    /// Rows of one group's im2col matrix: the length of a weight row.
    var rowsPerGroup: Int { inputChannelsPerGroup * kernelArea }
    /// Rows of the whole im2col matrix (every group stacked).
    var columnRows: Int { inputChannels * kernelArea }
    var inputPlane: Int { inputHeight * inputWidth }
    var outputPlane: Int { outputHeight * outputWidth }
    var inputShape: [Int] { [batch, inputChannels, inputHeight, inputWidth] }
    var weightShape: [Int] { [outputChannels, inputChannelsPerGroup, kernelHeight, kernelWidth] }
    var outputShape: [Int] { [batch, outputChannels, outputHeight, outputWidth] }

    /// Whether the convolution is a plain matrix product per image (1×1 kernel, stride 1, no padding),
    /// so an image `[C, H·W]` already is its own im2col matrix.
    var isPointwise: Bool {
        kernelHeight == 1 && kernelWidth == 1 && parameters.stride == (1, 1) && parameters.padding == (0, 0)
    }

    /// Whether some dimension is empty, so the kernels have nothing to multiply.
    var isEmpty: Bool {
        batch == 0 || outputChannels == 0 || inputChannelsPerGroup == 0 || outputPlane == 0
    }

    /// How many images share one im2col buffer and one GEMM per group.
    ///
    /// Small images are batched until a GEMM is at least ``minimumColumns`` wide, so BLAS amortises its
    /// packing and can use its threads; the buffer stays under ``columnBudget`` elements so it stays in
    /// cache between im2col and the GEMM. A pointwise convolution over large images returns 1, which
    /// lets the kernels skip im2col entirely.
    var imagesPerChunk: Int {
        let positions = max(outputPlane, 1)
        var images = (Self.minimumColumns + positions - 1) / positions
        images = min(images, Self.columnBudget / max(columnRows * positions, 1))
        return max(1, min(images, batch))
    }

    /// The GEMM width (columns) below which images are batched together.
    static let minimumColumns = 4096
    /// The largest im2col buffer, in elements, that batching may build.
    static let columnBudget = 1 << 20
}
