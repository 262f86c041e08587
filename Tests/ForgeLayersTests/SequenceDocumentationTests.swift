import ForgeAutograd
import ForgeLayers
import ForgeTensor
import Testing

// The code of the DocC article "Sequence models and losses", kept compiling and checked here.

/// Reads a digit as 8 rows of 8 features with an LSTM ("Sequence models and losses").
final class RowReader: Module, Layer {
    let lstm: LSTM
    let head: Linear

    init(generator: inout RandomGenerator) {
        lstm = LSTM(inputSize: 8, hiddenSize: 64, batchFirst: true, generator: &generator)
        head = Linear(inputFeatures: 64, outputFeatures: 10, generator: &generator)
        super.init()
    }

    func forward(_ rows: Variable) -> Variable {
        let result = lstm(rows)
        return head(result.hidden[0])
    }
}

@Suite("Sequence models article")
struct SequenceDocumentationTests {
    @Test func rowReaderClassifiesEightRows() {
        var generator = RandomGenerator(seed: 0)
        let model = RowReader(generator: &generator)
        #expect(model(Variable(Tensor.zeros(shape: [3, 8, 8]))).shape == [3, 10])
        #expect(model.namedParameters().first?.name == "lstm.weight_ih_l0")
    }

    @Test func attentionWithMasks() {
        let attention = MultiHeadAttention(embeddingDimension: 16, headCount: 4, batchFirst: true, seed: 0)
        let tokens = Variable(Tensor.zeros(shape: [2, 5, 16]))
        let padding = Tensor([false, false, false, false, false, false, false, false, true, true], shape: [2, 5])
        let (output, weights) = attention(
            query: tokens, key: tokens, value: tokens, keyPaddingMask: padding,
            attentionMask: MultiHeadAttention.causalMask(length: 5))
        #expect(output.shape == [2, 5, 16])
        #expect(weights?.shape == [2, 5, 5])
        // Equal scores: row 4 of batch 1 spreads over the three unpadded keys.
        #expect(Swift.abs((weights?.value[1, 4, 0].item(as: Float.self) ?? 0) - 1.0 / 3) < 1e-6)
    }

    @Test func crossEntropyWithLabelSmoothing() throws {
        let logits = Variable(Tensor.zeros(shape: [4, 10]), requiresGradient: true)
        let labels = Tensor([3, 1, 4, 1] as [Int64])
        let loss = Loss.crossEntropy(logits: logits, targets: labels, labelSmoothing: 0.1)
        try loss.backward()
        // Uniform logits: the loss is log 10 whatever the smoothing.
        #expect(Swift.abs(loss.value.item(as: Float.self) - 2.3025851) < 1e-5)
        #expect(logits.gradient?.shape == [4, 10])
    }
}
