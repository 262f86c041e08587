import ForgeLayers
import ForgeTensor
public import ForgeTracking
import ForgeVersioning
import Foundation

extension TrackingCallback {
    /// Records what a run produced and ends it: inputs, the final checkpoint as an artifact (under
    /// `checkpoint/`), the model version and its lineage, the training metadata, then the status.
    ///
    /// The final checkpoint is the last one a ``ModelCheckpoint`` among the trainer's callbacks wrote;
    /// without one, a checkpoint is written to a temporary directory for the artifact.
    ///
    /// - Parameters:
    ///   - trainer: the trainer that ran.
    ///   - status: how the run ended (`.finished`, or `.failed` after an error).
    /// - Returns: what was recorded.
    /// - Throws: `TrackingError` from the store, `VersioningError` from the version store,
    ///   ``TrainingError`` when the checkpoint cannot be written.
    @discardableResult
    public func finish(trainer: Trainer, status: RunStatus = .finished) async throws -> Summary {
        if !datasets.isEmpty { try await run.logInputs(datasets) }

        var artifacts: [ArtifactRecord] = []
        var temporary: URL?
        defer { if let temporary { try? FileManager.default.removeItem(at: temporary) } }
        var checkpoint = trainer.callbacks.lazy.compactMap { ($0 as? ModelCheckpoint)?.lastCheckpoint }.first
        // The last checkpoint is the final model unless something changed the weights after it was
        // written (early stopping restoring the best epoch's weights, for example).
        if let saved = checkpoint, !Self.holdsModel(of: trainer, saved) { checkpoint = nil }
        if checkpoint == nil, run.artifactRepository != nil || lineage != nil {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
                "forge-final-\(UUID().uuidString)")
            try trainer.saveCheckpoint(to: folder.appendingPathComponent("final"))
            temporary = folder
            checkpoint = folder.appendingPathComponent("final")
        }
        var parametersLocation: String?
        if let checkpoint, run.artifactRepository != nil {
            artifacts = try await run.logArtifact(checkpoint, as: "checkpoint")
            parametersLocation = "checkpoint/\(CheckpointFile.model)"
        }

        var modelVersion: String?
        var lineageRecord: LineageRecord?
        if let lineage, let checkpoint {
            let snapshot = try lineage.store.snapshot(
                checkpoint, name: lineage.modelName, message: "trained in run \(run.id)",
                metadata: ["run": run.id, "epochs": String(trainer.state.completedEpochs)])
            let reference = snapshot.reference ?? snapshot.version.hex
            modelVersion = reference
            lineageRecord = try lineage.store.recordLineage(
                model: reference, data: lineage.dataReferences,
                code: lineage.codeDirectory.flatMap { CodeVersion.current(in: $0) },
                parameters: configurationParameters, run: run.id)
            try run.record(tag: "forge.model_version", value: reference)
            if parametersLocation == nil {
                parametersLocation = "forge-versioning:\(reference)/\(CheckpointFile.model)"
            }
        }

        let metadata = trainingMetadata(trainer, parametersLocation: parametersLocation)
        try await run.setTrainingMetadata(metadata)
        try await run.finish(status: status)
        return Summary(artifacts: artifacts, metadata: metadata, modelVersion: modelVersion, lineage: lineageRecord)
    }

    /// Whether the checkpoint directory's model file holds exactly the trainer's current weights.
    static func holdsModel(of trainer: Trainer, _ checkpoint: URL) -> Bool {
        guard let saved = try? SafeTensors.read(from: checkpoint.appendingPathComponent(CheckpointFile.model)) else {
            return false
        }
        return saved.tensors == trainer.model.stateDict()
    }

    /// The training metadata of the run as it stands.
    func trainingMetadata(_ trainer: Trainer, parametersLocation: String?) -> TrainingMetadata {
        let state = trainer.state
        var modelMetrics: [String: Double] = [:]
        for (key, value) in state.history.last?.metrics ?? [:] where value.isFinite { modelMetrics[key] = value }
        if let best = state.bestMetric, best.isFinite { modelMetrics["best_\(trainer.monitor.metric)"] = best }
        let seconds = state.history.reduce(0) { $0 + $1.seconds }
        var summary: [String: Double] = [
            "epochs": Double(state.completedEpochs), "steps": Double(state.globalStep),
            "examples_seen": Double(state.samplesSeen), "parameter_count": Double(trainer.model.parameterCount()),
            "training_seconds": seconds,
        ]
        if seconds > 0 { summary["examples_per_second"] = Double(state.samplesSeen) / seconds }
        if let bestEpoch = state.bestEpoch { summary["best_epoch"] = Double(bestEpoch) }
        return TrainingMetadata(
            trainedBy: trainedBy, startTime: startTime ?? run.info.startTime, endTime: Date(),
            configuration: configuration, trainingData: datasets.first { $0.context == "training" },
            testData: datasets.first { $0.context == "test" } ?? datasets.first { $0.context == "validation" },
            modelMetrics: modelMetrics, charts: trainer.lastValidationEvaluation.map(Self.charts) ?? [],
            parametersLocation: parametersLocation, summaryStatistics: summary)
    }

    /// The confusion matrix, ROC and precision–recall curves and the reliability diagram of an evaluation.
    static func charts(_ evaluation: ClassificationEvaluation) -> [EvaluationChart] {
        var charts: [EvaluationChart] = [
            .confusionMatrix(
                ConfusionMatrixData(
                    title: "validation", labels: evaluation.confusionMatrix.classNames,
                    counts: evaluation.confusionMatrix.counts))
        ]
        for curves in evaluation.curves {
            let label = "class \(curves.classIndex)"
            charts.append(
                .curve(
                    CurveData(
                        kind: .roc, label: label, x: curves.roc.points.map(\.x), y: curves.roc.points.map(\.y),
                        area: curves.roc.area)))
            charts.append(
                .curve(
                    CurveData(
                        kind: .precisionRecall, label: label, x: curves.precisionRecall.points.map(\.x),
                        y: curves.precisionRecall.points.map(\.y), area: curves.precisionRecall.averagePrecision)))
        }
        let bins = evaluation.calibration.bins.filter { $0.count > 0 }
        charts.append(
            .curve(
                CurveData(
                    kind: .calibration, label: "top label", x: bins.map(\.meanConfidence),
                    y: bins.map(\.observedFrequency), area: nil)))
        return charts
    }
}

extension Trainer {
    /// Runs ``fit()`` with `tracking` among the callbacks, then ``TrackingCallback/finish(trainer:status:)``
    /// — with status `.failed` (and the error rethrown) when training throws.
    ///
    /// - Returns: the final training state.
    @discardableResult
    public func fit(tracking: TrackingCallback) async throws -> TrainingState {
        if !callbacks.contains(where: { $0 === tracking }) { add(tracking) }
        let state: TrainingState
        do {
            state = try fit()
        } catch {
            _ = try? await tracking.finish(trainer: self, status: .failed)
            throw error
        }
        try await tracking.finish(trainer: self, status: .finished)
        return state
    }
}
