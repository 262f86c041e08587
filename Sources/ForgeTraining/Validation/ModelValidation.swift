public import ForgeTensor

/// A metric a model must reach on a golden set, and the direction that counts as good.
public struct GoldenSetMetric: Sendable {
    /// The metric's name in reports.
    public var name: String
    /// Whether larger values are better (accuracy) or smaller ones (log-loss, MSE).
    public var higherIsBetter: Bool
    /// Computes the metric from `[N, C]` (or `[N]`) outputs and `[N]` labels or targets.
    public var compute: @Sendable (_ outputs: Tensor, _ labels: Tensor) throws -> Double
    /// Whether failing examples are the misclassified ones (arg-max ≠ label).
    var listsMisclassified: Bool

    /// A custom metric.
    public init(
        name: String, higherIsBetter: Bool,
        compute: @escaping @Sendable (_ outputs: Tensor, _ labels: Tensor) throws -> Double
    ) {
        self.name = name
        self.higherIsBetter = higherIsBetter
        self.compute = compute
        self.listsMisclassified = false
    }

    /// Arg-max accuracy.
    public static var accuracy: GoldenSetMetric {
        var metric = GoldenSetMetric(name: "accuracy", higherIsBetter: true) {
            try Metrics.accuracy(scores: $0, labels: $1)
        }
        metric.listsMisclassified = true
        return metric
    }

    /// Macro-averaged F1 of the arg-max predictions.
    public static var macroF1: GoldenSetMetric {
        var metric = GoldenSetMetric(name: "macro F1", higherIsBetter: true) {
            try Metrics.classificationReport(scores: $0, labels: $1).macro.f1
        }
        metric.listsMisclassified = true
        return metric
    }

    /// Macro one-vs-rest ROC AUC of the scores.
    public static var rocAUC: GoldenSetMetric {
        GoldenSetMetric(name: "ROC AUC", higherIsBetter: true) { try Metrics.rocAUC(scores: $0, labels: $1) }
    }

    /// Mean squared error of regression outputs (lower is better).
    public static var meanSquaredError: GoldenSetMetric {
        GoldenSetMetric(name: "MSE", higherIsBetter: false) {
            try Metrics.regression(predictions: $0, targets: $1).meanSquaredError
        }
    }
}

/// What an invariance check compares between original and perturbed outputs.
public enum InvarianceCriterion: Sendable, Equatable {
    /// The predicted class (arg-max) must not change.
    case sameClass
    /// Every output must stay within `tolerance` (absolute).
    case outputsWithin(tolerance: Double)
}

/// The direction an output must move under a perturbation.
public enum ExpectedDirection: String, Sendable, Codable {
    /// The output must grow by more than the minimum change.
    case increases
    /// The output must shrink by more than the minimum change.
    case decreases
}

/// Model tests in the sense of the ML Test Score (Breck et al., 2017): the model still reaches a metric on a
/// golden set, its predictions are invariant under perturbations that should not matter, and they move in
/// the expected direction under perturbations that should.
///
/// A model is any `(Tensor) throws -> Tensor` predictor mapping a `[N, …]` input batch to `[N, C]` scores
/// or `[N]` outputs. Every check returns a ``ModelValidationReport`` listing the failing examples.
public enum ModelValidation {
    /// Checks that the model reaches `threshold` on a golden set: at least the threshold for a
    /// higher-is-better metric, at most for a lower-is-better one (MSE).
    ///
    /// ```swift
    /// let report = try ModelValidation.expectMetric(.accuracy, reaches: 0.95, model: { try model($0) },
    ///                                              inputs: golden.inputs, labels: golden.labels)
    /// #expect(report.passed, Comment(rawValue: report.description))
    /// ```
    /// - Throws: the model's errors, or ``MetricError`` when the metric is undefined on the outputs.
    public static func expectMetric(
        _ metric: GoldenSetMetric, reaches threshold: Double, model: (Tensor) throws -> Tensor, inputs: Tensor,
        labels: Tensor
    ) throws -> ModelValidationReport {
        let outputs = try model(inputs)
        let value = try metric.compute(outputs, labels)
        let passed = metric.higherIsBetter ? value >= threshold : value <= threshold
        var failures: [FailingExample] = []
        let table = try ScoreTable(tensor: outputs, metric: metric.name)
        if metric.listsMisclassified {
            let predictions = table.argmax()
            let truth = try MetricInput.labels(labels, metric: metric.name)
            for (index, (predicted, label)) in zip(predictions, truth).enumerated() where predicted != label {
                failures.append(
                    FailingExample(
                        index: index, reason: "predicted \(predicted), label \(label)", outputs: Array(table.row(index))
                    ))
            }
        }
        let relation = metric.higherIsBetter ? "≥" : "≤"
        return ModelValidationReport(
            check: "\(metric.name) \(relation) \(ModelValidationReport.format(threshold))", passed: passed,
            measuredValue: value, threshold: threshold, exampleCount: table.exampleCount, failures: failures)
    }

