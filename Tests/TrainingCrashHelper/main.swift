// A child process for ForgeTraining's resume tests: trains a small MLP (with dropout, a per-batch
// learning-rate schedule, early stopping and checkpoints every few steps) on the digits, so a test can
// kill it mid-epoch, resume it from its checkpoints, and compare the final weights with a run that
// was never interrupted.
//
// Usage: TrainingCrashHelper <fixtures directory> <checkpoint directory> <final weights file> [resume]
import ForgeAutograd
import ForgeData
import ForgeLayers
import ForgeOptimizers
import ForgeTensor
import ForgeTraining
import Foundation

let arguments = CommandLine.arguments
guard arguments.count == 4 || (arguments.count == 5 && arguments[4] == "resume") else {
    FileHandle.standardError.write(
        Data("usage: TrainingCrashHelper <fixtures> <checkpoints> <weights.safetensors> [resume]\n".utf8))
    exit(2)
}
let fixtures = URL(fileURLWithPath: arguments[1])
let checkpoints = URL(fileURLWithPath: arguments[2])
let output = URL(fileURLWithPath: arguments[3])
let resuming = arguments.count == 5

do {
    let train = try CSVReader.readMatrix(at: fixtures.appendingPathComponent("digits_train.csv"))
    let test = try CSVReader.readMatrix(at: fixtures.appendingPathComponent("digits_test.csv"))
    let standardize = Standardize.fit(train[.all, 1...])
    let trainSet = TensorDataset(
        features: standardize(train[.all, 1...]), labels: train[.all, 0].converted(to: .int64))
    let testSet = TensorDataset(features: standardize(test[.all, 1...]), labels: test[.all, 0].converted(to: .int64))

    var generator = RandomGenerator(seed: 11)
    let model = Sequential([
        Linear(inputFeatures: 64, outputFeatures: 32, generator: &generator), ReLU(),
        Dropout(probability: 0.2, seed: 12),
        Linear(inputFeatures: 32, outputFeatures: 10, generator: &generator),
    ])
    let optimizer = try Adam(parameters: model.parameters(), learningRate: 3e-3)
    let scheduler = LearningRateScheduler(optimizer: optimizer, schedule: try ExponentialDecay(gamma: 0.995))
    let trainer = Trainer(
        model: model, loss: CrossEntropyLoss(), optimizer: optimizer,
        trainingData: DataLoader(trainSet, batchSize: 32, shuffle: true, seed: 13),
        validationData: DataLoader(testSet, batchSize: 128), epochs: 3,
        scheduler: scheduler, schedulerInterval: .batch,
        callbacks: [
            EarlyStopping(patience: 10, restoresBestWeights: false),
            try ModelCheckpoint(directory: checkpoints, everySteps: 4),
        ])
    if resuming {
        try trainer.resume(from: checkpoints)
    } else {
        try trainer.fit()
    }
    try model.save(to: output)
} catch {
    FileHandle.standardError.write(Data("TrainingCrashHelper: \(error)\n".utf8))
    exit(1)
}
