import ForgeAutograd
import ForgeLayers
import ForgeTensor
import Foundation
import Testing

// Outputs of PyTorch 2.15 (float64) pasted from a script that builds the same modules, fills every
// parameter `k` (in `state_dict` order) element `i` with `0.3 sin(0.37 i + 1.1 k + 0.2)` and feeds inputs
// `0.8 cos(0.53 i + phase)`:
//
//     def fill(module):
//         for k, (name, p) in enumerate(module.state_dict().items()):
//             p.copy_(torch.tensor([0.3 * math.sin(0.37 * i + 1.1 * k + 0.2) for i in range(p.numel())]).reshape(p.shape))
//     def data(shape, phase=0.1):
//         return torch.tensor([0.8 * math.cos(0.53 * i + phase) for i in range(math.prod(shape))]).reshape(shape)
//
// Modules run in evaluation mode with gradients enabled (PyTorch's fused fast path is off), dropout 0.

/// Fills every parameter as the reference script does (the names are PyTorch's, so the order is too).
private func fillLikeReference(_ module: Module) {
    for (k, entry) in module.namedParameters().enumerated() {
        let values = (0..<entry.parameter.count).map { 0.3 * Foundation.sin(0.37 * Double($0) + 1.1 * Double(k) + 0.2) }
        entry.parameter.value = Tensor(values, shape: entry.parameter.shape)
    }
}

/// The reference script's input values.
private func data(_ shape: [Int], phase: Double = 0.1) -> Tensor {
    let count = shape.reduce(1, *)
    return Tensor((0..<count).map { 0.8 * Foundation.cos(0.53 * Double($0) + phase) }, shape: shape)
}

/// Element-wise agreement with pasted numbers.
private func matches(_ actual: Variable, _ expected: [Double], tolerance: Double = 1e-8) -> Bool {
    let values = actual.value.converted(to: .float64).scalars(as: Double.self)
    return values.count == expected.count && zip(values, expected).allSatisfy { Swift.abs($0 - $1) <= tolerance }
}

