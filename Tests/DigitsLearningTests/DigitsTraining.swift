import ForgeAutograd
import ForgeLayers
import ForgeOptimizers
import ForgeTensor

/// Trains `model` on the digits with Adam and cross-entropy, shuffling with `generator` every epoch.
///
/// - Parameter reshape: turns a `[B, 64]` feature batch into the model's input.
func trainOnDigits<Model: Layer>(
    _ model: Model, epochs: Int, learningRate: Double = 1e-3, batchSize: Int = 32,
    generator: inout RandomGenerator, optimizer existing: Adam? = nil, reshape: (Tensor) -> Tensor = { $0 }
) throws -> Adam where Model.Input == Variable, Model.Output == Variable {
    let data = DigitsData.shared
    let optimizer = try existing ?? Adam(parameters: model.parameters(), learningRate: learningRate)
    model.train()
    for _ in 0..<epochs {
        for batch in data.batches(size: batchSize, generator: &generator) {
            optimizer.zeroGradients()
            let loss = Loss.crossEntropy(logits: model(Variable(reshape(batch.features))), targets: batch.labels)
            try loss.backward()
            optimizer.step()
        }
    }
    return optimizer
}

/// Test-set accuracy of `model` in evaluation mode.
func digitsAccuracy<Model: Layer>(
    _ model: Model, reshape: (Tensor) -> Tensor = { $0 }
) -> Double where Model.Input == Variable, Model.Output == Variable {
    let data = DigitsData.shared
    model.eval()
    defer { model.train() }
    let predictions = withoutGradient { model(Variable(reshape(data.testFeatures))).value.argmax(axis: 1) }
    let correct = (predictions .== data.testLabels).sum().item(as: Int64.self)
    return Double(correct) / Double(data.testLabels.count)
}

/// `[B, 64]` features as `[B, 1, 8, 8]` images.
func asImages(_ features: Tensor) -> Tensor { features.reshaped(-1, 1, 8, 8) }
