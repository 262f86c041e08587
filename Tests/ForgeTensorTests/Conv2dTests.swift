import Foundation
import Testing

@testable import ForgeTensor

/// One convolution configuration checked against the nested-loop definition.
struct ConvCase: Sendable, CustomTestStringConvertible {
    /// How the input tensor is laid out in memory.
    enum Layout: Sendable {
        /// Row-major NCHW.
        case contiguous
        /// NHWC storage seen through a permuted NCHW view (not contiguous).
        case channelsLast
        /// A contiguous view at a non-zero offset (the middle of a larger batch).
        case offset
    }

    var name: String
    var inputShape: [Int]
    var outputChannels: Int
    var kernel: (height: Int, width: Int)
    var stride: (height: Int, width: Int) = (1, 1)
    var padding: (height: Int, width: Int) = (0, 0)
    var dilation: (height: Int, width: Int) = (1, 1)
    var groups = 1
    var hasBias = true
    var layout = Layout.contiguous

    var testDescription: String { name }
    var parameters: Conv2dParameters {
        Conv2dParameters(stride: stride, padding: padding, dilation: dilation, groups: groups)
    }
    var weightShape: [Int] { [outputChannels, inputShape[1] / groups, kernel.height, kernel.width] }
}

@Suite("Conv2d kernels")
struct Conv2dTests {
    // MARK: - Oracle

    /// The convolution straight from its definition, in Double.
    static func referenceConv2d(
        input: [Double], inputShape: [Int], weight: [Double], weightShape: [Int], bias: [Double]?,
        parameters p: Conv2dParameters
    ) -> (values: [Double], shape: [Int]) {
        let (batch, channels, height, width) = (inputShape[0], inputShape[1], inputShape[2], inputShape[3])
        let (outputChannels, groupChannels, kernelHeight, kernelWidth) =
            (weightShape[0], weightShape[1], weightShape[2], weightShape[3])
        #expect(channels == groupChannels * p.groups)
        let outputHeight =
            (height + 2 * p.padding.height - p.dilation.height * (kernelHeight - 1) - 1) / p.stride.height + 1
        let outputWidth = (width + 2 * p.padding.width - p.dilation.width * (kernelWidth - 1) - 1) / p.stride.width + 1
        let shape = [batch, outputChannels, outputHeight, outputWidth]
        var output = [Double](repeating: 0, count: shape.reduce(1, *))
        let outputsPerGroup = outputChannels / p.groups
        for n in 0..<batch {
            for o in 0..<outputChannels {
                let group = o / outputsPerGroup
                for i in 0..<outputHeight {
                    for j in 0..<outputWidth {
                        var total = bias?[o] ?? 0
                        for c in 0..<groupChannels {
                            for a in 0..<kernelHeight {
                                for b in 0..<kernelWidth {
                                    let row = i * p.stride.height - p.padding.height + a * p.dilation.height
                                    let column = j * p.stride.width - p.padding.width + b * p.dilation.width
                                    guard row >= 0, row < height, column >= 0, column < width else { continue }
                                    total +=
                                        input[
                                            ConvTesting.flatIndex(inputShape, n, group * groupChannels + c, row, column)
                                        ]
                                        * weight[ConvTesting.flatIndex(weightShape, o, c, a, b)]
                                }
                            }
                        }
                        output[ConvTesting.flatIndex(shape, n, o, i, j)] = total
                    }
                }
            }
        }
        return (output, shape)
    }

