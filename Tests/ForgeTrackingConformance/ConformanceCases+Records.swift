import ForgeTracking
import Foundation

extension TrackingStoreConformance {
    static let recordCases: [ConformanceCase] = [
        ConformanceCase("dataset inputs with feature distributions round-trip and are kept once") { store in
            let run = try await Fixture.run(store, "inputs")
            let training = DatasetInput(
                name: "digits", digest: String(repeating: "ab", count: 32), source: "versions://digits@v3",
                context: "training", rowCount: 1437,
                features: [FeatureDistribution(name: "pixel_0", values: [0, 1, 2, 3, 4, 5, 6, 7, 8, .nan], bins: 4)])
            let test = DatasetInput(
                name: "digits", digest: String(repeating: "cd", count: 32), source: "versions://digits@v3",
                context: "test", rowCount: 360)
            try await store.logInputs(runID: run.id, inputs: [training])
            try await store.logInputs(runID: run.id, inputs: [training, test])
            let stored = try await store.run(id: run.id)
            try Check.equal(stored.inputs, [training, test], "inputs (the repeated one kept once, in logging order)")
            try await Check.throwsError("logInputs to an unknown run", accept: Expected.runNotFound) {
                try await store.logInputs(runID: "0123456789abcdef0123456789abcdef", inputs: [test])
            }
        },
        ConformanceCase("training metadata round-trips, is replaced, and is nil until set") { store in
            let run = try await Fixture.run(store, "metadata")
            try Check.that(try await store.trainingMetadata(runID: run.id) == nil, "metadata of a new run is not nil")
            let data = DatasetInput(
                name: "digits", digest: String(repeating: "0f", count: 32), source: "data/digits.csv", rowCount: 1797)
            var metadata = TrainingMetadata(
                trainedBy: "conformance-user", startTime: Fixture.time(0), endTime: Fixture.time(60_000),
                configuration: [
                    "optimizer": ["name": "adam", "lr": 0.001], "layers": [64, 32, 10], "shuffle": true, "note": nil,
                ],
                trainingData: data, testData: data, modelMetrics: ["test/accuracy": 0.978, "test/loss": 0.071],
                charts: [
                    .confusionMatrix(
                        ConfusionMatrixData(title: "test", labels: ["0", "1"], counts: [[50, 2], [3, 45]])),
                    .curve(CurveData(kind: .roc, label: "class 1", x: [0, 0.1, 1], y: [0, 0.9, 1], area: 0.95)),
                ],
                parametersLocation: "model/weights.safetensors", summaryStatistics: ["parameters": 4810, "epochs": 30])
            try await store.setTrainingMetadata(runID: run.id, metadata)
            try Check.equal(try await store.trainingMetadata(runID: run.id), metadata, "training metadata read back")
            metadata.modelMetrics["test/accuracy"] = 0.981
            metadata.charts = []
            try await store.setTrainingMetadata(runID: run.id, metadata)
            try Check.equal(try await store.trainingMetadata(runID: run.id), metadata, "replaced training metadata")
            try await Check.throwsError("trainingMetadata of an unknown run", accept: Expected.runNotFound) {
                _ = try await store.trainingMetadata(runID: "0123456789abcdef0123456789abcdef")
            }
        },
        ConformanceCase("artifacts are listed by path and a path recorded again is replaced") { store in
            let run = try await Fixture.run(store, "artifacts")
            let digestA = String(repeating: "a1", count: 32)
            let digestB = String(repeating: "b2", count: 32)
            try await store.recordArtifacts(
                runID: run.id,
                [
                    ArtifactRecord(path: "model/weights.safetensors", digest: digestA, size: 4096),
                    ArtifactRecord(path: "config.yaml", digest: digestB, size: 12),
                ])
            try await store.recordArtifacts(
                runID: run.id, [ArtifactRecord(path: "model/weights.safetensors", digest: digestB, size: 12)])
            try Check.equal(
                try await store.artifacts(runID: run.id),
                [
                    ArtifactRecord(path: "config.yaml", digest: digestB, size: 12),
                    ArtifactRecord(path: "model/weights.safetensors", digest: digestB, size: 12),
                ], "artifacts")
            let other = try await Fixture.run(store, "artifacts-empty")
            try Check.equal(try await store.artifacts(runID: other.id), [], "artifacts of a run without any")
        },
    ]
}
