import ForgeAutograd
import ForgeLayers
import ForgeOptimizers
import ForgeTensor

/// `mlp_step`: one Adam training step of the reference MLP at batch 1, 32 and 256, in milliseconds.
///
/// As in the peer: random normal inputs, random labels, cross-entropy, `zero_grad`/backward/step, median
/// of 5× the usual repeats.
struct MLPStepWorkload: Workload {
    let name = "mlp_step"
    let resultKey = "mlp_step_ms"
    let summary = "MLP 64-128-64-10 Adam training step at batch 1, 32, 256, ms"

    func run(settings: BenchmarkSettings) -> JSONValue {
        var generator = RandomGenerator(seed: 0)
        var results: [(key: String, value: JSONValue)] = []
        for batch in [1, 32, 256] {
            let model = ReferenceModels.mlp(generator: &generator)
            guard let optimizer = try? Adam(parameters: model.parameters(), learningRate: 1e-3) else {
                preconditionFailure("mlp_step: Adam rejected its default hyperparameters")
            }
            let input = Tensor.normal(shape: [batch, 64], generator: &generator)
            let labels = Tensor.randomIntegers(shape: [batch], low: 0, high: 10, generator: &generator)
            let seconds = settings.longClock.medianSeconds {
                ReferenceModels.trainingStep(model: model, optimizer: optimizer, input: input, labels: labels)
            }
            results.append((String(batch), .rounded(seconds * 1e3, places: 4)))
        }
        return .object(results)
    }
}

/// `cnn_step`: one Adam training step of the reference CNN on a batch of 64 1×28×28 images, in milliseconds.
struct CNNStepWorkload: Workload {
    let name = "cnn_step"
    let resultKey = "cnn_step_ms"
    let summary = "reference CNN Adam training step at batch 64 on 1x28x28, ms"

    func run(settings: BenchmarkSettings) -> JSONValue {
        var generator = RandomGenerator(seed: 0)
        let model = ReferenceModels.cnn(generator: &generator)
        guard let optimizer = try? Adam(parameters: model.parameters(), learningRate: 1e-3) else {
            preconditionFailure("cnn_step: Adam rejected its default hyperparameters")
        }
        let input = Tensor.normal(shape: [64, 1, 28, 28], generator: &generator)
        let labels = Tensor.randomIntegers(shape: [64], low: 0, high: 10, generator: &generator)
        let seconds = settings.clock.medianSeconds {
            ReferenceModels.trainingStep(model: model, optimizer: optimizer, input: input, labels: labels)
        }
        return .object([("64", .rounded(seconds * 1e3, places: 3))])
    }
}

/// `mlp_digits`: the reference recipe end to end — standardize, 30 epochs of shuffled batches of 32 with
/// Adam 1e-3 — reporting milliseconds per epoch and the test accuracy.
struct MLPDigitsWorkload: Workload {
    let name = "mlp_digits"
    let resultKey = "mlp_digits"
    let summary = "MLP on the digits, 30 epochs, batch 32: ms per epoch and test accuracy"

    func run(settings: BenchmarkSettings) -> JSONValue {
        let (trainX, trainY) = ReferenceModels.digits("train")
        let (testX, testY) = ReferenceModels.digits("test")
        let mean = trainX.mean(axis: 0, keepingDimensions: true)
        var deviation = trainX.standardDeviation(axes: [0], correction: 0, keepingDimensions: true)
        deviation = Tensor.where(deviation .== 0, Tensor(Float(1)), deviation)
        let train = (trainX - mean) / deviation
        let test = (testX - mean) / deviation
        var generator = RandomGenerator(seed: 0)
        let model = ReferenceModels.mlp(generator: &generator)
        guard let optimizer = try? Adam(parameters: model.parameters(), learningRate: 1e-3) else {
            preconditionFailure("mlp_digits: Adam rejected its default hyperparameters")
        }
        let epochs = 30
        let clock = ContinuousClock()
        let start = clock.now
        for _ in 0..<epochs {
            let order = Tensor.randomPermutation(count: trainY.count, generator: &generator)
            for indices in order.split(size: 32) {
                ReferenceModels.trainingStep(
                    model: model, optimizer: optimizer, input: train.indexSelect(axis: 0, indices: indices),
                    labels: trainY.indexSelect(axis: 0, indices: indices))
            }
        }
        let milliseconds = BenchmarkClock.seconds(clock.now - start) * 1e3
        let predictions = withoutGradient { model(Variable(test)).value.argmax(axis: 1) }
        let accuracy = Double((predictions .== testY).sum().item(as: Int64.self)) / Double(testY.count)
        return .object([
            ("epochs", .integer(epochs)), ("batch", .integer(32)),
            ("ms_per_epoch", .rounded(milliseconds / Double(epochs), places: 2)),
            ("test_accuracy", .rounded(accuracy, places: 4)),
        ])
    }
}

/// `infer`: eager inference (no gradient recording) of the reference MLP and CNN at batch 1 and 64, in
/// milliseconds; the peer reports PyTorch eager and ONNX Runtime on the same models.
struct InferenceWorkload: Workload {
    let name = "infer"
    let resultKey = "infer_ms"
    let summary = "eager inference of the MLP and CNN at batch 1 and 64, ms"

    func run(settings: BenchmarkSettings) -> JSONValue {
        var generator = RandomGenerator(seed: 0)
        var results: [(key: String, value: JSONValue)] = []
        for (name, model, shape) in [
            ("mlp", ReferenceModels.mlp(generator: &generator), [64]),
            ("cnn", ReferenceModels.cnn(generator: &generator), [1, 28, 28]),
        ] {
            model.eval()
            for batch in [1, 64] {
                let input = Tensor.normal(shape: [batch] + shape, generator: &generator)
                let seconds = settings.longClock.medianSeconds {
                    blackHole(withoutGradient { model(Variable(input)).value })
                }
                results.append(("\(name)_b\(batch)", .rounded(seconds * 1e3, places: 4)))
            }
        }
        return .object(results)
    }
}
