import ForgeAutograd
import ForgeData
import ForgeLayers
import ForgeOptimizers
import ForgeTensor
import ForgeTraining
import Foundation
import Testing

/// What every stateful ``TrainingCallback`` must guarantee, checked on any implementation: after a run,
/// its state restored into a fresh instance gives back the same state (JSON and tensors), and a
/// malformed state is rejected with a ``TrainingError`` rather than a crash.
func checkCallbackConformance(
    _ makeCallback: () throws -> any TrainingCallback, optimizer makeOptimizer: (Sequential) throws -> any Optimizer
) throws {
    let model = makeMLP(seed: 25)
    let optimizer = try makeOptimizer(model)  // first: a callback may be built around it
    let used = try makeCallback()
    let trainer = Trainer(
        model: model, loss: CrossEntropyLoss(), optimizer: optimizer,
        trainingData: DataLoader(Digits.shared.trainPrefix(64), batchSize: 32, shuffle: true, seed: 4),
        validationData: DataLoader(Digits.shared.trainPrefix(64), batchSize: 64), epochs: 3, callbacks: [used])
    try trainer.fit()
    let key = try #require(used.checkpointKey, "a stateful callback needs a checkpoint key")
    let saved = try #require(try used.checkpointState(), "\(key) returned no state")

    let fresh = try makeCallback()
    #expect(fresh.checkpointKey == key)
    try fresh.restore(checkpointState: saved)
    let again = try #require(try fresh.checkpointState())
    #expect(again.data == saved.data, "\(key): state changed through a round trip")
    #expect(again.tensors == saved.tensors, "\(key): tensors changed through a round trip")

    #expect(throws: TrainingError.self, "\(key) accepted malformed state") {
        try makeCallback().restore(checkpointState: CallbackState(data: Data("{ not json".utf8)))
    }
}

@Suite("TrainingCallback conformance")
struct CallbackConformanceTests {
    @Test("EarlyStopping (with best weights) round-trips its state")
    func earlyStopping() throws {
        try checkCallbackConformance({ EarlyStopping(patience: 5, restoresBestWeights: true) }) {
            try SGD(parameters: $0.parameters(), learningRate: 0.05)
        }
    }

    @Test("LearningRateStepper round-trips its scheduler's state")
    func stepper() throws {
        // One optimizer shared by every instance, as when a trainer is rebuilt around the same objects.
        var optimizer: (any Optimizer)?
        try checkCallbackConformance(
            {
                LearningRateStepper(
                    scheduler: LearningRateScheduler(optimizer: optimizer!, schedule: try ReduceOnPlateau(patience: 0)),
                    metric: MetricName.validationLoss)
            },
            optimizer: { model in
                let made = try SGD(parameters: model.parameters(), learningRate: 0.05)
                optimizer = made
                return made
            })
    }

    @Test("ModelCheckpoint round-trips its index")
    func modelCheckpoint() throws {
        let scratch = try ScratchDirectory()
        try checkCallbackConformance({ try ModelCheckpoint(directory: scratch.appending("checkpoints")) }) {
            try SGD(parameters: $0.parameters(), learningRate: 0.05)
        }
    }
}