    /// A tensor of `dtype` holding `values` (logical NCHW order) in the requested memory layout.
    static func makeInput(_ values: [Double], shape: [Int], dtype: DType, layout: ConvCase.Layout) -> Tensor {
        switch layout {
        case .contiguous:
            return Tensor(values, shape: shape).converted(to: dtype)
        case .channelsLast:
            let (n, c, h, w) = (shape[0], shape[1], shape[2], shape[3])
            var stored = [Double](repeating: 0, count: values.count)
            for a in 0..<n {
                for b in 0..<c {
                    for y in 0..<h {
                        for x in 0..<w {
                            stored[((a * h + y) * w + x) * c + b] = values[ConvTesting.flatIndex(shape, a, b, y, x)]
                        }
                    }
                }
            }
            let view = Tensor(stored, shape: [n, h, w, c]).converted(to: dtype).permuted(0, 3, 1, 2)
            #expect(!view.isContiguous)
            return view
        case .offset:
            let padding = [Double](repeating: 99, count: values.count)
            var doubled = shape
            doubled[0] *= 3
            let view = Tensor(padding + values + padding, shape: doubled).converted(to: dtype)
                .narrowed(axis: 0, start: shape[0], length: shape[0])
            #expect(view.offset > 0)
            return view
        }
    }

    static let cases: [ConvCase] = [
        ConvCase(
            name: "3×3 padding 1, batch 2, bias", inputShape: [2, 3, 7, 6], outputChannels: 4, kernel: (3, 3),
            padding: (1, 1)),
        ConvCase(
            name: "stride 2, padding 1, rectangular 3×2 kernel, no bias", inputShape: [3, 2, 9, 8],
            outputChannels: 5, kernel: (3, 2), stride: (2, 2), padding: (1, 1), hasBias: false),
        ConvCase(
            name: "stride (2, 1), padding (0, 2)", inputShape: [2, 2, 7, 5], outputChannels: 3, kernel: (2, 3),
            stride: (2, 1), padding: (0, 2)),
        ConvCase(
            name: "dilation 2, padding 2", inputShape: [2, 3, 9, 10], outputChannels: 4, kernel: (3, 3),
            padding: (2, 2), dilation: (2, 2)),
        ConvCase(
            name: "dilation (1, 3) with stride 2", inputShape: [1, 2, 8, 11], outputChannels: 2, kernel: (2, 3),
            stride: (2, 2), padding: (1, 1), dilation: (1, 3)),
        ConvCase(
            name: "groups 2", inputShape: [2, 4, 6, 6], outputChannels: 6, kernel: (3, 3), padding: (1, 1),
            groups: 2),
        ConvCase(
            name: "depthwise (groups = channels), multiplier 2, stride 2", inputShape: [2, 3, 8, 7],
            outputChannels: 6, kernel: (3, 3), stride: (2, 2), padding: (1, 1), groups: 3),
        ConvCase(
            name: "channels-last permuted input view", inputShape: [2, 3, 6, 5], outputChannels: 4,
            kernel: (3, 3), padding: (1, 1), layout: .channelsLast),
        ConvCase(
            name: "input view at an offset, groups 3", inputShape: [2, 6, 5, 5], outputChannels: 3,
            kernel: (2, 2), groups: 3, layout: .offset),
        ConvCase(
            name: "1×1 on small images (batched im2col)", inputShape: [3, 4, 5, 5], outputChannels: 3,
            kernel: (1, 1)),
        ConvCase(
            name: "1×1 on large images (direct GEMM), groups 2", inputShape: [2, 4, 64, 64], outputChannels: 6,
            kernel: (1, 1), groups: 2, layout: .channelsLast),
        ConvCase(
            name: "one image per GEMM (64×64)", inputShape: [2, 1, 64, 64], outputChannels: 3, kernel: (3, 3),
            padding: (1, 1)),
        ConvCase(
            name: "several chunks with a partial last chunk", inputShape: [6, 2, 32, 32], outputChannels: 3,
            kernel: (3, 3), padding: (1, 1)),
        ConvCase(
            name: "kernel as large as the padded input", inputShape: [1, 2, 3, 4], outputChannels: 2,
            kernel: (5, 4), padding: (1, 0)),
    ]

    // MARK: - Forward

