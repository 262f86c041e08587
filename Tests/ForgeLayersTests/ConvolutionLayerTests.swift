import ForgeAutograd
import ForgeLayers
import ForgeTensor
import Testing

/// A direct, loop-by-loop 2-D convolution in Double: the oracle for the layers.
private func naiveConv2d(
    input: Tensor, weight: Tensor, bias: Tensor?, stride: (Int, Int), padding: (Int, Int), dilation: (Int, Int),
    groups: Int
) -> Tensor {
    let (n, c, h, w) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
    let (o, cg, kh, kw) = (weight.shape[0], weight.shape[1], weight.shape[2], weight.shape[3])
    let ho = (h + 2 * padding.0 - dilation.0 * (kh - 1) - 1) / stride.0 + 1
    let wo = (w + 2 * padding.1 - dilation.1 * (kw - 1) - 1) / stride.1 + 1
    let x = input.doubleScalars
    let k = weight.doubleScalars
    let b = bias?.doubleScalars
    var out = [Double](repeating: 0, count: n * o * ho * wo)
    let outputsPerGroup = o / groups
    for image in 0..<n {
        for filter in 0..<o {
            let group = filter / outputsPerGroup
            for i in 0..<ho {
                for j in 0..<wo {
                    var sum = b?[filter] ?? 0
                    for channel in 0..<cg {
                        let inputChannel = group * cg + channel
                        for a in 0..<kh {
                            for bb in 0..<kw {
                                let row = i * stride.0 - padding.0 + a * dilation.0
                                let column = j * stride.1 - padding.1 + bb * dilation.1
                                guard row >= 0, row < h, column >= 0, column < w else { continue }
                                sum +=
                                    k[((filter * cg + channel) * kh + a) * kw + bb]
                                    * x[((image * c + inputChannel) * h + row) * w + column]
                            }
                        }
                    }
                    out[((image * o + filter) * ho + i) * wo + j] = sum
                }
            }
        }
    }
    _ = c
    return Tensor(out, shape: [n, o, ho, wo])
}

@Suite("Convolution layers")
struct ConvolutionLayerTests {
    @Test func conv2dDefaultInitializationMatchesPyTorch() {
        let conv = Conv2d(inputChannels: 6, outputChannels: 16, kernelSize: 5, groups: 2, seed: 3)
        #expect(conv.weight.shape == [16, 3, 5, 5])
        #expect(conv.bias?.shape == [16])
        #expect(conv.namedParameters().map(\.name) == ["weight", "bias"])
        let bound = 1 / 75.0.squareRoot()  // fan-in = 3 · 5 · 5
        let weights = conv.weight.value.doubleScalars
        #expect(weights.allSatisfy { Swift.abs($0) <= bound } && weights.max()! > 0.95 * bound)
        #expect(conv.bias!.value.doubleScalars.allSatisfy { Swift.abs($0) <= bound })
        #expect(Swift.abs(moments(conv.weight.value).standardDeviation - bound / 3.0.squareRoot()) < 0.1 * bound)
        #expect(conv.inputChannels == 6 && conv.outputChannels == 16 && conv.kernelSize == (5, 5))
    }

    @Test(arguments: [
        (stride: 1, padding: 0, dilation: 1, groups: 1),
        (stride: 2, padding: 1, dilation: 1, groups: 1),
        (stride: 1, padding: 2, dilation: 2, groups: 2),
        (stride: 2, padding: 1, dilation: 1, groups: 4),
    ])
    func conv2dMatchesNaiveOracle(configuration: (stride: Int, padding: Int, dilation: Int, groups: Int)) {
        var generator = RandomGenerator(seed: 21)
        let conv = Conv2d(
            inputChannels: 4, outputChannels: 8, kernelSize: 3, stride: configuration.stride,
            padding: configuration.padding, dilation: configuration.dilation, groups: configuration.groups,
            generator: &generator)
        let input = Tensor.normal(shape: [2, 4, 7, 6], generator: &generator)
        let output = conv(Variable(input)).value
        let expected = naiveConv2d(
            input: input, weight: conv.weight.value, bias: conv.bias?.value,
            stride: (configuration.stride, configuration.stride),
            padding: (configuration.padding, configuration.padding),
            dilation: (configuration.dilation, configuration.dilation), groups: configuration.groups)
        #expect(maximumDifference(output, expected) < 1e-5)
    }

    @Test func conv2dRectangularKernelWithoutBiasAndGradients() throws {
        var generator = RandomGenerator(seed: 22)
        let conv = Conv2d(
            inputChannels: 2, outputChannels: 3, kernelSize: (2, 3), stride: (1, 2), padding: (1, 0), bias: false,
            generator: &generator)
        #expect(conv.bias == nil && conv.namedParameters().map(\.name) == ["weight"])
        let input = Tensor.normal(shape: [1, 2, 5, 7], generator: &generator)
        let output = conv(Variable(input))
        let expected = naiveConv2d(
            input: input, weight: conv.weight.value, bias: nil, stride: (1, 2), padding: (1, 0), dilation: (1, 1),
            groups: 1)
        #expect(output.shape == [1, 3, 6, 3])
        #expect(maximumDifference(output.value, expected) < 1e-5)
        try output.sum().backward()
        #expect(conv.weight.gradient?.shape == [3, 2, 2, 3])
    }

    @Test func conv1dMatchesOracleAsHeightOneConv2d() throws {
        var generator = RandomGenerator(seed: 23)
        let conv = Conv1d(
            inputChannels: 4, outputChannels: 6, kernelSize: 3, stride: 2, padding: 1, dilation: 1, groups: 2,
            generator: &generator)
        #expect(conv.weight.shape == [6, 2, 3] && conv.bias?.shape == [6])
        let bound = 1 / 6.0.squareRoot()  // fan-in = 2 · 3
        #expect(conv.weight.value.doubleScalars.allSatisfy { Swift.abs($0) <= bound })
        let input = Tensor.normal(shape: [2, 4, 9], generator: &generator)
        let output = conv(Variable(input))
        #expect(output.shape == [2, 6, 5])
        let expected = naiveConv2d(
            input: input.reshaped([2, 4, 1, 9]), weight: conv.weight.value.reshaped([6, 2, 1, 3]),
            bias: conv.bias?.value, stride: (1, 2), padding: (0, 1), dilation: (1, 1), groups: 2)
        #expect(maximumDifference(output.value, expected.reshaped([2, 6, 5])) < 1e-5)
        try output.sum().backward()
        #expect(conv.weight.gradient?.shape == [6, 2, 3])
        #expect(conv.bias?.gradient?.doubleScalars == [Double](repeating: 10, count: 6))
    }

    @Test func conv1dGradientCheck() {
        var generator = RandomGenerator(seed: 24)
        let conv = Conv1d(inputChannels: 2, outputChannels: 3, kernelSize: 2, dilation: 2, generator: &generator)
        let input = Tensor.normal(shape: [2, 2, 6], generator: &generator)
        let result = gradientCheck(inputs: [input, conv.weight.value, conv.bias!.value]) { v in
            let planar = Variable.conv2d(
                v[0].unsqueezed(axis: 2), weight: v[1].unsqueezed(axis: 2), bias: v[2], parameters: conv.parameters)
            return planar.squeezed(axis: 2)
        }
        #expect(result.passed, "\(result)")
    }
}
