import Foundation
import Testing

@testable import ForgeTensor

/// One pooling configuration checked against the nested-loop definition.
struct PoolCase: Sendable, CustomTestStringConvertible {
    var name: String
    var inputShape: [Int]
    var kernel: (height: Int, width: Int)
    var stride: (height: Int, width: Int)? = nil
    var padding: (height: Int, width: Int) = (0, 0)
    var dilation: (height: Int, width: Int) = (1, 1)
    var countIncludePadding = true
    var layout = ConvCase.Layout.contiguous

    var testDescription: String { name }
    var resolvedStride: (height: Int, width: Int) { stride ?? kernel }
}

@Suite("Pooling kernels")
struct PoolingTests {
    // MARK: - Oracles

    static func outputSize(_ testCase: PoolCase) -> [Int] {
        let s = testCase.inputShape
        let stride = testCase.resolvedStride
        let height =
            (s[2] + 2 * testCase.padding.height - testCase.dilation.height * (testCase.kernel.height - 1) - 1)
            / stride.height + 1
        let width =
            (s[3] + 2 * testCase.padding.width - testCase.dilation.width * (testCase.kernel.width - 1) - 1)
            / stride.width + 1
        return [s[0], s[1], height, width]
    }

    /// Max pooling from its definition: the first largest real element of each window, and its flat index.
    static func referenceMaxPool(_ input: [Double], _ testCase: PoolCase) -> (values: [Double], indices: [Int64]) {
        let s = testCase.inputShape
        let shape = outputSize(testCase)
        let stride = testCase.resolvedStride
        var values: [Double] = []
        var indices: [Int64] = []
        for n in 0..<s[0] {
            for c in 0..<s[1] {
                for i in 0..<shape[2] {
                    for j in 0..<shape[3] {
                        var best = -Double.infinity
                        var bestIndex = -1
                        for a in 0..<testCase.kernel.height {
                            for b in 0..<testCase.kernel.width {
                                let row = i * stride.height - testCase.padding.height + a * testCase.dilation.height
                                let column = j * stride.width - testCase.padding.width + b * testCase.dilation.width
                                guard row >= 0, row < s[2], column >= 0, column < s[3] else { continue }
                                let value = input[ConvTesting.flatIndex(s, n, c, row, column)]
                                if value > best {
                                    best = value
                                    bestIndex = row * s[3] + column
                                }
                            }
                        }
                        values.append(best)
                        indices.append(Int64(bestIndex))
                    }
                }
            }
        }
        return (values, indices)
    }

    /// Average pooling from its definition (no dilation).
    static func referenceAvgPool(_ input: [Double], _ testCase: PoolCase) -> [Double] {
        let s = testCase.inputShape
        let shape = outputSize(testCase)
        let stride = testCase.resolvedStride
        var values: [Double] = []
        for n in 0..<s[0] {
            for c in 0..<s[1] {
                for i in 0..<shape[2] {
                    for j in 0..<shape[3] {
                        var total = 0.0
                        var real = 0
                        for a in 0..<testCase.kernel.height {
                            for b in 0..<testCase.kernel.width {
                                let row = i * stride.height - testCase.padding.height + a
                                let column = j * stride.width - testCase.padding.width + b
                                guard row >= 0, row < s[2], column >= 0, column < s[3] else { continue }
                                total += input[ConvTesting.flatIndex(s, n, c, row, column)]
                                real += 1
                            }
                        }
                        let divisor =
                            testCase.countIncludePadding ? testCase.kernel.height * testCase.kernel.width : real
                        values.append(total / Double(divisor))
                    }
                }
            }
        }
        return values
    }

