// TuneDigits: tunes the digits MLP with ForgeTuning — TPE proposes the learning rate, hidden width,
// weight decay and batch size; a median pruner stops trials whose validation accuracy lags after an epoch.
//
//     swift run -c release TuneDigits [trials] [journal path]
//
// Holds out a stratified 20 % of the training CSV for validation, trains each trial with AdamW for 10
// epochs reporting the validation accuracy per epoch, then prints the trials table, the best trial, the
// parameter importances, and the test accuracy of the best configuration retrained from scratch.
// With a journal path the study is kept in an Optuna-compatible journal file (and resumed if it exists).

import ForgeAutograd
import ForgeData
import ForgeLayers
import ForgeOptimizers
import ForgeTensor
import ForgeTuning
import Foundation

let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Tests/DigitsLearningTests/Fixtures")
let arguments = Array(CommandLine.arguments.dropFirst())
let trialCount = arguments.first.flatMap(Int.init) ?? 40
let journalPath = arguments.count > 1 ? arguments[1] : nil
let epochs = 10

/// The hyperparameters one trial trains with.
struct Configuration: Sendable {
    var learningRate: Double
    var hiddenWidth: Int
    var weightDecay: Double
    var batchSize: Int
}

/// The data every trial shares: the training part, the standardization fitted on it, and validation/test.
struct Digits: Sendable {
    let training: SubsetDataset<TensorDataset>
    let standardize: Standardize
    let validationFeatures: Tensor
    let validationLabels: Tensor
    let testFeatures: Tensor
    let testLabels: Tensor

    init() throws {
        let train = try CSVReader.readMatrix(at: fixtures.appendingPathComponent("digits_train.csv"))
        let test = try CSVReader.readMatrix(at: fixtures.appendingPathComponent("digits_test.csv"))
        let all = TensorDataset(features: train[.all, 1...], labels: train[.all, 0].converted(to: .int64))
        let labels = all.labels.scalars(as: Int64.self).map(Int.init)
        let split = DataSplits.stratified(labels: labels, validation: 0.2, test: 0, seed: 0)
        training = all.subset(split.train)
        standardize = Standardize.fit(all.batch(at: split.train).features)
        let validation = all.batch(at: split.validation)
        validationFeatures = standardize(validation.features)
        validationLabels = validation.labels
        testFeatures = standardize(test[.all, 1...])
        testLabels = test[.all, 0].converted(to: .int64)
    }

    /// Trains the MLP 64-width-10 and calls `afterEpoch` with the validation accuracy after each epoch.
    func train(
        _ configuration: Configuration, seed: UInt64,
        afterEpoch: (Int, Double, Sequential) async throws -> Void
    ) async throws -> Sequential {
        var generator = RandomGenerator(seed: seed)
        let model = Sequential([
            Linear(inputFeatures: 64, outputFeatures: configuration.hiddenWidth, generator: &generator), ReLU(),
            Linear(inputFeatures: configuration.hiddenWidth, outputFeatures: 10, generator: &generator),
        ])
        let optimizer = try AdamW(
            parameters: model.parameters(), learningRate: configuration.learningRate,
            weightDecay: configuration.weightDecay)
        let loader = DataLoader(
            training, batchSize: configuration.batchSize, shuffle: true, seed: seed, transform: standardize)
        for epoch in 0..<epochs {
            model.train()
            for batch in loader {
                optimizer.zeroGradients()
                let loss = Loss.crossEntropy(logits: model(Variable(batch.features)), targets: batch.labels)
                try loss.backward()
                optimizer.step()
            }
            try await afterEpoch(epoch, accuracy(model, validationFeatures, validationLabels), model)
        }
        return model
    }

    func accuracy(_ model: Sequential, _ features: Tensor, _ labels: Tensor) -> Double {
        model.eval()
        let predictions = withoutGradient { model(Variable(features)).value.argmax(axis: 1) }
        return Double((predictions .== labels).sum().item(as: Int64.self)) / Double(labels.count)
    }
}

func configuration(of params: [String: ParameterValue]) -> Configuration? {
    guard let learningRate = params["lr"]?.doubleValue, let width = params["hidden_width"]?.intValue,
        let weightDecay = params["weight_decay"]?.doubleValue, let batchSize = params["batch_size"]?.intValue
    else { return nil }
    return Configuration(learningRate: learningRate, hiddenWidth: width, weightDecay: weightDecay, batchSize: batchSize)
}

do {
    let digits = try Digits()
    let storage: any StudyStorage = try journalPath.map { try JournalFileStorage(path: $0) } ?? InMemoryStudyStorage()
    let study = try await Study.create(
        name: "tune-digits-mlp", direction: .maximize, storage: storage, sampler: TPESampler(seed: 42),
        pruner: MedianPruner(startupTrials: 5, warmupSteps: 1), loadIfExists: true)
    study.addObserver(ClosureStudyObserver(didFinish: { _, trial in
        let value = trial.value.map { String(format: "%.4f", $0) } ?? "-"
        print("trial \(trial.number): \(trial.state) \(value)  \(trial.params.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))")
    }))
    // Start from the hand-picked configuration of TrainDigits' neighbourhood.
    try await study.enqueueTrial(
        params: ["lr": 1e-3, "hidden_width": 128, "weight_decay": 1e-4, "batch_size": 32], skipIfExists: true)

    let start = Date()
    try await study.optimize(trials: trialCount) { trial in
        let configuration = Configuration(
            learningRate: try await trial.suggestFloat("lr", 1e-4...3e-1, log: true),
            hiddenWidth: try await trial.suggestInt("hidden_width", 16...256, log: true),
            weightDecay: try await trial.suggestFloat("weight_decay", 1e-6...1e-1, log: true),
            batchSize: Int(try await trial.suggestCategorical("batch_size", [16, 32, 64, 128]).intValue ?? 32))
        var last = 0.0
        _ = try await digits.train(configuration, seed: UInt64(trial.number)) { epoch, accuracy, _ in
            last = accuracy
            try await trial.report(accuracy, step: epoch)
            if try await trial.shouldPrune() { throw TrialPruned("validation accuracy \(accuracy) at epoch \(epoch)") }
        }
        return last
    }
    let seconds = Date().timeIntervalSince(start)

    print("\n\(try await study.trialsTable())\n")
    let best = try await study.bestTrial
    let states = try await study.trials().map(\.state)
    print(
        "\(states.count) trials in \(String(format: "%.1f", seconds)) s: \(states.filter { $0 == .complete }.count) complete, "
            + "\(states.filter { $0 == .pruned }.count) pruned, \(states.filter { $0 == .failed }.count) failed")
    print("best trial \(best.number): validation accuracy \(String(format: "%.4f", best.value ?? .nan)) with \(best.params)")
    if let importances = try? await study.parameterImportances() {
        print("importances: " + importances.map { "\($0.name) \(String(format: "%.2f", $0.importance))" }.joined(separator: ", "))
    }
    if let bestConfiguration = configuration(of: best.params) {
        let model = try await digits.train(bestConfiguration, seed: UInt64(best.number)) { _, _, _ in }
        let accuracy = digits.accuracy(model, digits.testFeatures, digits.testLabels)
        print("best configuration retrained: test accuracy \(String(format: "%.4f", accuracy))")
    }
} catch {
    print("TuneDigits: \(error)")
    exit(1)
}
