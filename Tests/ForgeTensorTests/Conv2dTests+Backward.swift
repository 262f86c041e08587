import Testing

@testable import ForgeTensor

extension Conv2dTests {
    static let gradientCases: [ConvCase] = [
        ConvCase(
            name: "stride 2, padding 1, rectangular kernel", inputShape: [2, 2, 5, 4], outputChannels: 3,
            kernel: (3, 2), stride: (2, 2), padding: (1, 1)),
        ConvCase(
            name: "dilation 2, padding 2", inputShape: [1, 2, 7, 7], outputChannels: 2, kernel: (3, 3),
            padding: (2, 2), dilation: (2, 2)),
        ConvCase(
            name: "groups 2", inputShape: [2, 4, 4, 4], outputChannels: 4, kernel: (3, 3), padding: (1, 1),
            groups: 2),
        ConvCase(
            name: "depthwise, stride 2", inputShape: [1, 3, 5, 5], outputChannels: 3, kernel: (3, 3),
            stride: (2, 2), groups: 3),
        ConvCase(name: "1×1", inputShape: [2, 3, 3, 3], outputChannels: 2, kernel: (1, 1)),
        ConvCase(
            name: "stride 3 > kernel 2 leaves unread inputs", inputShape: [1, 1, 7, 7], outputChannels: 2,
            kernel: (2, 2), stride: (3, 3)),
        ConvCase(
            name: "channels-last input view", inputShape: [2, 2, 4, 5], outputChannels: 2, kernel: (2, 3),
            padding: (1, 1), layout: .channelsLast),
    ]

    @Test("conv2d gradients match central finite differences (float64)", arguments: gradientCases)
    func gradientsMatchFiniteDifferences(testCase: ConvCase) {
        var random = ConvTesting.Random(seed: 0xFD)
        let inputValues = random.values(testCase.inputShape.reduce(1, *))
        let weightValues = random.values(testCase.weightShape.reduce(1, *))
        let biasValues = random.values(testCase.outputChannels)
        let parameters = testCase.parameters
        let input = Self.makeInput(inputValues, shape: testCase.inputShape, dtype: .float64, layout: testCase.layout)
        let weight = Tensor(weightValues, shape: testCase.weightShape)
        let bias = Tensor(biasValues, shape: [testCase.outputChannels])
        let outputShape = Tensor.conv2d(input: input, weight: weight, bias: bias, parameters: parameters).shape
        let upstreamValues = random.values(outputShape.reduce(1, *))
        let upstream = Tensor(upstreamValues, shape: outputShape)

        func loss(input: [Double], weight: [Double], bias: [Double]) -> Double {
            let output = Tensor.conv2d(
                input: Tensor(input, shape: testCase.inputShape), weight: Tensor(weight, shape: testCase.weightShape),
                bias: Tensor(bias, shape: [testCase.outputChannels]), parameters: parameters)
            return ConvTesting.weightedSum(output, upstreamValues)
        }

        let inputGradient = Tensor.conv2dBackwardInput(
            outputGradient: upstream, weight: weight, inputShape: testCase.inputShape, parameters: parameters)
        let numericInput = ConvTesting.finiteDifferenceGradient(of: inputValues) {
            loss(input: $0, weight: weightValues, bias: biasValues)
        }
        ConvTesting.expectGradientsMatch(inputGradient, numericInput, "\(testCase.name): input gradient")

        let weightGradient = Tensor.conv2dBackwardWeight(
            outputGradient: upstream, input: input, weightShape: testCase.weightShape, parameters: parameters)
        let numericWeight = ConvTesting.finiteDifferenceGradient(of: weightValues) {
            loss(input: inputValues, weight: $0, bias: biasValues)
        }
        ConvTesting.expectGradientsMatch(weightGradient, numericWeight, "\(testCase.name): weight gradient")

        let biasGradient = Tensor.conv2dBackwardBias(outputGradient: upstream)
        let numericBias = ConvTesting.finiteDifferenceGradient(of: biasValues) {
            loss(input: inputValues, weight: weightValues, bias: $0)
        }
        ConvTesting.expectGradientsMatch(biasGradient, numericBias, "\(testCase.name): bias gradient")
        #expect(inputGradient.shape == testCase.inputShape)
        #expect(weightGradient.shape == testCase.weightShape)
    }

    @Test("an input position no window reads gets a zero gradient")
    func unreadInputsGetZeroGradient() {
        // 7×7 input, 2×2 kernel, stride 3: windows cover rows/columns {0, 1, 3, 4}; 2, 5 and 6 are never read.
        var random = ConvTesting.Random(seed: 3)
        let weight = random.tensor([1, 1, 2, 2])
        let upstream = random.tensor([1, 1, 2, 2])
        let gradient = Tensor.conv2dBackwardInput(
            outputGradient: upstream, weight: weight, inputShape: [1, 1, 7, 7], parameters: .uniform(stride: 3))
        for row in 0..<7 {
            for column in 0..<7 where [2, 5, 6].contains(row) || [2, 5, 6].contains(column) {
                #expect(gradient.element(at: [0, 0, row, column], as: Double.self) == 0)
            }
        }
        #expect(gradient.element(at: [0, 0, 4, 4], as: Double.self) != 0)
    }

