public import ForgeData
import ForgeLayers
public import ForgeTracking
import ForgeVersioning
public import Foundation

/// What one recipe run produced and where it went.
public struct TrainingOutcome: Sendable {
    /// The tracking run.
    public var runID: String
    /// The run's name.
    public var runName: String
    /// Data versions: training and test references (`digits_train@v1`).
    public var dataVersions: [String]
    /// The model version recorded with its lineage (`digits-mlp@v1`).
    public var modelVersion: String?
    /// Test-set metrics (`test_accuracy`, `test_macro_f1`, …).
    public var testMetrics: [String: Double]
    /// Epochs completed.
    public var epochs: Int
    /// The last checkpoint's folder.
    public var checkpoint: URL?
    /// The HTML run report.
    public var report: URL
}

/// Runs a ``TrainingRecipe`` end to end in a ``ForgeProject``: versions the data, trains with tracking,
/// checkpoints and validation, evaluates on the test set, records lineage and writes the run report.
///
/// This is what `forge train` and `forge demo` call; host applications can call it too.
public enum TrainingWorkflow {
    /// Trains `recipe` in `project`.
    ///
    /// - Parameters:
    ///   - recipe: the validated configuration.
    ///   - configuration: the full resolved configuration to log (defaults to the recipe's encoding).
    ///   - project: where data versions, runs, checkpoints and reports go.
    ///   - dataDirectory: the directory relative data paths resolve against.
    ///   - output: where the progress bar writes; nil for none.
    /// - Throws: ``RecipeError`` for unusable settings, ``ForgeDataError`` for unreadable data,
    ///   ``TrackingError``, `VersioningError` and ``TrainingError`` from the stages.
    public static func train(
        _ recipe: TrainingRecipe, configuration: JSONValue? = nil, in project: ForgeProject, dataDirectory: URL,
        output: (any ProgressOutput)? = StandardOutput()
    ) async throws -> TrainingOutcome {
        try recipe.validate()
        let versions = try project.versionStore()
        var dataVersions: [String] = []
        for path in [recipe.data.train, recipe.data.test] {
            let url = PreparedData.resolve(path, against: dataDirectory)
            dataVersions.append(try version(of: url, in: versions, message: "data for \(recipe.experiment)"))
        }
        let data = try PreparedData(recipe: recipe.data, seed: recipe.seed, relativeTo: dataDirectory)
        let model = recipe.model.makeModel(
            inputFeatures: data.featureNames.count, imageShape: recipe.data.imageShape, classes: data.classNames.count,
            seed: recipe.seed)
        let optimizer = try recipe.optimizer.makeOptimizer(parameters: model.parameters())
        let scheduler = try recipe.optimizer.makeScheduler(optimizer: optimizer, epochs: recipe.training.epochs)

        let tracker = try project.tracker()
        let runName = recipe.runName ?? "\(recipe.model.kind.rawValue)-seed\(recipe.seed)"
        let run = try await tracker.startRun(
            experiment: recipe.experiment, name: runName, tags: ["forge.model_kind": recipe.model.kind.rawValue])
        let resolved = try configuration ?? JSONValue(encoding: recipe)
        let datasets = [
            DatasetInput(
                name: dataVersions[0], digest: try versions.resolve(dataVersions[0]).hex,
                source: "forge-versioning:\(dataVersions[0])", context: "training", rowCount: data.training.count,
                features: data.trainingDistributions),
            DatasetInput(
                name: dataVersions[1], digest: try versions.resolve(dataVersions[1]).hex,
                source: "forge-versioning:\(dataVersions[1])", context: "test", rowCount: data.test.count,
                features: data.testDistributions),
        ]
        let tracking = TrackingCallback(
            run: run, configuration: resolved, datasets: datasets,
            lineage: TrackingCallback.Lineage(
                store: versions, modelName: "\(recipe.experiment)-\(recipe.model.kind.rawValue)", dataReferences: dataVersions),
            stepInterval: 10)

        var callbacks: [any TrainingCallback] = [NaNGuard(), tracking]
        let checkpoints = try ModelCheckpoint(directory: project.checkpointDirectory(forRun: run.id))
        callbacks.append(checkpoints)
        if let patience = recipe.training.earlyStoppingPatience {
            callbacks.append(EarlyStopping(patience: patience))
        }
        if recipe.training.progress, let output {
            // Off a terminal, one line per epoch is enough for a log.
            callbacks.append(ProgressBar(output: output, plainLineInterval: Int.max))
        }

        let trainingLoader = DataLoader(data.training, batchSize: recipe.training.batchSize, shuffle: true, seed: recipe.seed)
        let evaluationLoader = { (dataset: TensorDataset) in DataLoader(dataset, batchSize: 256, shuffle: false, seed: 0) }
        let trainer = Trainer(
            model: model, loss: CrossEntropyLoss(), optimizer: optimizer, trainingData: trainingLoader,
            validationData: data.validation.map(evaluationLoader), epochs: recipe.training.epochs,
            scheduler: scheduler, callbacks: callbacks)
        trainer.validationEvaluator = ClassificationEvaluator(
            scoreKind: .logits, topK: [3], classNames: data.classNames)

        let summary: TrackingCallback.Summary
        var testMetrics: [String: Double] = [:]
        do {
            _ = try trainer.fit()
            // The test evaluation becomes the trainer's last evaluation: its charts go into the metadata.
            for (key, value) in trainer.evaluate(evaluationLoader(data.test)) where value.isFinite {
                testMetrics["test_\(key)"] = value
            }
            try run.record(metrics: testMetrics.sorted { $0.key < $1.key }.map {
                Metric(key: $0.key, value: $0.value, step: trainer.state.globalStep)
            })
            summary = try await tracking.finish(trainer: trainer, status: .finished)
        } catch {
            _ = try? await tracking.finish(trainer: trainer, status: .failed)
            throw error
        }
        var metadata = summary.metadata
        metadata.modelMetrics.merge(testMetrics) { _, new in new }
        // The last evaluation was the test set's: its confusion matrix is titled accordingly.
        metadata.charts = metadata.charts.map { chart in
            guard case .confusionMatrix(var matrix) = chart else { return chart }
            matrix.title = "test set"
            return .confusionMatrix(matrix)
        }
        try await tracker.store.setTrainingMetadata(runID: run.id, metadata)

        let report = project.reportURL(forRun: run.id)
        try await RunReport.load(runID: run.id, from: tracker.store).write(to: report)
        return TrainingOutcome(
            runID: run.id, runName: runName, dataVersions: dataVersions, modelVersion: summary.modelVersion,
            testMetrics: testMetrics, epochs: trainer.state.completedEpochs, checkpoint: checkpoints.lastCheckpoint,
            report: report)
    }

