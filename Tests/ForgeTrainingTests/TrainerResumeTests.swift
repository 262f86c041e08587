import ForgeAutograd
import ForgeData
import ForgeLayers
import ForgeOptimizers
import ForgeTensor
import ForgeTraining
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The `TrainingCrashHelper` executable, built next to the test binary.
func trainingHelperURL() throws -> URL {
    let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    var folder = testBinary.deletingLastPathComponent()
    if folder.path.hasSuffix(".xctest/Contents/MacOS") {  // Darwin bundles
        folder = folder.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }
    let helper = folder.appendingPathComponent("TrainingCrashHelper")
    try #require(FileManager.default.isExecutableFile(atPath: helper.path), "helper not built at \(helper.path)")
    return helper
}

/// Starts the helper: trains into `checkpoints` and writes the final weights to `weights`.
func startTrainingHelper(checkpoints: URL, weights: URL, resume: Bool = false) throws -> (Process, Pipe) {
    let process = Process()
    process.executableURL = try trainingHelperURL()
    process.arguments = [try Digits.fixtures.path, checkpoints.path, weights.path] + (resume ? ["resume"] : [])
    let errors = Pipe()
    process.standardError = errors
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    return (process, errors)
}

/// Runs the helper to completion and returns its final weights.
func runTrainingHelper(checkpoints: URL, weights: URL, resume: Bool = false) throws -> [String: Tensor] {
    let (process, errors) = try startTrainingHelper(checkpoints: checkpoints, weights: weights, resume: resume)
    let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    try #require(process.terminationStatus == 0, "helper failed: \(message)")
    return try SafeTensors.read(from: weights).tensors
}

@Suite("Resuming training exactly")
struct TrainerResumeTests {
    @Test("a run killed mid-epoch and resumed from its checkpoint ends bit-identical to an uninterrupted run")
    func resumeAfterKill() throws {
        let scratch = try ScratchDirectory()
        let reference = try runTrainingHelper(
            checkpoints: scratch.appending("reference-checkpoints"), weights: scratch.appending("reference.safetensors")
        )

        // Kill the child once it has checkpointed in the middle of its second epoch (45 batches per epoch).
        var resumedFrom: String?
        for attempt in 0..<4 where resumedFrom == nil {
            let checkpoints = scratch.appending("killed-\(attempt)")
            let (child, _) = try startTrainingHelper(checkpoints: checkpoints, weights: scratch.appending("unused"))
            let index = checkpoints.appendingPathComponent(ModelCheckpoint.indexFile)
            let deadline = Date().addingTimeInterval(120)
            var last: String?
            while child.isRunning && Date() < deadline {
                if let data = try? Data(contentsOf: index),
                    let decoded = try? JSONDecoder().decode(ModelCheckpoint.Index.self, from: data),
                    let name = decoded.last, name.hasPrefix("epoch-0001-batch-")
                {
                    last = name
                    break
                }
                usleep(2_000)
            }
            guard child.isRunning, last != nil else {
                child.waitUntilExit()
                continue
            }
            kill(child.processIdentifier, SIGKILL)
            child.waitUntilExit()
            #expect(child.terminationReason == .uncaughtSignal)
            // The index names a complete checkpoint; resume only when it is still a mid-epoch one.
            let decoded = try JSONDecoder().decode(ModelCheckpoint.Index.self, from: Data(contentsOf: index))
            guard let name = decoded.last, name.contains("-batch-") else { continue }
            resumedFrom = name
            let resumed = try runTrainingHelper(
                checkpoints: checkpoints, weights: scratch.appending("resumed.safetensors"), resume: true)
            expectIdentical(resumed, reference, "weights after resuming from \(name)")
        }
        #expect(resumedFrom != nil, "the child was never killed in the middle of an epoch")
    }

