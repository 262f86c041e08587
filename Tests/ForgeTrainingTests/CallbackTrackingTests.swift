import ForgeAutograd
import ForgeData
import ForgeLayers
import ForgeOptimizers
import ForgeTensor
import ForgeTracking
import ForgeTraining
import ForgeVersioning
import Foundation
import Testing

@Suite("TrackingCallback")
struct CallbackTrackingTests {
    @Test("a tracked run records params, metrics, inputs, the checkpoint artifact, metadata and lineage")
    func tracksEverything() async throws {
        let scratch = try ScratchDirectory()
        let digits = Digits.shared
        // Version the data, as a project would before training.
        let versions = try VersionStore(at: scratch.appending("versions"), create: true)
        let dataVersion = try versions.snapshot(try Digits.fixtures, name: "digits")
        let dataReference = try #require(dataVersion.reference)

        let store = InMemoryTrackingStore()
        let tracker = Tracker(
            store: store, artifactRepository: try ArtifactRepository(directory: scratch.appending("artifacts")),
            mode: .synchronous)
        let run = try await tracker.startRun(experiment: "digits", name: "mlp")
        let configuration = JSONValue.object([
            "optimizer": .object(["name": .string("adam"), "lr": .number(0.003)]),
            "model": .object(["hidden": .array([.number(32)])]),
        ])
        let trainInput = try DatasetInput(
            describing: digits.train, versionedAs: dataReference, in: versions, context: "training")
        let testInput = try DatasetInput(
            describing: digits.test, versionedAs: dataReference, in: versions, context: "test")
        let tracking = TrackingCallback(
            run: run, configuration: configuration, datasets: [trainInput, testInput],
            lineage: TrackingCallback.Lineage(
                store: versions, modelName: "digits-mlp", dataReferences: [dataReference]),
            stepInterval: 10)

        let model = makeMLP(seed: 17)
        let checkpoints = try ModelCheckpoint(directory: scratch.appending("checkpoints"))
        let trainer = Trainer(
            model: model, loss: CrossEntropyLoss(),
            optimizer: try Adam(parameters: model.parameters(), learningRate: 3e-3),
            trainingData: DataLoader(digits.train, batchSize: 64, shuffle: true, seed: 1),
            validationData: DataLoader(digits.test, batchSize: 360), epochs: 2, callbacks: [checkpoints])
        trainer.validationEvaluator = ClassificationEvaluator(scoreKind: .logits, topK: [3])
        let state = try await trainer.fit(tracking: tracking)

        let recorded = try await store.run(id: run.id)
        #expect(recorded.info.status == .finished)
        #expect(recorded.params["optimizer.lr"] == "0.003")
        #expect(recorded.params["model.hidden.0"] == "32")
        #expect(recorded.params["trainer.epochs"] == "2")
        #expect(recorded.params["model.parameter_count"] == String(model.parameterCount()))

        // Per-epoch metrics at step = epoch, equal to the trainer's history; per-step losses every 10 steps.
        for key in [MetricName.trainingLoss, MetricName.validationLoss, "validation_macro_f1", "validation_roc_auc"] {
            let history = try await store.metricHistory(runID: run.id, key: key)
            #expect(history.map(\.step) == [0, 1], "\(key)")
            #expect(history.map(\.value) == state.history.map { $0.metrics[key]! }, "\(key)")
        }
        let steps = try await store.metricHistory(runID: run.id, key: "step/loss")
        #expect(steps.map(\.step) == [10, 20, 30, 40])  // 23 batches per epoch, 46 steps

        // Inputs: the data version with the distribution of every feature.
        #expect(recorded.inputs.count == 2)
        let input = try #require(recorded.inputs.first { $0.context == "training" })
        #expect(input.digest == dataVersion.version.hex)
        #expect(input.rowCount == 1437)
        #expect(input.features.count == 64)
        let column = digits.train.features[.all, 20].doubleScalars
        #expect(abs(input.features[20].mean - column.reduce(0, +) / 1437) < 1e-9)

        // The final checkpoint is an artifact, and its model file is the trained model.
        let artifacts = try await store.artifacts(runID: run.id)
        let modelArtifact = try #require(artifacts.first { $0.path == "checkpoint/model.safetensors" })
        #expect(artifacts.contains { $0.path == "checkpoint/optimizer.safetensors" })
        #expect(artifacts.contains { $0.path == "checkpoint/trainer.json" })
        let bytes = try await tracker.artifactRepository!.data(for: modelArtifact)
        expectIdentical(try SafeTensors.decode(bytes).tensors, model.stateDict(), "model artifact")

        // Training metadata: configuration, data, final metrics, charts and where the parameters are.
        let metadata = try #require(try await store.trainingMetadata(runID: run.id))
        #expect(metadata.configuration == configuration)
        #expect(metadata.trainingData?.digest == dataVersion.version.hex)
        #expect(metadata.testData?.context == "test")
        #expect(metadata.parametersLocation == "checkpoint/model.safetensors")
        #expect(
            metadata.modelMetrics[MetricName.validationAccuracy]
                == state.history.last?.metrics[MetricName.validationAccuracy])
        #expect(metadata.summaryStatistics["steps"] == 46)
        #expect(metadata.trainedBy == run.info.user)
        guard case .confusionMatrix(let matrix) = try #require(metadata.charts.first) else {
            Issue.record("the first chart is not a confusion matrix")
            return
        }
        #expect(matrix.counts.count == 10)
        #expect(matrix.counts.joined().reduce(0, +) == 360)
        let rocCurves = metadata.charts.filter { if case .curve(let curve) = $0 { curve.kind == .roc } else { false } }
        #expect(rocCurves.count == 10)

        // Lineage: data version → model version, with the run and the parameters.
        let lineage = try #require(try versions.lineage(ofModel: "digits-mlp@v1"))
        #expect(lineage.data == [dataVersion.version])
        #expect(lineage.run == run.id)
        #expect(lineage.parameters["optimizer.name"] == "adam")
        #expect(try versions.models(trainedOn: dataReference).count == 1)
        #expect(recorded.tags["forge.model_version"] == "digits-mlp@v1")
    }

    @Test("a failing run is marked failed with the error as a tag")
    func failedRun() async throws {
        struct Boom: Error {}
        final class Explode: TrainingCallback {
            func epochDidEnd(_ trainer: Trainer) throws { throw Boom() }
        }
        let store = InMemoryTrackingStore()
        let run = try await Tracker(store: store, mode: .synchronous).startRun(experiment: "digits", name: "boom")
        let tracking = TrackingCallback(run: run)
        let model = makeMLP(seed: 18)
        let trainer = Trainer(
            model: model, loss: CrossEntropyLoss(),
            optimizer: try SGD(parameters: model.parameters(), learningRate: 0.01),
            trainingData: DataLoader(Digits.shared.trainPrefix(64), batchSize: 32), epochs: 2, callbacks: [Explode()])
        await #expect(throws: Boom.self) { try await trainer.fit(tracking: tracking) }
        let recorded = try await store.run(id: run.id)
        #expect(recorded.info.status == .failed)
        #expect(recorded.tags["forge.training.error"]?.contains("Boom") == true)
    }

    @Test("when early stopping restores the best weights, the logged final checkpoint holds them")
    func finalCheckpointIsTheFinalModel() async throws {
        /// Ruins the model from epoch 2 on, so the last checkpoint is worse than the best one.
        final class Ruin: TrainingCallback {
            func epochDidBegin(_ trainer: Trainer) throws {
                if trainer.state.epoch == 2 { trainer.optimizer.learningRate = 100 }
            }
        }
        let scratch = try ScratchDirectory()
        let tracker = Tracker(
            store: InMemoryTrackingStore(),
            artifactRepository: try ArtifactRepository(directory: scratch.appending("artifacts")), mode: .synchronous)
        let run = try await tracker.startRun(experiment: "digits", name: "restored")
        let model = makeMLP(seed: 21)
        let checkpoints = try ModelCheckpoint(directory: scratch.appending("checkpoints"), keepsBest: false)
        let trainer = Trainer(
            model: model, loss: CrossEntropyLoss(),
            optimizer: try SGD(parameters: model.parameters(), learningRate: 0.05),
            trainingData: DataLoader(Digits.shared.trainPrefix(128), batchSize: 32, shuffle: true, seed: 3),
            validationData: DataLoader(Digits.shared.test, batchSize: 360), epochs: 6,
            callbacks: [Ruin(), EarlyStopping(patience: 2, restoresBestWeights: true), checkpoints])
        let summary = try await trainer.fit(tracking: TrackingCallback(run: run)).history
        #expect(summary.count < 6, "early stopping did not fire")
        let lastOnDisk = try SafeTensors.read(
            from: try #require(checkpoints.lastCheckpoint).appendingPathComponent(CheckpointFile.model))
        #expect(lastOnDisk.tensors != model.stateDict(), "the last checkpoint should hold the ruined weights")
        let artifacts = try await tracker.store.artifacts(runID: run.id)
        let logged = try #require(artifacts.first { $0.path == "checkpoint/model.safetensors" })
        let bytes = try await tracker.artifactRepository!.data(for: logged)
        expectIdentical(try SafeTensors.decode(bytes).tensors, model.stateDict(), "logged final model")
    }

    @Test("a nested configuration flattens into dotted parameters")
    func flattening() {
        let value = JSONValue.object([
            "a": .object(["b": .number(1), "c": .array([.string("x"), .bool(true)])]), "d": .number(2.5), "e": .null,
        ])
        #expect(value.flattenedParameters() == ["a.b": "1", "a.c.0": "x", "a.c.1": "true", "d": "2.5", "e": "null"])
    }

    @Test("a loaded configuration is logged flattened as parameters and whole as JSON")
    func configurationValue() async throws {
        let configuration: ConfigurationValue = [
            "optimizer": ["name": "adam", "lr": 0.001], "model": ["hidden": [128, 64]], "epochs": 3,
        ]
        let run = try await Tracker(store: InMemoryTrackingStore(), mode: .synchronous).startRun(
            experiment: "digits", name: "configured")
        let tracking = TrackingCallback(run: run, configuration: configuration)
        #expect(tracking.configurationParameters == configuration.flattened())
        #expect(tracking.configurationParameters["optimizer.lr"] == "0.001")
        #expect(
            tracking.configuration
                == .object([
                    "optimizer": .object(["name": .string("adam"), "lr": .number(0.001)]),
                    "model": .object(["hidden": .array([.number(128), .number(64)])]), "epochs": .number(3),
                ]))
    }
}

