import ForgeAutograd
import ForgeLayers
import ForgeTensor
import Testing

/// Plain gradient descent on every parameter (the optimizers live in ForgeOptimizers).
func descend(_ module: Module, learningRate: Double) {
    withoutGradient {
        for parameter in module.parameters() {
            if let gradient = parameter.gradient { parameter.value = parameter.value - gradient * learningRate }
            parameter.zeroGradient()
        }
    }
}

/// A sequence classifier: the recurrent or attention encoder followed by a linear head.
final class SequenceClassifier: Module, Layer {
    let lstm: LSTM?
    let encoder: TransformerEncoderLayer?
    let head: Linear

    init(useLSTM: Bool) {
        lstm = useLSTM ? LSTM(inputSize: 4, hiddenSize: 16, batchFirst: true, seed: 1) : nil
        encoder =
            useLSTM
            ? nil
            : TransformerEncoderLayer(
                modelDimension: 4, headCount: 2, feedForwardDimension: 16, dropout: 0, batchFirst: true, seed: 1)
        head = Linear(inputFeatures: useLSTM ? 16 : 4, outputFeatures: 2, seed: 2)
    }

    func forward(_ x: Variable) -> Variable {
        if let lstm { return head(lstm(x).hidden[0]) }
        return head(encoder!(x).mean(axis: 1))
    }
}

@Suite("Training smoke tests")
struct TrainingSmokeTests {
    /// Sequences whose class is whether the first feature sums to a positive number.
    func data() -> (Tensor, Tensor) {
        let x = randomNormal([32, 6, 4], seed: 3).converted(to: .float32)
        let labels = (x[.all, .all, 0].sum(axis: 1) .> 0).converted(to: .int64)
        return (x, labels)
    }

    @Test(arguments: [true, false])
    func encoderLearnsASimpleSequenceTask(useLSTM: Bool) throws {
        let model = SequenceClassifier(useLSTM: useLSTM)
        let (x, labels) = data()
        var losses: [Float] = []
        for _ in 0..<150 {
            let loss = Loss.crossEntropy(logits: model(Variable(x)), targets: labels)
            try loss.backward()
            losses.append(loss.value.item(as: Float.self))
            descend(model, learningRate: 0.5)
        }
        #expect(losses[0] > 0.5)
        #expect(losses.last! < 0.2, "losses went from \(losses[0]) to \(losses.last!)")
    }
}