    @Test("an in-process interruption resumed through Trainer.resume(from:) matches the uninterrupted run")
    func resumeInProcess() throws {
        struct Crash: Error {}
        /// Throws at one global step, like a process dying there.
        final class CrashAt: TrainingCallback {
            let step: Int
            init(step: Int) { self.step = step }
            func batchDidBegin(_ trainer: Trainer, batch: Batch) throws {
                if trainer.state.globalStep == step { throw Crash() }
            }
        }
        let scratch = try ScratchDirectory()
        func makeTrainer(checkpoints: URL, extra: [any TrainingCallback] = []) throws -> (Trainer, Sequential) {
            var generator = RandomGenerator(seed: 21)
            let model = Sequential([
                Linear(inputFeatures: 64, outputFeatures: 24, generator: &generator), ReLU(),
                Dropout(probability: 0.25, seed: 22),
                Linear(inputFeatures: 24, outputFeatures: 10, generator: &generator),
            ])
            let optimizer = try Adam(parameters: model.parameters(), learningRate: 5e-3)
            let plateau = LearningRateScheduler(
                optimizer: optimizer, schedule: try ReduceOnPlateau(factor: 0.5, patience: 0))
            let trainer = Trainer(
                model: model, loss: CrossEntropyLoss(), optimizer: optimizer,
                trainingData: DataLoader(Digits.shared.trainPrefix(200), batchSize: 16, shuffle: true, seed: 23),
                validationData: DataLoader(Digits.shared.test, batchSize: 360), epochs: 4,
                callbacks: [
                    LearningRateStepper(scheduler: plateau, metric: MetricName.validationLoss),
                    EarlyStopping(patience: 3, restoresBestWeights: true),
                    try ModelCheckpoint(directory: checkpoints, everySteps: 5),
                ] + extra)
            return (trainer, model)
        }
        let (reference, referenceModel) = try makeTrainer(checkpoints: scratch.appending("reference"))
        let referenceState = try reference.fit()

        let checkpoints = scratch.appending("interrupted")
        let (first, _) = try makeTrainer(checkpoints: checkpoints, extra: [CrashAt(step: 13 * 2 + 7)])
        #expect(throws: Crash.self) { try first.fit() }
        let (second, secondModel) = try makeTrainer(checkpoints: checkpoints)
        try second.restore(from: checkpoints)
        #expect(second.state.epoch == 2 && second.state.completedBatches == 4, "restored at \(second.state)")
        let resumedState = try second.fit()

        expectIdentical(secondModel.stateDict(), referenceModel.stateDict(), "weights")
        #expect(resumedState.globalStep == referenceState.globalStep)
        #expect(resumedState.history.map(\.metrics) == referenceState.history.map(\.metrics))
        #expect(second.optimizer.learningRate == reference.optimizer.learningRate)
    }

    @Test("a run that early stopping ended stays ended when resumed")
    func resumeAfterEarlyStop() throws {
        let scratch = try ScratchDirectory()
        func makeTrainer() throws -> (Trainer, Sequential) {
            let model = makeMLP(seed: 24)
            model.freeze()  // a flat validation loss: early stopping ends the run after epoch 1
            let trainer = Trainer(
                model: model, loss: CrossEntropyLoss(),
                optimizer: try SGD(parameters: model.parameters(), learningRate: 0.1),
                trainingData: DataLoader(Digits.shared.trainPrefix(64), batchSize: 32),
                validationData: DataLoader(Digits.shared.trainPrefix(64), batchSize: 64), epochs: 5,
                callbacks: [
                    EarlyStopping(patience: 1), try ModelCheckpoint(directory: scratch.appending("checkpoints")),
                ])
            return (trainer, model)
        }
        let (first, _) = try makeTrainer()
        let stopped = try first.fit()
        #expect(stopped.completedEpochs == 2)
        let (second, _) = try makeTrainer()
        let resumed = try second.resume(from: scratch.appending("checkpoints"))
        #expect(resumed.globalStep == stopped.globalStep)
        #expect(resumed.stopReason == stopped.stopReason)
        #expect(resumed.history.map(\.metrics) == stopped.history.map(\.metrics))
    }
}
