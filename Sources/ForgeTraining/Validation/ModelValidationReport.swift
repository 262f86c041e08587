/// One example that failed a model check, with the outputs that show why.
public struct FailingExample: Codable, Equatable, Sendable {
    /// The example's index in the input batch.
    public var index: Int
    /// Why it failed, for example `"predicted 2, label 0"` or `"class changed 1 → 0"`.
    public var reason: String
    /// The model's outputs for the example (one row).
    public var outputs: [Double]
    /// The outputs on the perturbed input, for invariance and directional checks.
    public var perturbedOutputs: [Double]?

    /// Creates a failing example.
    public init(index: Int, reason: String, outputs: [Double], perturbedOutputs: [Double]? = nil) {
        self.index = index
        self.reason = reason
        self.outputs = outputs
        self.perturbedOutputs = perturbedOutputs
    }
}

/// The result of one model check (ML Test Score "model tests"): pass/fail, the measured value against
/// the threshold, and the examples that failed.
///
/// Use it from Swift Testing with the description as the comment, so a failure prints the examples:
/// ```swift
/// let report = try ModelValidation.expectMetric(.accuracy, reaches: 0.9, model: predict, inputs: x, labels: y)
/// #expect(report.passed, Comment(rawValue: report.description))
/// ```
public struct ModelValidationReport: Codable, Equatable, Sendable, CustomStringConvertible {
    /// What was checked, for example `"accuracy ≥ 0.9"` or `"invariance: same class"`.
    public var check: String
    /// Whether the check passed.
    public var passed: Bool
    /// The measured value: the metric, or the fraction of examples that failed.
    public var measuredValue: Double
    /// The threshold the measured value was compared with.
    public var threshold: Double
    /// How many examples were checked.
    public var exampleCount: Int
    /// The examples that failed (for a metric check: the misclassified ones, when the metric has them).
    public var failures: [FailingExample]

    /// Creates a report.
    public init(
        check: String, passed: Bool, measuredValue: Double, threshold: Double, exampleCount: Int,
        failures: [FailingExample]
    ) {
        self.check = check
        self.passed = passed
        self.measuredValue = measuredValue
        self.threshold = threshold
        self.exampleCount = exampleCount
        self.failures = failures
    }

    /// The failing examples' indices.
    public var failingIndices: [Int] { failures.map(\.index) }

    /// A summary line and up to ten failing examples.
    public var description: String {
        var lines = [
            "\(passed ? "PASSED" : "FAILED") \(check): measured \(Self.format(measuredValue)), threshold "
                + "\(Self.format(threshold)), \(failures.count) of \(exampleCount) examples failing"
        ]
        for failure in failures.prefix(10) {
            var line = "  #\(failure.index): \(failure.reason); outputs \(failure.outputs.map(Self.format))"
            if let perturbed = failure.perturbedOutputs { line += " → \(perturbed.map(Self.format))" }
            lines.append(line)
        }
        if failures.count > 10 { lines.append("  … \(failures.count - 10) more") }
        return lines.joined(separator: "\n")
    }

    static func format(_ value: Double) -> String {
        let rounded = (value * 10_000).rounded() / 10_000
        return String(rounded)
    }
}
