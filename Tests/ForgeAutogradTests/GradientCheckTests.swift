import ForgeAutograd
import ForgeTensor
import Testing

/// One differentiable operation checked against float64 central differences.
struct GradientCase: Sendable, CustomTestStringConvertible {
    let name: String
    let inputs: @Sendable () -> [Tensor]
    let function: @Sendable ([Variable]) -> Variable
    var testDescription: String { name }
}

/// Seeded inputs, shifted away from zero where an op has a kink or a pole there.
func normal(_ shape: [Int], seed: UInt64, shift: Double = 0) -> Tensor {
    var generator = RandomGenerator(seed: seed)
    return Tensor.normal(shape: shape, mean: shift, dtype: .float64, generator: &generator)
}

func positive(_ shape: [Int], seed: UInt64) -> Tensor { normal(shape, seed: seed).abs() + 0.5 }

/// A non-contiguous input: a transposed view of a random tensor of the transposed shape.
func transposedView(_ shape: [Int], seed: UInt64) -> Tensor {
    normal([shape[1], shape[0]], seed: seed).transposed()
}

let gradientCases: [GradientCase] = [
    .init(name: "add broadcast", inputs: { [normal([3, 4], seed: 1), normal([4], seed: 2)] }) { $0[0] + $0[1] },
    .init(name: "subtract broadcast column", inputs: { [normal([3, 1], seed: 3), normal([3, 4], seed: 4)] }) { $0[0] - $0[1] },
    .init(name: "multiply non-contiguous", inputs: { [transposedView([3, 4], seed: 5), normal([1, 4], seed: 6)] }) {
        $0[0] * $0[1]
    },
    .init(name: "divide", inputs: { [normal([2, 3], seed: 7), positive([2, 3], seed: 8)] }) { $0[0] / $0[1] },
    .init(name: "scalar arithmetic", inputs: { [normal([5], seed: 9)] }) { (2 - $0[0] * 3 + 1) / 4 },
    .init(name: "scalar divided by", inputs: { [positive([5], seed: 10)] }) { 1 / $0[0] },
    .init(name: "negate", inputs: { [normal([4], seed: 11)] }) { -$0[0] },
    .init(name: "pow constant", inputs: { [positive([3, 2], seed: 12)] }) { $0[0].pow(2.5) },
    .init(name: "pow variable", inputs: { [positive([3], seed: 13), normal([3], seed: 14)] }) { $0[0].pow($0[1]) },
    .init(name: "minimum", inputs: { [normal([6], seed: 15), normal([6], seed: 16)] }) { Variable.minimum($0[0], $0[1]) },
    .init(name: "maximum broadcast", inputs: { [normal([2, 3], seed: 17), normal([3], seed: 18)] }) {
        Variable.maximum($0[0], $0[1])
    },
    .init(name: "exp", inputs: { [normal([4], seed: 19)] }) { $0[0].exp() },
    .init(name: "log", inputs: { [positive([4], seed: 20)] }) { $0[0].log() },
    .init(name: "log1p", inputs: { [positive([4], seed: 21)] }) { $0[0].log1p() },
    .init(name: "sqrt", inputs: { [positive([4], seed: 22)] }) { $0[0].sqrt() },
    .init(name: "rsqrt", inputs: { [positive([4], seed: 23)] }) { $0[0].rsqrt() },
    .init(name: "squared", inputs: { [normal([4], seed: 24)] }) { $0[0].squared() },
    .init(name: "abs", inputs: { [normal([6], seed: 25, shift: 0.1)] }) { $0[0].abs() },
    .init(name: "sin cos", inputs: { [normal([5], seed: 26)] }) { $0[0].sin() * $0[0].cos() },
    .init(name: "tanh", inputs: { [transposedView([2, 3], seed: 27)] }) { $0[0].tanh() },
    .init(name: "sigmoid", inputs: { [normal([5], seed: 28)] }) { $0[0].sigmoid() },
    .init(name: "relu", inputs: { [normal([8], seed: 29)] }) { $0[0].relu() },
    .init(name: "leaky relu", inputs: { [normal([8], seed: 30)] }) { $0[0].leakyRelu(slope: 0.2) },
    .init(name: "gelu", inputs: { [normal([8], seed: 31)] }) { $0[0].gelu() },
    .init(name: "silu", inputs: { [normal([8], seed: 32)] }) { $0[0].silu() },
    .init(name: "clamp", inputs: { [normal([8], seed: 33)] }) { $0[0].clamped(min: -0.5, max: 0.7) },
    .init(name: "sum axes", inputs: { [normal([2, 3, 4], seed: 34)] }) { $0[0].sum(axes: [0, 2]) },
    .init(name: "sum keeping", inputs: { [transposedView([3, 4], seed: 35)] }) { $0[0].sum(axis: 1, keepingDimensions: true) },
    .init(name: "mean", inputs: { [normal([3, 4], seed: 36)] }) { $0[0].mean(axis: 0) },
    .init(name: "mean all", inputs: { [normal([3, 4], seed: 37)] }) { $0[0].mean() },
    .init(name: "variance", inputs: { [normal([3, 5], seed: 38)] }) { $0[0].variance(axes: [1]) },
    .init(name: "max", inputs: { [normal([3, 5], seed: 39)] }) { $0[0].max(axes: [1]) },
    .init(name: "min keeping", inputs: { [normal([3, 5], seed: 40)] }) { $0[0].min(axes: [0], keepingDimensions: true) },
    .init(name: "logSumExp", inputs: { [normal([3, 5], seed: 41)] }) { $0[0].logSumExp(axes: [1]) },
    .init(name: "softmax", inputs: { [normal([3, 5], seed: 42)] }) { $0[0].softmax(axis: 1) },
    .init(name: "softmax axis 0", inputs: { [transposedView([4, 3], seed: 43)] }) { $0[0].softmax(axis: 0) },
    .init(name: "logSoftmax", inputs: { [normal([3, 5], seed: 44)] }) { $0[0].logSoftmax() },
    .init(name: "reshape flatten", inputs: { [transposedView([3, 4], seed: 45)] }) { $0[0].reshaped(2, 6).flattened() * 2 },
    .init(name: "permute", inputs: { [normal([2, 3, 4], seed: 46)] }) { $0[0].permuted(2, 0, 1) * normal([4, 2, 3], seed: 99) },
    .init(name: "transpose", inputs: { [normal([2, 3], seed: 47)] }) { $0[0].transposed() * normal([3, 2], seed: 98) },
    .init(name: "squeeze unsqueeze", inputs: { [normal([3, 1], seed: 48)] }) { $0[0].squeezed().unsqueezed(axis: 0) * 3 },
    .init(name: "expand", inputs: { [normal([3, 1], seed: 49)] }) { $0[0].expanded(to: [2, 3, 4]) * normal([2, 3, 4], seed: 97) },
    .init(name: "narrow", inputs: { [normal([4, 5], seed: 50)] }) { $0[0].narrowed(axis: 1, start: 1, length: 3) },
    .init(name: "slice with step", inputs: { [normal([4, 6], seed: 51)] }) {
        $0[0][1..<4, TensorIndex.range(0, nil, step: 2)]
    },
    .init(name: "split and concatenate", inputs: { [normal([5, 2], seed: 52), normal([1, 2], seed: 53)] }) {
        let parts = $0[0].split(sizes: [2, 3])
        return Variable.concatenated([parts[1] * 2, $0[1], parts[0]], axis: 0)
    },
    .init(name: "stack", inputs: { [normal([3], seed: 54), normal([3], seed: 55)] }) {
        Variable.stacked([$0[0], $0[1].exp()], axis: 1)
    },
    .init(name: "gather", inputs: { [normal([3, 4], seed: 56)] }) {
        $0[0].gather(axis: 1, index: Tensor(rows: [[0, 3, 3], [1, 1, 2], [2, 0, 1]] as [[Int64]]))
    },
    .init(name: "indexSelect", inputs: { [normal([4, 3], seed: 57)] }) {
        $0[0].indexSelect(axis: 0, indices: Tensor([3, 0, 3, 1] as [Int64]))
    },
    .init(name: "where", inputs: { [normal([2, 3], seed: 58), normal([3], seed: 59)] }) {
        Variable.where(Tensor(rows: [[true, false, true], [false, false, true]] as [[Bool]]), $0[0], $0[1])
    },
    .init(name: "maskedFill", inputs: { [normal([2, 3], seed: 60)] }) {
        $0[0].maskedFill(Tensor([true, false, false] as [Bool]), with: -1)
    },
    .init(name: "matmul", inputs: { [normal([3, 4], seed: 61), transposedView([4, 2], seed: 62)] }) { $0[0].matmul($0[1]) },
    .init(name: "matmul batched broadcast", inputs: { [normal([2, 3, 4], seed: 63), normal([4, 5], seed: 64)] }) {
        $0[0].matmul($0[1])
    },
    .init(name: "matmul vector", inputs: { [normal([4], seed: 65), normal([4, 3], seed: 66)] }) { $0[0].matmul($0[1]) },
    .init(name: "matrix vector", inputs: { [normal([3, 4], seed: 67), normal([4], seed: 68)] }) { $0[0].matmul($0[1]) },
    .init(name: "dot", inputs: { [normal([4], seed: 69), normal([4], seed: 70)] }) { $0[0].matmul($0[1]) },
    .init(name: "linear", inputs: { [normal([2, 3, 4], seed: 71), normal([5, 4], seed: 72), normal([5], seed: 73)] }) {
        Variable.linear($0[0], weight: $0[1], bias: $0[2])
    },
    .init(name: "conv2d", inputs: { [normal([2, 2, 5, 5], seed: 74), normal([4, 1, 3, 3], seed: 75), normal([4], seed: 76)] }) {
        Variable.conv2d($0[0], weight: $0[1], bias: $0[2], parameters: .uniform(stride: 2, padding: 1, groups: 2))
    },
    .init(name: "maxPool2d", inputs: { [normal([1, 2, 4, 4], seed: 77)] }) { $0[0].maxPool2d(kernelSize: (2, 2)) },
    .init(name: "avgPool2d", inputs: { [normal([1, 2, 5, 5], seed: 78)] }) {
        $0[0].avgPool2d(kernelSize: (3, 3), stride: (2, 2), padding: (1, 1), countIncludePadding: false)
    },
    .init(name: "adaptiveAvgPool2d", inputs: { [normal([1, 1, 5, 7], seed: 79)] }) {
        $0[0].adaptiveAvgPool2d(outputSize: (2, 3))
    },
    .init(name: "composite MLP", inputs: { [normal([4, 3], seed: 80), normal([3, 5], seed: 81), normal([5, 2], seed: 82)] }) {
        $0[0].matmul($0[1]).tanh().matmul($0[2]).logSoftmax().mean()
    },
]

@Suite("Gradient checks of every differentiable operation")
struct GradientCheckTests {
    @Test(arguments: gradientCases)
    func analyticMatchesNumeric(_ testCase: GradientCase) {
        let result = gradientCheck(inputs: testCase.inputs(), testCase.function)
        #expect(result.passed, "\(testCase.name): \(result)")
    }

    @Test func aWrongDerivativeIsCaught() {
        // A deliberately wrong rule (d/dx x² = x instead of 2x) must fail the check.
        let result = gradientCheck(inputs: [normal([4], seed: 1, shift: 1)]) { inputs in
            let x = inputs[0]
            return Variable.record("wrongSquare", value: x.value * x.value, inputs: [x]) { g in [g * x.value] }
        }
        #expect(!result.passed)
        #expect(result.mismatches.count == 4)
    }
}