    /// The data file's current version: the latest version of its name when the file is unchanged since,
    /// else a new snapshot. Training the same data twice refers to one version.
    static func version(of url: URL, in versions: VersionStore, message: String) throws -> String {
        let name = versionName(for: url)
        if versions.names().contains(name), let latest = try versions.log(name).last {
            let changes = try versions.status(of: url, against: latest.reference)
            if changes.added.isEmpty && changes.removed.isEmpty && changes.modified.isEmpty && changes.renamed.isEmpty {
                return latest.reference
            }
        }
        let snapshot = try versions.snapshot(url, name: name, message: message)
        return snapshot.reference ?? snapshot.version.hex
    }

    /// A version name for a data file: its file name without extension, restricted to `[A-Za-z0-9._-]`.
    static func versionName(for url: URL) -> String {
        let stem = url.deletingPathExtension().lastPathComponent
        let cleaned = String(stem.map { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" ? $0 : "_" })
        return cleaned.isEmpty || cleaned.hasPrefix("-") ? "data\(cleaned)" : cleaned
    }
}

extension JSONValue {
    /// The JSON form of any Encodable value (a recipe, a configuration struct).
    public init(encoding value: some Encodable) throws {
        let data = try JSONEncoder().encode(value)
        self = try JSONDecoder().decode(JSONValue.self, from: data)
    }
}