@Suite("TrackingStatisticsSink")
struct TrackingStatisticsSinkTests {
    @Test("gradient statistics reach the run as metrics at their steps")
    func statisticsAsMetrics() async throws {
        let store = InMemoryTrackingStore()
        let run = try await Tracker(store: store, mode: .synchronous).startRun(experiment: "digits", name: "statistics")
        let memory = InMemoryStatisticsSink()
        let model = makeMLP(seed: 20)
        let trainer = Trainer(
            model: model, loss: CrossEntropyLoss(),
            optimizer: try SGD(parameters: model.parameters(), learningRate: 0.01),
            trainingData: DataLoader(Digits.shared.trainPrefix(128), batchSize: 32), epochs: 1,
            callbacks: [
                GradientStatistics(every: 2, sink: TrackingStatisticsSink(run: run)),
                GradientStatistics(every: 2, sink: memory),
            ])
        try trainer.fit()
        try await run.flush()
        let variance = try await store.metricHistory(runID: run.id, key: "gradients/2.weight/variance")
        #expect(variance.map(\.step) == [0, 2])
        #expect(variance.map(\.value) == memory.records.map { $0.gradients["2.weight"]!.variance })
        let activations = try await store.metricHistory(runID: run.id, key: "activations/1/mean")
        #expect(activations.map(\.value) == memory.records.map { $0.activations["1"]!.mean })
        #expect(try await store.metricHistory(runID: run.id, key: "update_ratio/0.weight").count == 2)
    }
}
