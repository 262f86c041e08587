import ForgeAutograd
import ForgeLayers
import ForgeTensor
import Foundation
import Testing

/// Multi-head attention written per batch element and per head with plain tensor ops (float64), from
/// PyTorch's definition. Inputs are batch-first `[N, L, E]`; `mask` is additive `[N, heads, L, S]`.
func referenceAttention(
    _ attention: MultiHeadAttention, query: Tensor, key: Tensor, value: Tensor, mask: Tensor?
) -> (output: Tensor, weights: Tensor) {
    let e = attention.embeddingDimension
    let heads = attention.headCount
    let d = e / heads
    let w = attention.inputProjectionWeight.value.converted(to: .float64)
    let b = attention.inputProjectionBias!.value.converted(to: .float64)
    let wo = attention.outputProjection.weight.value.converted(to: .float64)
    let bo = attention.outputProjection.bias!.value.converted(to: .float64)
    var outputs: [Tensor] = []
    var weights: [Tensor] = []
    for n in 0..<query.shape[0] {
        let q = query[n].matmul(w[0..<e].transposed()) + b[0..<e]
        let k = key[n].matmul(w[e..<(2 * e)].transposed()) + b[e..<(2 * e)]
        let v = value[n].matmul(w[(2 * e)..<(3 * e)].transposed()) + b[(2 * e)..<(3 * e)]
        var headOutputs: [Tensor] = []
        var headWeights: [Tensor] = []
        for h in 0..<heads {
            let columns = (h * d)..<((h + 1) * d)
            var scores = q[.all, columns].matmul(k[.all, columns].transposed()) / Double(d).squareRoot()
            if let mask { scores = scores + mask[n, h] }
            let p = scores.softmax(axis: -1)
            headWeights.append(p)
            headOutputs.append(p.matmul(v[.all, columns]))
        }
        outputs.append(Tensor.concatenated(headOutputs, axis: 1).matmul(wo.transposed()) + bo)
        weights.append(Tensor.stacked(headWeights, axis: 0).mean(axis: 0))
    }
    return (Tensor.stacked(outputs, axis: 0), Tensor.stacked(weights, axis: 0))
}

/// Layer normalization over the last axis (no affine map beyond `weight`, `bias`).
func referenceLayerNorm(_ x: Tensor, _ norm: LayerNorm) -> Tensor {
    let mean = x.mean(axis: -1, keepingDimensions: true)
    let variance = x.variance(axes: [-1], correction: 0, keepingDimensions: true)
    return (x - mean) / (variance + norm.epsilon).sqrt() * norm.weight!.value.converted(to: .float64)
        + norm.bias!.value.converted(to: .float64)
}

/// `x · Wᵀ + b` of a linear layer in float64.
func referenceLinear(_ x: Tensor, _ layer: Linear) -> Tensor {
    x.matmul(layer.weight.value.converted(to: .float64).transposed()) + layer.bias!.value.converted(to: .float64)
}