    /// Adaptive average pooling with PyTorch's windows, computed with floating-point floor and ceil.
    static func referenceAdaptive(_ input: [Double], shape s: [Int], output: (height: Int, width: Int)) -> [Double] {
        func window(_ index: Int, _ length: Int, _ count: Int) -> Range<Int> {
            Int(floor(Double(index * length) / Double(count)))..<Int(ceil(Double((index + 1) * length) / Double(count)))
        }
        var values: [Double] = []
        for n in 0..<s[0] {
            for c in 0..<s[1] {
                for i in 0..<output.height {
                    for j in 0..<output.width {
                        let rows = window(i, s[2], output.height)
                        let columns = window(j, s[3], output.width)
                        var total = 0.0
                        for row in rows {
                            for column in columns { total += input[ConvTesting.flatIndex(s, n, c, row, column)] }
                        }
                        values.append(total / Double(rows.count * columns.count))
                    }
                }
            }
        }
        return values
    }

    // MARK: - Max pooling

    static let maxCases: [PoolCase] = [
        PoolCase(name: "2×2, stride defaults to kernel, batch 2", inputShape: [2, 3, 8, 8], kernel: (2, 2)),
        PoolCase(
            name: "3×3 stride 2 padding 1: partial windows", inputShape: [2, 2, 7, 6], kernel: (3, 3),
            stride: (2, 2), padding: (1, 1)),
        PoolCase(
            name: "dilation 2, padding 1, overlapping", inputShape: [1, 2, 9, 9], kernel: (3, 3),
            stride: (1, 1), padding: (1, 1), dilation: (2, 2)),
        PoolCase(
            name: "rectangular 3×2, stride (1, 2), channels-last view", inputShape: [2, 3, 6, 7],
            kernel: (3, 2), stride: (1, 2), padding: (1, 1), layout: .channelsLast),
        PoolCase(
            name: "odd size drops the remainder, offset view", inputShape: [2, 2, 5, 7], kernel: (2, 3),
            layout: .offset),
        PoolCase(name: "many planes (parallel split)", inputShape: [64, 8, 28, 28], kernel: (2, 2)),
    ]

    @Test("maxPool2d values and indices match the definition", arguments: maxCases, [DType.float64, .float32])
    func maxPoolMatchesOracle(testCase: PoolCase, dtype: DType) {
        var random = ConvTesting.Random(seed: 0x9001)
        let values = random.values(testCase.inputShape.reduce(1, *))
        let input = Conv2dTests.makeInput(values, shape: testCase.inputShape, dtype: dtype, layout: testCase.layout)
        let (output, indices) = Tensor.maxPool2d(
            input: input, kernelSize: testCase.kernel, stride: testCase.stride, padding: testCase.padding,
            dilation: testCase.dilation)
        let expected = Self.referenceMaxPool(values, testCase)
        let shape = Self.outputSize(testCase)
        #expect(output.dtype == dtype && indices.dtype == .int64)
        #expect(indices.shape == shape)
        #expect(indices.scalars(as: Int64.self) == expected.indices)
        let tolerance = dtype == .float64 ? 1e-10 : 1e-4
        #expect(ConvTesting.maximumDifference(output, expected.values, shape: shape) <= tolerance)
    }