    /// Checks that predictions do not change (beyond the criterion) when the inputs are perturbed.
    /// - Parameters:
    ///   - criterion: ``InvarianceCriterion/sameClass`` (label flips) or an output tolerance.
    ///   - maximumFailureRate: the largest fraction of examples allowed to fail (0: none).
    ///   - model: the predictor.
    ///   - inputs: a `[N, …]` batch.
    ///   - perturbation: maps the batch to a perturbed batch with the same examples (for example added noise,
    ///     a synonym swap, a brightness change).
    /// - Throws: the model's or the perturbation's errors; ``MetricError/emptyInput(metric:)`` for no examples.
    public static func checkInvariance(
        _ criterion: InvarianceCriterion, maximumFailureRate: Double = 0, model: (Tensor) throws -> Tensor,
        inputs: Tensor, perturbation: (Tensor) throws -> Tensor
    ) throws -> ModelValidationReport {
        let (original, perturbed) = try outputs(
            model: model, inputs: inputs, perturbation: perturbation, check: "invariance")
        let originalClasses = original.argmax()
        let perturbedClasses = perturbed.argmax()
        var failures: [FailingExample] = []
        for index in 0..<original.exampleCount {
            let before = Array(original.row(index))
            let after = Array(perturbed.row(index))
            switch criterion {
            case .sameClass:
                if originalClasses[index] != perturbedClasses[index] {
                    failures.append(
                        FailingExample(
                            index: index,
                            reason: "class changed \(originalClasses[index]) → \(perturbedClasses[index])",
                            outputs: before, perturbedOutputs: after))
                }
            case .outputsWithin(let tolerance):
                let change = zip(before, after).map { abs($0 - $1) }.max() ?? 0
                if !(change <= tolerance) {
                    failures.append(
                        FailingExample(
                            index: index,
                            reason: "output changed by \(ModelValidationReport.format(change)) > \(tolerance)",
                            outputs: before, perturbedOutputs: after))
                }
            }
        }
        let name: String
        switch criterion {
        case .sameClass: name = "invariance: same class"
        case .outputsWithin(let tolerance): name = "invariance: outputs within \(tolerance)"
        }
        return report(
            check: name, failures: failures, count: original.exampleCount, maximumFailureRate: maximumFailureRate)
    }

    /// Checks that one output moves in the expected direction when the inputs are perturbed
    /// (for example: more rooms → higher predicted price).
    /// - Parameters:
    ///   - direction: ``ExpectedDirection/increases`` or ``ExpectedDirection/decreases``.
    ///   - output: the output column to watch (0 for `[N]` outputs).
    ///   - minimumChange: the change must exceed this (strictly), 0 by default.
    ///   - maximumFailureRate: the largest fraction of examples allowed to move the wrong way.
    ///   - model: the predictor.
    ///   - inputs: a `[N, …]` batch.
    ///   - perturbation: maps the batch to the changed batch (for example one feature increased).
    /// - Throws: the model's or the perturbation's errors; ``MetricError/emptyInput(metric:)`` for no examples.
    public static func checkDirection(
        _ direction: ExpectedDirection, output: Int = 0, minimumChange: Double = 0, maximumFailureRate: Double = 0,
        model: (Tensor) throws -> Tensor, inputs: Tensor, perturbation: (Tensor) throws -> Tensor
    ) throws -> ModelValidationReport {
        let (original, perturbed) = try outputs(
            model: model, inputs: inputs, perturbation: perturbation, check: "direction")
        precondition(
            output >= 0 && output < original.classCount,
            "ModelValidation.checkDirection: output \(output) out of range for \(original.classCount) model outputs")
        var failures: [FailingExample] = []
        for index in 0..<original.exampleCount {
            let change =
                perturbed.values[index * perturbed.classCount + output]
                - original.values[index * original.classCount + output]
            let moved = direction == .increases ? change > minimumChange : -change > minimumChange
            if !moved {
                failures.append(
                    FailingExample(
                        index: index,
                        reason:
                            "output \(output) changed by \(ModelValidationReport.format(change)), expected it to \(direction == .increases ? "increase" : "decrease")"
                            + (minimumChange > 0 ? " by more than \(minimumChange)" : ""),
                        outputs: Array(original.row(index)), perturbedOutputs: Array(perturbed.row(index))))
            }
        }
        return report(
            check: "direction: output \(output) \(direction.rawValue)", failures: failures,
            count: original.exampleCount,
            maximumFailureRate: maximumFailureRate)
    }

    private static func outputs(
        model: (Tensor) throws -> Tensor, inputs: Tensor, perturbation: (Tensor) throws -> Tensor, check: String
    ) throws -> (ScoreTable, ScoreTable) {
        let original = try ScoreTable(tensor: model(inputs), metric: check)
        guard original.exampleCount > 0 else { throw MetricError.emptyInput(metric: check) }
        let perturbed = try ScoreTable(tensor: model(perturbation(inputs)), metric: check)
        precondition(
            original.exampleCount == perturbed.exampleCount && original.classCount == perturbed.classCount,
            "ModelValidation.\(check): outputs [\(original.exampleCount), \(original.classCount)] on the inputs but "
                + "[\(perturbed.exampleCount), \(perturbed.classCount)] on the perturbed inputs")
        return (original, perturbed)
    }

    private static func report(
        check: String, failures: [FailingExample], count: Int, maximumFailureRate: Double
    ) -> ModelValidationReport {
        let rate = count == 0 ? 0 : Double(failures.count) / Double(count)
        return ModelValidationReport(
            check: check, passed: rate <= maximumFailureRate, measuredValue: rate, threshold: maximumFailureRate,
            exampleCount: count, failures: failures)
    }
}
