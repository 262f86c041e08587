// TrainDigits: trains a classifier on scikit-learn's digits end to end with Forge.
//
//     swift run -c release TrainDigits [mlp|cnn] [seed …]
//
// Reads the CSV files with ForgeData, standardizes with statistics fitted on the training split, feeds
// shuffled batches of 32 through a DataLoader, trains with Adam (learning rate 1e-3) and cross-entropy
// for 30 epochs, and prints the loss per epoch, the time per epoch and the test accuracy. With several
// seeds it trains once per seed and prints the spread of accuracies.

import ForgeAutograd
import ForgeData
import ForgeLayers
import ForgeOptimizers
import ForgeTensor
import Foundation

let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Tests/DigitsLearningTests/Fixtures")
var arguments = Array(CommandLine.arguments.dropFirst())
let kind = arguments.first.flatMap { ["mlp", "cnn"].contains($0) ? $0 : nil } ?? "mlp"
if arguments.first == kind { arguments.removeFirst() }
let seeds = arguments.isEmpty ? [0] : arguments.compactMap { UInt64($0) }
let epochs = 30

/// The reference MLP 64-128-64-10 or a small CNN over 1×8×8 images.
func makeModel(seed: UInt64) -> Sequential {
    var generator = RandomGenerator(seed: seed)
    if kind == "cnn" {
        return Sequential([
            Conv2d(inputChannels: 1, outputChannels: 16, kernelSize: 3, padding: 1, generator: &generator), ReLU(),
            MaxPool2d(kernelSize: 2),
            Conv2d(inputChannels: 16, outputChannels: 32, kernelSize: 3, padding: 1, generator: &generator), ReLU(),
            MaxPool2d(kernelSize: 2), Flatten(),
            Linear(inputFeatures: 128, outputFeatures: 10, generator: &generator),
        ])
    }
    return Sequential([
        Linear(inputFeatures: 64, outputFeatures: 128, generator: &generator), ReLU(),
        Linear(inputFeatures: 128, outputFeatures: 64, generator: &generator), ReLU(),
        Linear(inputFeatures: 64, outputFeatures: 10, generator: &generator),
    ])
}

func shaped(_ features: Tensor) -> Tensor { kind == "cnn" ? features.reshaped(-1, 1, 8, 8) : features }

do {
    let train = try CSVReader.readMatrix(at: fixtures.appendingPathComponent("digits_train.csv"))
    let test = try CSVReader.readMatrix(at: fixtures.appendingPathComponent("digits_test.csv"))
    let trainSet = TensorDataset(features: train[.all, 1...], labels: train[.all, 0].converted(to: .int64))
    let standardize = Standardize.fit(trainSet.features)
    let testFeatures = standardize(test[.all, 1...])
    let testLabels = test[.all, 0].converted(to: .int64)

    var accuracies: [Double] = []
    for seed in seeds {
        let model = makeModel(seed: seed)
        let optimizer = try Adam(parameters: model.parameters(), learningRate: 1e-3)
        let loader = DataLoader(trainSet, batchSize: 32, shuffle: true, seed: seed, transform: standardize)
        let start = Date()
        for epoch in 0..<epochs {
            var total = 0.0
            var batches = 0
            for batch in loader {
                optimizer.zeroGradients()
                let loss = Loss.crossEntropy(logits: model(Variable(shaped(batch.features))), targets: batch.labels)
                try loss.backward()
                optimizer.step()
                total += Double(loss.value.item(as: Float.self))
                batches += 1
            }
            if seeds.count == 1 && (epoch % 5 == 4 || epoch == 0) {
                print("epoch \(epoch + 1): mean loss \(String(format: "%.4f", total / Double(batches)))")
            }
        }
        let milliseconds = Date().timeIntervalSince(start) * 1000 / Double(epochs)
        model.eval()
        let predictions = withoutGradient { model(Variable(shaped(testFeatures))).value.argmax(axis: 1) }
        let accuracy = Double((predictions .== testLabels).sum().item(as: Int64.self)) / Double(testLabels.count)
        accuracies.append(accuracy)
        print("\(kind) seed \(seed): test accuracy \(String(format: "%.4f", accuracy)), \(String(format: "%.1f", milliseconds)) ms per epoch")
    }
    if accuracies.count > 1 {
        let mean = accuracies.reduce(0, +) / Double(accuracies.count)
        print("\(kind): mean accuracy \(String(format: "%.4f", mean)), min \(String(format: "%.4f", accuracies.min()!)), max \(String(format: "%.4f", accuracies.max()!)) over \(accuracies.count) seeds")
    }
} catch {
    print("TrainDigits: \(error)")
    exit(1)
}