    @Test("hand-computed max pooling, with −∞ padding and NaN")
    func maxPoolHandComputed() {
        let input = Tensor((1...16).map(Float.init), shape: [1, 1, 4, 4])
        let (output, indices) = Tensor.maxPool2d(input: input, kernelSize: (2, 2))
        #expect(output.scalars(as: Float.self) == [6, 8, 14, 16])
        #expect(indices.scalars(as: Int64.self) == [5, 7, 13, 15])
        let gradient = Tensor.maxPool2dBackward(
            outputGradient: Tensor([1, 2, 3, 4] as [Float], shape: [1, 1, 2, 2]), indices: indices,
            inputShape: [1, 1, 4, 4])
        #expect(gradient.scalars(as: Float.self) == [0, 0, 0, 0, 0, 1, 0, 2, 0, 0, 0, 0, 0, 3, 0, 4])

        // All-negative input with padding 1: zeros would win if padding were 0 instead of −∞.
        let negative = Tensor([1, -2, -3, -4] as [Double], shape: [1, 1, 2, 2])
        let padded = Tensor.maxPool2d(input: negative, kernelSize: (2, 2), stride: (1, 1), padding: (1, 1))
        #expect(padded.output.scalars(as: Double.self) == [1, 1, -2, 1, 1, -2, -3, -3, -4])
        #expect(padded.indices.scalars(as: Int64.self) == [0, 0, 1, 0, 0, 1, 2, 2, 3])

        // Ties go to the first element in row-major window order.
        let flat = Tensor.full(shape: [1, 1, 2, 4], value: 5, dtype: .float64)
        #expect(Tensor.maxPool2d(input: flat, kernelSize: (2, 2)).indices.scalars(as: Int64.self) == [0, 2])

        // A NaN wins its window, as in PyTorch.
        let withNaN = Tensor([1, .nan, 3, 4] as [Double], shape: [1, 1, 2, 2])
        let pooled = Tensor.maxPool2d(input: withNaN, kernelSize: (2, 2))
        #expect(pooled.output.scalars(as: Double.self)[0].isNaN)
        #expect(pooled.indices.scalars(as: Int64.self) == [1])
    }

    static let maxGradientCases: [PoolCase] = [
        PoolCase(
            name: "overlapping 3×3 stride 1 padding 1", inputShape: [2, 2, 5, 5], kernel: (3, 3),
            stride: (1, 1), padding: (1, 1)),
        PoolCase(
            name: "stride 2 padding 1 dilation 2", inputShape: [1, 2, 7, 6], kernel: (3, 2), stride: (2, 2),
            padding: (1, 1), dilation: (2, 2)),
        PoolCase(name: "2×2 on a channels-last view", inputShape: [2, 2, 4, 6], kernel: (2, 2), layout: .channelsLast),
    ]

    @Test("maxPool2dBackward matches central finite differences (float64)", arguments: maxGradientCases)
    func maxPoolGradient(testCase: PoolCase) {
        var random = ConvTesting.Random(seed: 0x51)
        let values = random.values(testCase.inputShape.reduce(1, *))
        let input = Conv2dTests.makeInput(values, shape: testCase.inputShape, dtype: .float64, layout: testCase.layout)
        let (output, indices) = Tensor.maxPool2d(
            input: input, kernelSize: testCase.kernel, stride: testCase.stride, padding: testCase.padding,
            dilation: testCase.dilation)
        let upstreamValues = random.values(output.count)
        let analytic = Tensor.maxPool2dBackward(
            outputGradient: Tensor(upstreamValues, shape: output.shape), indices: indices,
            inputShape: testCase.inputShape)
        let numeric = ConvTesting.finiteDifferenceGradient(of: values) { point in
            let pooled = Tensor.maxPool2d(
                input: Tensor(point, shape: testCase.inputShape), kernelSize: testCase.kernel, stride: testCase.stride,
                padding: testCase.padding, dilation: testCase.dilation)
            return ConvTesting.weightedSum(pooled.output, upstreamValues)
        }
        ConvTesting.expectGradientsMatch(analytic, numeric, "\(testCase.name): max-pool input gradient")
    }

    // MARK: - Average pooling

    static let averageCases: [PoolCase] = [
        PoolCase(name: "2×2, batch 2", inputShape: [2, 3, 6, 6], kernel: (2, 2)),
        PoolCase(
            name: "3×3 stride 2 padding 1, padding counted", inputShape: [2, 2, 7, 6], kernel: (3, 3),
            stride: (2, 2), padding: (1, 1)),
        PoolCase(
            name: "3×3 stride 2 padding 1, padding not counted", inputShape: [2, 2, 7, 6], kernel: (3, 3),
            stride: (2, 2), padding: (1, 1), countIncludePadding: false),
        PoolCase(
            name: "rectangular 3×2 stride (2, 1), channels-last view, padding not counted", inputShape: [2, 3, 5, 6],
            kernel: (3, 2), stride: (2, 1), padding: (1, 1), countIncludePadding: false, layout: .channelsLast),
        PoolCase(name: "many planes (parallel split)", inputShape: [64, 8, 14, 14], kernel: (2, 2), layout: .offset),
    ]