@Suite("Layers and losses against PyTorch")
struct PyTorchReferenceTests {
    @Test func bidirectionalStackedLSTM() {
        let lstm = LSTM(inputSize: 3, hiddenSize: 4, layerCount: 2, batchFirst: true, bidirectional: true)
        fillLikeReference(lstm)
        let result = lstm(Variable(data([2, 3, 3])))
        #expect(
            matches(
                result.output,
                [
                    0.0746091087, 0.05796357337, 0.00859384032, 0.01320626463, 0.01379185301, 0.1727353145,
                    0.0504680209,
                    0.21852492, 0.1199771364, 0.07393507033, 0.02463746405, 0.0168275824, 0.02324991256, 0.1376558689,
                    0.06983141031, 0.1727492547, 0.1487653134, 0.07223371574, 0.04504690971, 0.01199670843,
                    0.01113102295,
                    0.09538621828, 0.06902230308, 0.1101220195, 0.08154071697, 0.05065669405, 0.01677920698,
                    0.003907379361,
                    0.01437826498, 0.1730358877, 0.04905242346, 0.2222218705, 0.1159565967, 0.07864162989,
                    0.02009246952,
                    0.02265349158, 0.01755653055, 0.1427681018, 0.06865283847, 0.171714839, 0.1430861091, 0.07752309827,
                    0.03935194765, 0.01791724719, 0.01675754148, 0.08993514179, 0.0743069451, 0.1051471348,
                ]))
        #expect(
            matches(
                result.hidden,
                [
                    -0.06912810068, 0.07985915915, 0.1438390756, 0.1287319123, -0.06706801119, -0.00125351884,
                    0.1114004208,
                    0.1487849345, -0.1172734629, -0.1700478217, -0.2966426477, -0.296818257, -0.02468696684,
                    -0.1555852321,
                    -0.3220436004, -0.3599332836, 0.1487653134, 0.07223371574, 0.04504690971, 0.01199670843,
                    0.1430861091,
                    0.07752309827, 0.03935194765, 0.01791724719, 0.01379185301, 0.1727353145, 0.0504680209, 0.21852492,
                    0.01437826498, 0.1730358877, 0.04905242346, 0.2222218705,
                ]))
        #expect(
            matches(
                result.cell,
                [
                    -0.1355380956, 0.1484467594, 0.2282885277, 0.1849489848, -0.1341635158, -0.002280510789,
                    0.1668461766,
                    0.2112466526, -0.3191448611, -0.3537294488, -0.5695019593, -0.5485470646, -0.05956483234,
                    -0.3304849524,
                    -0.6782546143, -0.7243537116, 0.3523634791, 0.1839547612, 0.1237391051, 0.02971177429, 0.3396369517,
                    0.197475838, 0.1077513014, 0.04455782403, 0.02213429837, 0.2821959532, 0.09346053766, 0.4402996614,
                    0.02326753227, 0.2797232875, 0.09223697726, 0.4396458187,
                ]))
    }

    @Test func gruWithInitialStateAndReluRNN() {
        let gru = GRU(inputSize: 3, hiddenSize: 4)
        fillLikeReference(gru)
        let result = gru(Variable(data([3, 2, 3])), initialHidden: Variable(data([1, 2, 4], phase: 0.7)))
        #expect(
            matches(
                result.output,
                [
                    0.03504377122, -0.1052402453, -0.240601763, -0.1797100293, -0.4446694053, -0.1808632437,
                    0.03353257117,
                    0.0704880375, -0.1503654466, 0.1336763558, 0.2352326033, 0.05718275558, -0.3562736092,
                    -0.3858011916,
                    -0.07056873391, 0.2010683504, -0.1199289961, -0.2433457867, -0.09964379, 0.119117609, -0.258901282,
                    0.02007896583, 0.2153838507, 0.1670844994,
                ]))
        let rnn = RNN(inputSize: 3, hiddenSize: 4, layerCount: 2, nonlinearity: .relu)
        fillLikeReference(rnn)
        #expect(
            matches(
                rnn(Variable(data([3, 2, 3]))).output,
                [
                    0.2292723045, 0.5079514878, 0.7161631069, 0.4590876111, 0.4479164079, 0.5069304568, 0.4973338464,
                    0.4204254331, 0.4516139631, 1.039407123, 0.5901973399, 0, 0.2323545193, 1.012685345, 0.8046109696,
                    0,
                    0.119516565, 1.086619161, 0.9308563223, 0, 0.3790410817, 1.091335454, 0.6721870736, 0,
                ]))
    }

    @Test func multiHeadAttentionWithPaddingAndFloatMask() {
        let attention = MultiHeadAttention(embeddingDimension: 4, headCount: 2, batchFirst: true)
        fillLikeReference(attention)
        let padding = Tensor(
            [false, false, false, false, true, false, true, false, false, false], shape: [2, 5])
        let mask = Tensor(
            rows: [[0.0, -1.0, 0.5, 0.0, 0.2], [0.1, 0.0, 0.0, -0.3, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0]] as [[Double]])
        let result = attention(
            query: Variable(data([2, 3, 4])), key: Variable(data([2, 5, 4], phase: 0.4)),
            value: Variable(data([2, 5, 4], phase: 0.9)), keyPaddingMask: padding, attentionMask: mask)
        #expect(
            matches(
                result.output,
                [
                    -0.1318566786, 0.05339157413, -0.1946261506, -0.5383741879, -0.2014890454, 0.07060125295,
                    -0.1218729247,
                    -0.5423905603, -0.1767263393, 0.06048032388, -0.148470993, -0.5370930114, -0.128168557,
                    0.0524934719,
                    -0.1984771369, -0.538174436, -0.1591105932, 0.06201864466, -0.165807775, -0.5417752405,
                    -0.1102436871,
                    0.05064541101, -0.2167371402, -0.5396377034,
                ]))
        #expect(
            matches(
                result.weights!,
                [
                    0.2470714407, 0.06199188062, 0.4491759484, 0.2417607302, 0, 0.2616640064, 0.3600716452,
                    0.1982867919,
                    0.1799775565, 0, 0.2527664796, 0.2133425317, 0.2844452107, 0.249445778, 0, 0.2444172662, 0,
                    0.2546580499,
                    0.2482071289, 0.252717555, 0.2220876676, 0, 0.3669177965, 0.1467706913, 0.2642238446, 0.2803557399,
                    0,
                    0.2028531239, 0.2827460777, 0.2340450584,
                ]))
    }

    @Test func transformerEncoderLayersPreNormGeluAndPostNormRelu() {
        let preNorm = TransformerEncoderLayer(
            modelDimension: 4, headCount: 2, feedForwardDimension: 6, dropout: 0, activation: .gelu, batchFirst: true,
            normFirst: true)
        fillLikeReference(preNorm)
        preNorm.eval()
        let output = preNorm(
            Variable(data([2, 3, 4], phase: 0.3)), attentionMask: MultiHeadAttention.causalMask(length: 3),
            keyPaddingMask: Tensor([false, false, true, false, false, false], shape: [2, 3]))
        #expect(
            matches(
                output,
                [
                    0.9631992562, 0.7821658606, 0.3168970537, -0.6331820313, -0.4299034223, -0.5430505114,
                    -0.5815589163,
                    -0.89412516, 0.01654661952, 0.5447599786, 0.7833288373, 0.4034335714, 0.9428705715, 0.7349511041,
                    0.2564745094, -0.6904046488, -0.4750125613, -0.5492341756, -0.5562050518, -0.8475355762,
                    0.0636786024,
                    0.6033484012, 0.8352626856, 0.4105447746,
                ]))
        let postNorm = TransformerEncoderLayer(modelDimension: 4, headCount: 2, feedForwardDimension: 6, dropout: 0)
        fillLikeReference(postNorm)
        postNorm.eval()
        #expect(
            matches(
                postNorm(Variable(data([3, 2, 4], phase: 0.6))),
                [
                    -0.4544902879, 0.3611236077, 0.234009488, 0.1796272947, -0.4356562568, 0.3425107268, 0.2588769283,
                    0.1696152542, -0.4397886866, 0.328115242, 0.2713965096, 0.1696180485, -0.4556681009, 0.3610367,
                    0.2336762866, 0.1801026862, -0.4776208874, 0.3372195649, 0.250975012, 0.1854988287, -0.4255345866,
                    0.3288800523, 0.2732868838, 0.16487804,
                ]))
    }

    @Test func transformerEncoderStackWithFinalNorm() {
        var generator = RandomGenerator(seed: 0)
        let encoder = TransformerEncoder(layerCount: 2, norm: LayerNorm(features: 4)) {
            TransformerEncoderLayer(
                modelDimension: 4, headCount: 2, feedForwardDimension: 6, dropout: 0, batchFirst: true,
                generator: &generator)
        }
        #expect(encoder.namedParameters().count == 26)
        #expect(encoder.namedParameters().map(\.name).first == "layers.0.self_attn.in_proj_weight")
        #expect(encoder.namedParameters().map(\.name).last == "norm.bias")
        fillLikeReference(encoder)
        encoder.eval()
        #expect(
            matches(
                encoder(Variable(data([2, 3, 4], phase: 0.2))),
                [
                    -0.3440835528, 0.2929892034, 0.01512340849, -0.05210808651, -0.3440465327, 0.2935333722,
                    0.01515058247, -0.05244776382, -0.3453000689, 0.2918361407, 0.02131555875, -0.05493287109,
                    -0.3441132525, 0.2931429012, 0.0153397982, -0.05232124377, -0.3439198601, 0.2931078024,
                    0.01432626211, -0.05173170326, -0.3451734874, 0.2913597763, 0.0203581118, -0.0541000613,
                ]))
    }

    @Test func layerNormOverTwoDimensions() {
        let norm = LayerNorm(normalizedShape: [2, 3])
        fillLikeReference(norm)
        #expect(
            matches(
                norm(Variable(data([2, 2, 3], phase: 0.9) * 2)),
                [
                    0.3904426069, 0.4425123987, 0.2707300649, 0.001039608757, -0.1983019134, -0.2406794741,
                    0.1865378436,
                    0.1565393806, 0.2711016449, 0.4061760957, 0.4097521449, 0.2250257265,
                ]))
    }

    @Test func classificationLosses() {
        let logits = Variable(data([4, 5], phase: 0.2) * 3)
        let targets = Tensor([2, -100, 0, 4] as [Int64])
        let weight = Tensor([0.5, 2.0, 1.0, 3.0, 1.5] as [Double])
        #expect(
            matches(
                Loss.crossEntropy(logits: logits, targets: targets, weight: weight, labelSmoothing: 0.2), [2.196945474])
        )
        #expect(
            matches(
                Loss.crossEntropy(
                    logits: logits, targets: targets, weight: weight, labelSmoothing: 0.2, reduction: .none),
                [2.672848248, 0, 1.286947112, 2.63104106]))
        let probabilities = (data([4, 5], phase: 1.3) * 2).softmax(axis: 1)
        #expect(
            matches(
                Loss.crossEntropy(logits: logits, targets: probabilities, weight: weight, labelSmoothing: 0.1),
                [2.617850456]))
        let spatialTargets = Tensor([0, 2, 1, 1, 2, 0, 0, 1] as [Int64], shape: [2, 2, 2])
        #expect(
            matches(
                Loss.crossEntropy(
                    logits: Variable(data([2, 3, 2, 2], phase: 0.5) * 2), targets: spatialTargets, reduction: .sum),
                [13.18185065]))
        #expect(
            matches(
                Loss.negativeLogLikelihood(
                    logProbabilities: Variable(logits.value.logSoftmax(axis: 1)), targets: targets, weight: weight),
                [1.870842831]))
        #expect(
            matches(
                Loss.klDivergence(
                    logProbabilities: Variable(logits.value.logSoftmax(axis: 1)), targets: probabilities,
                    reduction: .batchMean),
                [0.2789165554]))
    }

    @Test func binaryAndRegressionLosses() {
        let p = Variable((data([2, 3], phase: 0.8) * 2).sigmoid())
        let t = (data([2, 3], phase: 1.7) + 0.8) / 1.6
        let x = Variable(data([2, 3], phase: 0.8) * 4)
        #expect(
            matches(
                Loss.binaryCrossEntropy(probabilities: p, targets: t, weight: Tensor([1.0, 2.0, 0.5])), [0.6951502545]))
        #expect(
            matches(
                Loss.binaryCrossEntropyWithLogits(
                    logits: x, targets: t, positiveWeight: Tensor([2.0, 0.5, 1.0]), reduction: .none),
                [1.405049569, 0.9608696918, 0.3703472945, 0.1183537171, 0.2135580867, 1.030372929]))
        #expect(matches(Loss.smoothL1(x, target: t, beta: 0.7), [1.695277519]))
        #expect(matches(Loss.huber(x, target: t, delta: 0.6, reduction: .sum), [6.27615471]))
    }
}