@Suite("Attention")
struct AttentionTests {
    @Test func parameterNamesShapesAndInitializationMatchPyTorch() {
        let attention = MultiHeadAttention(embeddingDimension: 8, headCount: 2, seed: 1)
        #expect(
            attention.namedParameters().map { "\($0.name) \($0.parameter.shape)" } == [
                "in_proj_weight [24, 8]", "in_proj_bias [24]", "out_proj.weight [8, 8]", "out_proj.bias [8]",
            ])
        let bound = Float((6.0 / 32).squareRoot())
        #expect(attention.inputProjectionWeight.value.abs().max().item(as: Float.self) <= bound)
        #expect(attention.inputProjectionBias!.value.abs().max().item(as: Float.self) == 0)
        #expect(attention.outputProjection.bias!.value.abs().max().item(as: Float.self) == 0)
        #expect(attention.outputProjection.weight.value.abs().max().item(as: Float.self) <= Float(1 / 8.0.squareRoot()))
    }

    @Test func selfAttentionWithBooleanMasksMatchesReference() {
        // Sequence-first [L = 4, N = 2, E = 6], 3 heads, a causal mask and padding on the last key of batch 1.
        let attention = MultiHeadAttention(embeddingDimension: 6, headCount: 3, seed: 2)
        attention.inputProjectionBias!.value = randomNormal([18], seed: 3).converted(to: .float32)
        let x = randomNormal([4, 2, 6], seed: 4)
        var causal = [Bool](repeating: false, count: 16)
        for i in 0..<4 { for j in (i + 1)..<4 { causal[i * 4 + j] = true } }
        let causalMask = Tensor(causal, shape: [4, 4])
        #expect(MultiHeadAttention.causalMask(length: 4) == causalMask)
        let padding = Tensor([false, false, false, false, false, false, false, true], shape: [2, 4])
        let input = Variable(x.converted(to: .float32))
        let result = attention(
            query: input, key: input, value: input, keyPaddingMask: padding, attentionMask: causalMask)
        var additive = [Double](repeating: 0, count: 2 * 3 * 16)
        for n in 0..<2 {
            for h in 0..<3 {
                for i in 0..<4 {
                    for j in 0..<4 where causal[i * 4 + j] || (n == 1 && j == 3) {
                        additive[((n * 3 + h) * 4 + i) * 4 + j] = -.infinity
                    }
                }
            }
        }
        let batchMajor = x.transposed(0, 1).contiguous()
        let reference = referenceAttention(
            attention, query: batchMajor, key: batchMajor, value: batchMajor,
            mask: Tensor(additive, shape: [2, 3, 4, 4]))
        #expect(result.output.shape == [4, 2, 6])
        #expect(close(result.output.value, reference.output.transposed(0, 1), tolerance: 1e-5))
        #expect(close(result.weights!.value, reference.weights, tolerance: 1e-6))
        // Masked positions get exactly zero weight.
        #expect(result.weights!.value[1, 0, 3].item(as: Float.self) == 0)
        #expect(result.weights!.value[0, 1, 2].item(as: Float.self) == 0)
        // The layer call (self-attention, no masks) agrees with the unmasked reference.
        let plain = referenceAttention(attention, query: batchMajor, key: batchMajor, value: batchMajor, mask: nil)
        #expect(close(attention(input).value, plain.output.transposed(0, 1), tolerance: 1e-5))
    }

    @Test func crossAttentionBatchFirstWithFloatMaskMatchesReference() {
        let attention = MultiHeadAttention(embeddingDimension: 4, headCount: 2, batchFirst: true, seed: 5)
        attention.inputProjectionBias!.value = randomNormal([12], seed: 6).converted(to: .float32)
        let (q, k, v) = (
            randomNormal([2, 3, 4], seed: 7), randomNormal([2, 5, 4], seed: 8), randomNormal([2, 5, 4], seed: 9)
        )
        let mask = randomNormal([4, 3, 5], seed: 10)  // [N · heads, L, S]
        let result = attention(
            query: Variable(q.converted(to: .float32)), key: Variable(k.converted(to: .float32)),
            value: Variable(v.converted(to: .float32)), attentionMask: mask.converted(to: .float32),
            averageWeights: false)
        let reference = referenceAttention(attention, query: q, key: k, value: v, mask: mask.reshaped([2, 2, 3, 5]))
        #expect(result.output.shape == [2, 3, 4])
        #expect(result.weights!.shape == [2, 2, 3, 5])
        #expect(close(result.output.value, reference.output, tolerance: 1e-5))
    }

    @Test func attentionGradientsPassGradientCheck() {
        let attention = MultiHeadAttention(embeddingDimension: 4, headCount: 2, batchFirst: true, seed: 11)
        attention.inputProjectionBias!.value = randomNormal([12], seed: 12, scale: 0.1).converted(to: .float32)
        convertToDouble(attention)
        let padding = Tensor([false, false, true, false, false, false], shape: [2, 3])
        let inputs = [
            randomNormal([2, 2, 4], seed: 13), randomNormal([2, 3, 4], seed: 14), randomNormal([2, 3, 4], seed: 15),
        ]
        let function: ([Variable]) -> Variable = { v in
            let result = attention(query: v[0], key: v[1], value: v[2], keyPaddingMask: padding)
            return Variable.concatenated([result.output.reshaped([-1]), result.weights!.reshaped([-1])])
        }
        let inputCheck = gradientCheck(inputs: inputs, function)
        #expect(inputCheck.passed, "\(inputCheck)")
        let parameterCheck = parameterGradientCheck(attention, inputs: inputs, function)
        #expect(parameterCheck.firstMismatch == nil, "\(parameterCheck)")
        let selfCheck = gradientCheck(inputs: [inputs[1]]) { v in attention(v[0]) }
        #expect(selfCheck.passed, "\(selfCheck)")
    }

    @Test func attentionDropoutIsSeededAndOffInEvaluation() {
        let make = { MultiHeadAttention(embeddingDimension: 4, headCount: 1, dropout: 0.5, batchFirst: true, seed: 3) }
        let (a, b) = (make(), make())
        let x = Variable(randomNormal([2, 5, 4], seed: 16).converted(to: .float32))
        let trainedA = a(query: x, key: x, value: x).weights!.value
        #expect(trainedA == b(query: x, key: x, value: x).weights!.value)
        a.eval()
        let evaluated = a(query: x, key: x, value: x).weights!.value
        #expect(trainedA != evaluated)
        #expect(close(evaluated.sum(axis: -1), Tensor.ones(shape: [2, 5], dtype: .float64), tolerance: 1e-5))
    }

    @Test("a bad mask traps naming the op and shapes")
    func maskShapeMismatchTraps() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let attention = MultiHeadAttention(embeddingDimension: 4, headCount: 2, batchFirst: true)
            let x = Variable(Tensor.zeros(shape: [2, 3, 4]))
            _ = attention(query: x, key: x, value: x, keyPaddingMask: Tensor.zeros(shape: [3, 2], dtype: .bool))
        }
        let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(message.contains("multiHeadAttention: key padding mask [3, 2] must be [2, 3] (batch, source)"))
    }
}