    @Test("avgPool2d matches the definition, and its backward matches finite differences", arguments: averageCases)
    func averagePool(testCase: PoolCase) {
        var random = ConvTesting.Random(seed: 0xA5)
        let values = random.values(testCase.inputShape.reduce(1, *))
        let expected = Self.referenceAvgPool(values, testCase)
        let shape = Self.outputSize(testCase)
        for dtype in [DType.float64, .float32] {
            let input = Conv2dTests.makeInput(values, shape: testCase.inputShape, dtype: dtype, layout: testCase.layout)
            let output = Tensor.avgPool2d(
                input: input, kernelSize: testCase.kernel, stride: testCase.stride, padding: testCase.padding,
                countIncludePadding: testCase.countIncludePadding)
            let tolerance = dtype == .float64 ? 1e-10 : 1e-4
            #expect(output.dtype == dtype)
            #expect(ConvTesting.maximumDifference(output, expected, shape: shape) <= tolerance, "\(dtype)")
        }
        guard testCase.inputShape.reduce(1, *) <= 500 else { return }  // finite differences on the small cases
        let upstreamValues = random.values(shape.reduce(1, *))
        let analytic = Tensor.avgPool2dBackward(
            outputGradient: Tensor(upstreamValues, shape: shape), inputShape: testCase.inputShape,
            kernelSize: testCase.kernel, stride: testCase.stride, padding: testCase.padding,
            countIncludePadding: testCase.countIncludePadding)
        let numeric = ConvTesting.finiteDifferenceGradient(of: values) { point in
            let pooled = Tensor.avgPool2d(
                input: Tensor(point, shape: testCase.inputShape), kernelSize: testCase.kernel, stride: testCase.stride,
                padding: testCase.padding, countIncludePadding: testCase.countIncludePadding)
            return ConvTesting.weightedSum(pooled, upstreamValues)
        }
        ConvTesting.expectGradientsMatch(analytic, numeric, "\(testCase.name): avg-pool input gradient")
    }

    @Test("hand-computed average pooling with and without counting the padding")
    func averagePoolHandComputed() {
        let grid = Tensor((1...16).map(Double.init), shape: [1, 1, 4, 4])
        #expect(Tensor.avgPool2d(input: grid, kernelSize: (2, 2)).scalars(as: Double.self) == [3.5, 5.5, 11.5, 13.5])

        let input = Tensor([1, 2, 3, 4] as [Double], shape: [1, 1, 2, 2])
        let counted = Tensor.avgPool2d(input: input, kernelSize: (2, 2), stride: (1, 1), padding: (1, 1))
        #expect(counted.scalars(as: Double.self) == [0.25, 0.75, 0.5, 1, 2.5, 1.5, 0.75, 1.75, 1])
        let real = Tensor.avgPool2d(
            input: input, kernelSize: (2, 2), stride: (1, 1), padding: (1, 1), countIncludePadding: false)
        #expect(real.scalars(as: Double.self) == [1, 1.5, 2, 2, 2.5, 3, 3, 3.5, 4])

        let ones = Tensor.ones(shape: [1, 1, 3, 3], dtype: .float64)
        // Each corner element lies in four windows: counted, each gives 1/4; not counted, 1 + 1/2 + 1/2 + 1/4.
        let countedGradient = Tensor.avgPool2dBackward(
            outputGradient: ones, inputShape: [1, 1, 2, 2], kernelSize: (2, 2), stride: (1, 1), padding: (1, 1))
        #expect(countedGradient.scalars(as: Double.self) == [1, 1, 1, 1])
        let realGradient = Tensor.avgPool2dBackward(
            outputGradient: ones, inputShape: [1, 1, 2, 2], kernelSize: (2, 2), stride: (1, 1), padding: (1, 1),
            countIncludePadding: false)
        #expect(realGradient.scalars(as: Double.self) == [2.25, 2.25, 2.25, 2.25])
    }