    /// Cases too large for finite differences, but the batching paths (several images per GEMM, a
    /// partial last chunk, one image per GEMM, the pointwise direct path) must still be exact adjoints.
    static let adjointCases: [ConvCase] = [
        ConvCase(
            name: "several chunks with a partial last chunk", inputShape: [6, 2, 32, 32], outputChannels: 3,
            kernel: (3, 3), stride: (1, 1), padding: (1, 1)),
        ConvCase(
            name: "one image per GEMM, stride 2, groups 2", inputShape: [2, 2, 130, 66], outputChannels: 4,
            kernel: (3, 3), stride: (2, 1), padding: (1, 1), groups: 2),
        ConvCase(
            name: "pointwise direct path, groups 2", inputShape: [3, 4, 64, 64], outputChannels: 6,
            kernel: (1, 1), groups: 2),
        ConvCase(
            name: "small CNN layer: 8 → 16, 3×3, padding 1, batch 64", inputShape: [64, 8, 14, 14],
            outputChannels: 16, kernel: (3, 3), padding: (1, 1)),
    ]

    @Test(
        "backward kernels are the adjoints of conv2d: ⟨conv(x, w), G⟩ = ⟨x, ∂x⟩ = ⟨w, ∂w⟩", arguments: adjointCases)
    func backwardIsAdjoint(testCase: ConvCase) {
        var random = ConvTesting.Random(seed: 0xAD)
        let input = random.tensor(testCase.inputShape)
        let weight = random.tensor(testCase.weightShape)
        let parameters = testCase.parameters
        let output = Tensor.conv2d(input: input, weight: weight, bias: nil, parameters: parameters)
        let upstreamValues = random.values(output.count)
        let upstream = Tensor(upstreamValues, shape: output.shape)
        let forward = ConvTesting.weightedSum(output, upstreamValues)

        let inputGradient = Tensor.conv2dBackwardInput(
            outputGradient: upstream, weight: weight, inputShape: testCase.inputShape, parameters: parameters)
        let weightGradient = Tensor.conv2dBackwardWeight(
            outputGradient: upstream, input: input, weightShape: testCase.weightShape, parameters: parameters)
        let throughInput = ConvTesting.weightedSum(inputGradient, input.doubleScalars)
        let throughWeight = ConvTesting.weightedSum(weightGradient, weight.doubleScalars)
        #expect(abs(forward - throughInput) <= 1e-10 * max(1, abs(forward)), "\(testCase.name): input adjoint")
        #expect(abs(forward - throughWeight) <= 1e-10 * max(1, abs(forward)), "\(testCase.name): weight adjoint")

        // Float32 runs the same paths; compare with the float64 result.
        let inputGradient32 = Tensor.conv2dBackwardInput(
            outputGradient: upstream.converted(to: .float32), weight: weight.converted(to: .float32),
            inputShape: testCase.inputShape, parameters: parameters)
        let weightGradient32 = Tensor.conv2dBackwardWeight(
            outputGradient: upstream.converted(to: .float32), input: input.converted(to: .float32),
            weightShape: testCase.weightShape, parameters: parameters)
        #expect(inputGradient32.dtype == .float32 && weightGradient32.dtype == .float32)
        let inputError = ConvTesting.maximumDifference(
            inputGradient32, inputGradient.doubleScalars, shape: testCase.inputShape)
        #expect(inputError <= 1e-4, "\(testCase.name): float32 input gradient off by \(inputError)")
        // The weight gradient sums over the whole batch, so its float32 error grows with N·Ho·Wo.
        let weightScale = weightGradient.doubleScalars.map(abs).max() ?? 1
        let weightError = ConvTesting.maximumDifference(
            weightGradient32, weightGradient.doubleScalars, shape: testCase.weightShape)
        #expect(
            weightError <= 1e-5 * max(1, weightScale), "\(testCase.name): float32 weight gradient off by \(weightError)"
        )
    }

    @Test("the bias gradient sums over batch, height and width")
    func biasGradientSums() {
        var random = ConvTesting.Random(seed: 11)
        let values = random.values(3 * 4 * 5 * 2)
        let upstream = Tensor(values, shape: [3, 4, 5, 2])
        var expected = [Double](repeating: 0, count: 4)
        for n in 0..<3 {
            for c in 0..<4 {
                for h in 0..<5 {
                    for w in 0..<2 { expected[c] += values[ConvTesting.flatIndex([3, 4, 5, 2], n, c, h, w)] }
                }
            }
        }
        let difference = ConvTesting.maximumDifference(
            Tensor.conv2dBackwardBias(outputGradient: upstream), expected, shape: [4])
        #expect(difference <= 1e-12)
        // A transposed (non-contiguous) view of the same gradient gives the same sums.
        let view = Tensor(values, shape: [3, 4, 5, 2]).transposed(2, 3).contiguous().transposed(2, 3)
        #expect(!view.isContiguous)
        #expect(
            ConvTesting.maximumDifference(Tensor.conv2dBackwardBias(outputGradient: view), expected, shape: [4])
                <= 1e-12)
    }
}
