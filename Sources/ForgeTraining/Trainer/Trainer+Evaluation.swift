import ForgeAutograd
public import ForgeData
import ForgeLayers
import ForgeTensor

extension Trainer {
    /// Evaluates the model on `loader` in evaluation mode without recording gradients.
    ///
    /// - Returns: `loss` (the mean over examples) and, when the predictions are `[batch, classes]` and
    ///   the labels `[batch]` class indices, `accuracy`; with a ``validationEvaluator`` also every
    ///   classification metric it computes (see ``classificationMetrics(_:)``).
    public func evaluate<Source: Dataset>(_ loader: DataLoader<Source>) -> [String: Double] {
        evaluate(BatchSource(loader))
    }

    func evaluate(_ source: BatchSource) -> [String: Double] {
        let wasTraining = model.isTraining
        model.eval()
        defer { model.train(wasTraining) }
        var lossSum = 0.0
        var count = 0
        var correct = 0
        var classified = 0
        var evaluator = validationEvaluator
        evaluator?.reset()
        var evaluatorFailed = false
        withoutGradient {
            let batches = source.batches(0)
            while let batch = batches.next() {
                let predictions = model(Variable(batch.features))
                lossSum += Self.scalar(loss.callAsFunction(predictions, batch.labels).value) * Double(batch.count)
                count += batch.count
                guard predictions.rank == 2, batch.labels.rank == 1, !batch.labels.dtype.isFloatingPoint else {
                    continue
                }
                let predicted = predictions.value.argmax(axis: 1)
                let labels = batch.labels.converted(to: predicted.dtype)
                correct += Int((predicted .== labels).sum().converted(to: .int64).item(as: Int64.self))
                classified += batch.count
                if evaluator != nil, !evaluatorFailed {
                    do {
                        try evaluator?.update(ClassificationBatch(scores: predictions.value, labels: batch.labels))
                    } catch {
                        evaluatorFailed = true
                    }
                }
            }
        }
        var metrics = ["loss": count == 0 ? .nan : lossSum / Double(count)]
        if classified > 0 { metrics["accuracy"] = Double(correct) / Double(classified) }
        lastValidationEvaluation = nil
        if let evaluator, !evaluatorFailed, let evaluation = try? evaluator.compute() {
            lastValidationEvaluation = evaluation
            metrics.merge(Self.classificationMetrics(evaluation)) { _, new in new }
        }
        return metrics
    }

    /// The scalar metrics of a classification evaluation, by the names the trainer reports them under
    /// (prefixed with `validation_` in an ``EpochRecord``): `accuracy`, `top_<k>_accuracy`,
    /// `macro_precision`, `macro_recall`, `macro_f1`, `weighted_f1`, `log_loss`,
    /// `expected_calibration_error`, `roc_auc` and `average_precision` (the last two when defined).
    public static func classificationMetrics(_ evaluation: ClassificationEvaluation) -> [String: Double] {
        var metrics = [
            "accuracy": evaluation.accuracy,
            "macro_precision": evaluation.report.macro.precision,
            "macro_recall": evaluation.report.macro.recall,
            "macro_f1": evaluation.report.macro.f1,
            "weighted_f1": evaluation.report.weighted.f1,
            "log_loss": evaluation.logLoss,
            "expected_calibration_error": evaluation.calibration.expectedCalibrationError,
        ]
        for topK in evaluation.topKAccuracies { metrics["top_\(topK.k)_accuracy"] = topK.accuracy }
        if let rocAUC = evaluation.rocAUC { metrics["roc_auc"] = rocAUC }
        if let averagePrecision = evaluation.averagePrecision { metrics["average_precision"] = averagePrecision }
        return metrics
    }
}
