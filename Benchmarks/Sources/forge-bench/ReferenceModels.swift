import ForgeAutograd
import ForgeData
import ForgeLayers
import ForgeOptimizers
import ForgeTensor
import Foundation

/// The models of the reference script (`../shared/reference/pytorch_reference.py`), built the same way
/// the peer builds them.
enum ReferenceModels {
    /// MLP 64-128-64-10 with ReLU.
    static func mlp(generator: inout RandomGenerator) -> Sequential {
        Sequential([
            Linear(inputFeatures: 64, outputFeatures: 128, generator: &generator), ReLU(),
            Linear(inputFeatures: 128, outputFeatures: 64, generator: &generator), ReLU(),
            Linear(inputFeatures: 64, outputFeatures: 10, generator: &generator),
        ])
    }

    /// conv(1→8, 3×3, pad 1) + ReLU + max-pool 2 → conv(8→16, 3×3, pad 1) + ReLU + max-pool 2 → flatten →
    /// linear(784 → 10), on 1×28×28 inputs.
    static func cnn(generator: inout RandomGenerator) -> Sequential {
        Sequential([
            Conv2d(inputChannels: 1, outputChannels: 8, kernelSize: 3, padding: 1, generator: &generator), ReLU(),
            MaxPool2d(kernelSize: 2),
            Conv2d(inputChannels: 8, outputChannels: 16, kernelSize: 3, padding: 1, generator: &generator), ReLU(),
            MaxPool2d(kernelSize: 2), Flatten(),
            Linear(inputFeatures: 16 * 7 * 7, outputFeatures: 10, generator: &generator),
        ])
    }

    /// One training step as the peer times it: zero gradients, forward, cross-entropy, backward, Adam step.
    static func trainingStep(model: Sequential, optimizer: Adam, input: Tensor, labels: Tensor) {
        optimizer.zeroGradients()
        let loss = Loss.crossEntropy(logits: model(Variable(input)), targets: labels)
        do {
            try loss.backward()
        } catch {
            preconditionFailure("training step: \(error)")
        }
        optimizer.step()
    }

    /// The digits CSV files the tests use (`label, f0 … f63`), found relative to this source file and read
    /// with ForgeData's CSV reader.
    static func digits(_ split: String) -> (features: Tensor, labels: Tensor) {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Tests/DigitsLearningTests/Fixtures/digits_\(split).csv")
        do {
            let table = try CSVReader.readMatrix(at: url)
            return (table[.all, 1...], table[.all, 0].converted(to: .int64))
        } catch {
            preconditionFailure("digits fixture unreadable at \(url.path): \(error)")
        }
    }
}