@Suite("Transformer encoder layer")
struct TransformerEncoderLayerTests {
    @Test func namesAndDefaultsMatchPyTorch() {
        let layer = TransformerEncoderLayer(modelDimension: 8, headCount: 2, seed: 0)
        #expect(
            layer.namedParameters().map(\.name) == [
                "self_attn.in_proj_weight", "self_attn.in_proj_bias", "self_attn.out_proj.weight",
                "self_attn.out_proj.bias",
                "linear1.weight", "linear1.bias", "linear2.weight", "linear2.bias",
                "norm1.weight", "norm1.bias", "norm2.weight", "norm2.bias",
            ])
        #expect(layer.linear1.outputFeatures == 2048)
        #expect(layer.feedForwardDropout.probability == 0.1 && layer.selfAttention.dropout == 0.1)
        #expect(layer.norm1.epsilon == 1e-5 && !layer.normFirst && !layer.selfAttention.batchFirst)
        layer.eval()
        #expect(!layer.attentionDropout.isTraining && !layer.selfAttention.isTraining)
    }

    @Test(arguments: [(false, TransformerEncoderLayer.Activation.relu), (true, .gelu)])
    func forwardMatchesComposedReference(normFirst: Bool, activation: TransformerEncoderLayer.Activation) {
        let layer = TransformerEncoderLayer(
            modelDimension: 6, headCount: 2, feedForwardDimension: 10, activation: activation, batchFirst: true,
            normFirst: normFirst, seed: 4)
        layer.eval()
        layer.norm1.weight!.value = randomNormal([6], seed: 1).converted(to: .float32)
        layer.norm2.bias!.value = randomNormal([6], seed: 2).converted(to: .float32)
        let x = randomNormal([2, 5, 6], seed: 3)
        let padding = Tensor([false, false, false, true, true, false, false, false, false, false], shape: [2, 5])
        var additive = [Double](repeating: 0, count: 2 * 2 * 25)
        // Batch 0 pads keys 3 and 4: every head and query row masks them.
        for h in 0..<2 { for i in 0..<5 { for j in 3..<5 { additive[(h * 5 + i) * 5 + j] = -.infinity } } }
        let mask = Tensor(additive, shape: [2, 2, 5, 5])
        func attend(_ t: Tensor) -> Tensor {
            referenceAttention(layer.selfAttention, query: t, key: t, value: t, mask: mask).output
        }
        func feedForward(_ t: Tensor) -> Tensor {
            let hidden = referenceLinear(t, layer.linear1)
            return referenceLinear(activation == .relu ? hidden.relu() : hidden.gelu(), layer.linear2)
        }
        var expected = x
        if normFirst {
            expected = expected + attend(referenceLayerNorm(expected, layer.norm1))
            expected = expected + feedForward(referenceLayerNorm(expected, layer.norm2))
        } else {
            expected = referenceLayerNorm(expected + attend(expected), layer.norm1)
            expected = referenceLayerNorm(expected + feedForward(expected), layer.norm2)
        }
        let output = layer(Variable(x.converted(to: .float32)), attentionMask: nil, keyPaddingMask: padding)
        #expect(close(output.value, expected, tolerance: 1e-4))
    }

    @Test func gradientsPassGradientCheck() {
        let layer = TransformerEncoderLayer(
            modelDimension: 4, headCount: 2, feedForwardDimension: 6, dropout: 0, activation: .gelu, seed: 7)
        convertToDouble(layer)
        let causal = Tensor([false, true, true, false, false, true, false, false, false], shape: [3, 3])
        let function: ([Variable]) -> Variable = { v in layer(v[0], attentionMask: causal, keyPaddingMask: nil) }
        let inputs = [randomNormal([3, 2, 4], seed: 8)]
        let inputCheck = gradientCheck(inputs: inputs, function)
        #expect(inputCheck.passed, "\(inputCheck)")
        let parameterCheck = parameterGradientCheck(layer, inputs: inputs, function)
        #expect(parameterCheck.firstMismatch == nil, "\(parameterCheck)")
    }
}