    @Test("conv2d matches the definition", arguments: cases, [DType.float64, .float32])
    func forwardMatchesOracle(testCase: ConvCase, dtype: DType) {
        var random = ConvTesting.Random(seed: 0xC0FFEE)
        let inputValues = random.values(testCase.inputShape.reduce(1, *))
        let weightValues = random.values(testCase.weightShape.reduce(1, *))
        let biasValues = testCase.hasBias ? random.values(testCase.outputChannels) : nil
        let input = Self.makeInput(inputValues, shape: testCase.inputShape, dtype: dtype, layout: testCase.layout)
        let weight = Tensor(weightValues, shape: testCase.weightShape).converted(to: dtype)
        let bias = biasValues.map { Tensor($0, shape: [testCase.outputChannels]).converted(to: dtype) }

        let output = Tensor.conv2d(input: input, weight: weight, bias: bias, parameters: testCase.parameters)
        let expected = Self.referenceConv2d(
            input: inputValues, inputShape: testCase.inputShape, weight: weightValues,
            weightShape: testCase.weightShape,
            bias: biasValues, parameters: testCase.parameters)

        #expect(output.dtype == dtype)
        #expect(output.isContiguous)
        let tolerance = dtype == .float64 ? 1e-10 : 1e-4
        let difference = ConvTesting.maximumDifference(output, expected.values, shape: expected.shape)
        #expect(difference <= tolerance, "\(testCase.name) \(dtype): max difference \(difference)")
    }

    @Test("a non-contiguous weight view gives the same result")
    func nonContiguousWeight() {
        var random = ConvTesting.Random(seed: 7)
        let input = random.tensor([2, 3, 6, 6])
        // Stored as [kW, kH, C, O], viewed as [O, C, kH, kW].
        let stored = random.tensor([2, 3, 3, 4])
        let weight = stored.permuted(3, 2, 1, 0)
        #expect(!weight.isContiguous)
        let parameters = Conv2dParameters.uniform(padding: 1)
        let viewed = Tensor.conv2d(input: input, weight: weight, bias: nil, parameters: parameters)
        let copied = Tensor.conv2d(input: input, weight: weight.contiguous(), bias: nil, parameters: parameters)
        #expect(viewed.doubleScalars == copied.doubleScalars)
    }

    @Test("hand-computed 3×3 input, 2×2 kernel, forward and all three gradients")
    func handComputedExample() {
        let input = Tensor((1...9).map(Double.init), shape: [1, 1, 3, 3])
        let weight = Tensor([1, 2, 3, 4] as [Double], shape: [1, 1, 2, 2])
        let bias = Tensor([1] as [Double], shape: [1])
        let output = Tensor.conv2d(input: input, weight: weight, bias: bias, parameters: Conv2dParameters())
        // 1·1 + 2·2 + 4·3 + 5·4 = 37, then 47, 67, 77; plus the bias 1.
        #expect(output.shape == [1, 1, 2, 2])
        #expect(output.scalars(as: Double.self) == [38, 48, 68, 78])

        let ones = Tensor.ones(shape: [1, 1, 2, 2], dtype: .float64)
        let inputGradient = Tensor.conv2dBackwardInput(
            outputGradient: ones, weight: weight, inputShape: [1, 1, 3, 3], parameters: Conv2dParameters())
        #expect(inputGradient.scalars(as: Double.self) == [1, 3, 2, 4, 10, 6, 3, 7, 4])
        let weightGradient = Tensor.conv2dBackwardWeight(
            outputGradient: ones, input: input, weightShape: [1, 1, 2, 2], parameters: Conv2dParameters())
        #expect(weightGradient.scalars(as: Double.self) == [12, 16, 24, 28])
        #expect(Tensor.conv2dBackwardBias(outputGradient: ones).scalars(as: Double.self) == [4])

        // Float32 and stride 2 with padding 1: windows at (-1, -1), (-1, 1), (1, -1), (1, 1).
        let strided = Tensor.conv2d(
            input: input.converted(to: .float32), weight: weight.converted(to: .float32), bias: nil,
            parameters: .uniform(stride: 2, padding: 1))
        // (-1,-1): only input(0,0)=1 under weight 4 → 4; (-1,1): 2·3 + 3·4 = 18; (1,-1): 4·2 + 7·4 = 36;
        // (1,1): 5·1 + 6·2 + 8·3 + 9·4 = 77.
        #expect(strided.dtype == .float32)
        #expect(strided.scalars(as: Float.self) == [4, 18, 36, 77])
    }