    // MARK: - Adaptive average pooling

    static let adaptiveCases: [(shape: [Int], output: (height: Int, width: Int))] = [
        ([2, 2, 5, 5], (3, 3)),  // overlapping windows of different sizes
        ([1, 3, 7, 4], (2, 3)),
        ([2, 2, 3, 3], (5, 4)),  // upsampling: windows of one or two elements
        ([2, 3, 6, 6], (1, 1)),  // global average pooling
        ([1, 2, 8, 8], (4, 4)),  // divides evenly: plain 2×2 average pooling
    ]

    @Test("adaptiveAvgPool2d matches PyTorch's windows, and its backward matches finite differences")
    func adaptivePool() {
        var random = ConvTesting.Random(seed: 0xADA)
        for (shape, outputSize) in Self.adaptiveCases {
            let values = random.values(shape.reduce(1, *))
            let expected = Self.referenceAdaptive(values, shape: shape, output: outputSize)
            let outputShape = [shape[0], shape[1], outputSize.height, outputSize.width]
            for layout in [ConvCase.Layout.contiguous, .channelsLast] {
                for dtype in [DType.float64, .float32] {
                    let input = Conv2dTests.makeInput(values, shape: shape, dtype: dtype, layout: layout)
                    let output = Tensor.adaptiveAvgPool2d(input: input, outputSize: outputSize)
                    let tolerance = dtype == .float64 ? 1e-10 : 1e-4
                    let difference = ConvTesting.maximumDifference(output, expected, shape: outputShape)
                    #expect(difference <= tolerance, "\(shape) → \(outputSize) \(layout) \(dtype): \(difference)")
                }
            }
            let upstreamValues = random.values(outputShape.reduce(1, *))
            let analytic = Tensor.adaptiveAvgPool2dBackward(
                outputGradient: Tensor(upstreamValues, shape: outputShape), inputShape: shape)
            let numeric = ConvTesting.finiteDifferenceGradient(of: values) { point in
                let pooled = Tensor.adaptiveAvgPool2d(input: Tensor(point, shape: shape), outputSize: outputSize)
                return ConvTesting.weightedSum(pooled, upstreamValues)
            }
            ConvTesting.expectGradientsMatch(analytic, numeric, "adaptive \(shape) → \(outputSize)")
        }
    }

    @Test("hand-computed adaptive average pooling of 5 columns into 3")
    func adaptiveHandComputed() {
        // Windows [0, 2), [1, 4), [3, 5): means 1.5, 3 and 4.5.
        let input = Tensor([1, 2, 3, 4, 5] as [Double], shape: [1, 1, 1, 5])
        let output = Tensor.adaptiveAvgPool2d(input: input, outputSize: (1, 3))
        #expect(output.shape == [1, 1, 1, 3])
        #expect(output.scalars(as: Double.self) == [1.5, 3, 4.5])
        let gradient = Tensor.adaptiveAvgPool2dBackward(
            outputGradient: Tensor([6, 3, 2] as [Double], shape: [1, 1, 1, 3]), inputShape: [1, 1, 1, 5])
        // 6/2 → columns 0, 1; 3/3 → columns 1, 2, 3; 2/2 → columns 3, 4.
        #expect(gradient.scalars(as: Double.self) == [3, 4, 1, 2, 1])
    }

    @Test("padding wider than half the kernel traps with a message naming the op")
    func excessivePaddingTraps() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.maxPool2d(input: Tensor.zeros(shape: [1, 1, 4, 4]), kernelSize: (2, 2), padding: (2, 0))
        }
        let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(message.contains("maxPool2d: padding 2×0 must be between 0 and half the kernel size 2×2"))
    }
}
