import ForgeAutograd
import ForgeLayers
import ForgeTensor

/// The reference MLP 64-128-64-10 with ReLU.
func makeMLP(seed: UInt64) -> Sequential {
    var generator = RandomGenerator(seed: seed)
    return Sequential([
        Linear(inputFeatures: 64, outputFeatures: 128, generator: &generator), ReLU(),
        Linear(inputFeatures: 128, outputFeatures: 64, generator: &generator), ReLU(),
        Linear(inputFeatures: 64, outputFeatures: 10, generator: &generator),
    ])
}

/// A small CNN for 1×8×8 digit images.
func makeCNN(seed: UInt64) -> Sequential {
    var generator = RandomGenerator(seed: seed)
    return Sequential([
        Conv2d(inputChannels: 1, outputChannels: 16, kernelSize: 3, padding: 1, generator: &generator), ReLU(),
        MaxPool2d(kernelSize: 2),
        Conv2d(inputChannels: 16, outputChannels: 32, kernelSize: 3, padding: 1, generator: &generator), ReLU(),
        MaxPool2d(kernelSize: 2), Flatten(),
        Linear(inputFeatures: 32 * 2 * 2, outputFeatures: 10, generator: &generator),
    ])
}

/// Reads each digit as a sequence of 8 rows of 8 pixels and classifies from the LSTM's last hidden state.
final class DigitsLSTM: Module, Layer {
    let recurrent: LSTM
    let classifier: Linear

    init(seed: UInt64) {
        var generator = RandomGenerator(seed: seed)
        recurrent = LSTM(inputSize: 8, hiddenSize: 64, batchFirst: true, generator: &generator)
        classifier = Linear(inputFeatures: 64, outputFeatures: 10, generator: &generator)
        super.init()
    }

    func forward(_ images: Variable) -> Variable {
        let sequence = images.reshaped(-1, 8, 8)
        let last = recurrent(sequence).hidden.squeezed(axis: 0)  // [B, 64]
        return classifier(last)
    }
}

/// A one-layer transformer encoder over the 8 rows of a digit, mean-pooled over time.
final class DigitsTransformer: Module, Layer {
    let embedding: Linear
    let position: Variable
    let encoder: TransformerEncoderLayer
    let classifier: Linear

    init(seed: UInt64) {
        var generator = RandomGenerator(seed: seed)
        embedding = Linear(inputFeatures: 8, outputFeatures: 32, generator: &generator)
        position = Variable(Tensor.normal(shape: [8, 32], standardDeviation: 0.02, generator: &generator), requiresGradient: true)
        encoder = TransformerEncoderLayer(
            modelDimension: 32, headCount: 4, feedForwardDimension: 64, dropout: 0, batchFirst: true,
            generator: &generator)
        classifier = Linear(inputFeatures: 32, outputFeatures: 10, generator: &generator)
        super.init()
    }

    func forward(_ images: Variable) -> Variable {
        let tokens = embedding(images.reshaped(-1, 8, 8)) + position  // [B, 8, 32]
        return classifier(encoder(tokens).mean(axis: 1))
    }
}