    @Test("empty batches and channel-less inputs give empty or bias-only results")
    func emptyDimensions() {
        let weight = Tensor.ones(shape: [2, 3, 3, 3], dtype: .float64)
        let bias = Tensor([0.5, -1] as [Double], shape: [2])
        let empty = Tensor.conv2d(
            input: Tensor.zeros(shape: [0, 3, 5, 5], dtype: .float64), weight: weight, bias: bias)
        #expect(empty.shape == [0, 2, 3, 3])
        let weightGradient = Tensor.conv2dBackwardWeight(
            outputGradient: empty, input: Tensor.zeros(shape: [0, 3, 5, 5], dtype: .float64),
            weightShape: [2, 3, 3, 3], parameters: Conv2dParameters())
        #expect(weightGradient.shape == [2, 3, 3, 3] && weightGradient.doubleScalars.allSatisfy { $0 == 0 })
        #expect(Tensor.conv2dBackwardBias(outputGradient: empty).scalars(as: Double.self) == [0, 0])

        // No input channels: every output element is its channel's bias.
        let channelless = Tensor.conv2d(
            input: Tensor.zeros(shape: [1, 0, 4, 4], dtype: .float64),
            weight: Tensor.zeros(shape: [2, 0, 3, 3], dtype: .float64), bias: bias)
        #expect(channelless.shape == [1, 2, 2, 2])
        #expect(channelless.scalars(as: Double.self) == [0.5, 0.5, 0.5, 0.5, -1, -1, -1, -1])
    }

    @Test("Conv2dParameters computes output sizes and compares by value")
    func parameters() {
        let parameters = Conv2dParameters(stride: (2, 3), padding: (1, 0), dilation: (2, 1), groups: 2)
        // H: (28 + 2 − 2·2 − 1) / 2 + 1 = 13; W: (28 − 2 − 1) / 3 + 1 = 9.
        let size = parameters.outputSize(input: (28, 28), kernel: (3, 3))
        #expect(size.height == 13 && size.width == 9)
        let same = Conv2dParameters.uniform(padding: 1).outputSize(input: (28, 28), kernel: (3, 3))
        #expect(same.height == 28 && same.width == 28)
        #expect(Conv2dParameters.uniform(stride: 2, padding: 1) == Conv2dParameters(stride: (2, 2), padding: (1, 1)))
        #expect(Conv2dParameters() != Conv2dParameters(groups: 2))
        #expect(Set([Conv2dParameters(), .uniform(), .uniform(dilation: 2)]).count == 2)
        #expect(parameters.description == "Conv2dParameters(stride: 2×3, padding: 1×0, dilation: 2×1, groups: 2)")
        #expect(Conv2dParameters.outputLength(input: 2, kernel: 5, stride: 2, padding: 0, dilation: 1) <= 0)
    }

    @Test("a channel mismatch traps with a message naming the op and both shapes")
    func channelMismatchTraps() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let input = Tensor.zeros(shape: [2, 3, 8, 8])
            let weight = Tensor.zeros(shape: [4, 2, 3, 3])
            _ = Tensor.conv2d(input: input, weight: weight, bias: nil)
        }
        let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        let expected = "conv2d: input [2, 3, 8, 8] has 3 channels, weight [4, 2, 3, 3] expects 2 × groups 1"
        #expect(message.contains(expected))
    }
}
