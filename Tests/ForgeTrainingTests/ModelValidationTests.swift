import ForgeAutograd
import ForgeLayers
import ForgeTensor
import Foundation
import Testing

@testable import ForgeTraining

@Suite("Model validation (ML Test Score model tests)")
struct ModelValidationTests {
    /// A fixed linear classifier over two features and three classes: scores = x · W.
    static let weights = Tensor([1.0, 0.0, -1.0, 0.0, 1.0, -1.0], shape: [2, 3])
    static func classifier(_ inputs: Tensor) -> Tensor { inputs.matmul(weights) }

    /// Inputs whose classes under the classifier are 0, 1, 2, 0, 1 (class 2 when both features are negative).
    static let inputs = Tensor([2.0, 0.5, 0.1, 3.0, -1.0, -2.0, 5.0, 1.0, -0.5, 0.8], shape: [5, 2])

    @Test("a model that reaches the metric passes; one that does not fails with its misclassified examples")
    func goldenSet() throws {
        let labels = Tensor([Int32(0), 1, 2, 0, 1])
        let report = try ModelValidation.expectMetric(
            .accuracy, reaches: 1.0, model: Self.classifier, inputs: Self.inputs, labels: labels)
        #expect(report.passed, Comment(rawValue: report.description))
        #expect(report.measuredValue == 1 && report.failures.isEmpty && report.exampleCount == 5)

        let wrongLabels = Tensor([Int32(0), 1, 2, 2, 0])
        let failing = try ModelValidation.expectMetric(
            .accuracy, reaches: 0.9, model: Self.classifier, inputs: Self.inputs, labels: wrongLabels)
        #expect(!failing.passed)
        #expect(failing.measuredValue == 0.6)
        #expect(failing.failingIndices == [3, 4])
        #expect(failing.failures[0].reason == "predicted 0, label 2")
        #expect(failing.failures[0].outputs == [5, 1, -6])
        #expect(failing.description.hasPrefix("FAILED accuracy ≥ 0.9: measured 0.6"))
        #expect(failing.description.contains("#3: predicted 0, label 2"))
        let f1 = try ModelValidation.expectMetric(
            .macroF1, reaches: 0.5, model: Self.classifier, inputs: Self.inputs, labels: wrongLabels)
        // Predictions 0 1 2 0 1 against 0 1 2 2 0 — F1 per class: ½ (P ½, R ½), ⅔ (P ½, R 1), ⅔ (P 1, R ½).
        let expectedF1: Double = (0.5 + 4.0 / 3) / 3
        #expect(abs(f1.measuredValue - expectedF1) < 1e-12 && f1.passed)
    }

    @Test("lower-is-better metrics pass at or below the threshold")
    func regressionGoldenSet() throws {
        let model: (Tensor) -> Tensor = { $0.matmul(Tensor([2.0, -1.0], shape: [2, 1])).reshaped([$0.shape[0]]) }
        let targets = Tensor([3.5, -2.9, 0.0, 9.0, -1.8])
        // Predictions 3.5, -2.8, 0, 9, -1.8: MSE = 0.01 / 5 = 0.002.
        let report = try ModelValidation.expectMetric(
            .meanSquaredError, reaches: 0.01, model: model, inputs: Self.inputs, labels: targets)
        #expect(report.passed && abs(report.measuredValue - 0.002) < 1e-12)
        let strict = try ModelValidation.expectMetric(
            .meanSquaredError, reaches: 0.001, model: model, inputs: Self.inputs, labels: targets)
        #expect(!strict.passed && strict.check == "MSE ≤ 0.001")
    }

    @Test("invariance: small noise keeps classes; a large shift flips some, reported with both outputs")
    func invariance() throws {
        let noise = try ModelValidation.checkInvariance(
            .sameClass, model: Self.classifier, inputs: Self.inputs, perturbation: { $0 + 0.01 })
        #expect(noise.passed && noise.measuredValue == 0)
        let shift = try ModelValidation.checkInvariance(
            .sameClass, model: Self.classifier, inputs: Self.inputs, perturbation: { $0 + 3.0 })
        // Shifted inputs 5 3.5 | 3.1 6 | 2 1 | 8 4 | 2.5 3.8 → classes 0, 1, 0, 0, 1: only #2 flips.
        #expect(!shift.passed && shift.failingIndices == [2] && abs(shift.measuredValue - 0.2) < 1e-12)
        #expect(shift.failures[0].reason == "class changed 2 → 0")
        #expect(shift.failures[0].perturbedOutputs == [2, 1, -3])
        let tolerated = try ModelValidation.checkInvariance(
            .sameClass, maximumFailureRate: 0.2, model: Self.classifier, inputs: Self.inputs, perturbation: { $0 + 3.0 }
        )
        #expect(tolerated.passed)
        let within = try ModelValidation.checkInvariance(
            .outputsWithin(tolerance: 0.05), model: Self.classifier, inputs: Self.inputs, perturbation: { $0 + 0.01 })
        #expect(within.passed)  // largest change 0.02 (class 2 sums both features)
        let outside = try ModelValidation.checkInvariance(
            .outputsWithin(tolerance: 0.015), model: Self.classifier, inputs: Self.inputs, perturbation: { $0 + 0.01 })
        #expect(!outside.passed && outside.failures.count == 5)
    }

    @Test("directional expectations: output moves the expected way, violations listed")
    func direction() throws {
        let firstFeatureUp: (Tensor) -> Tensor = { $0 + Tensor([1.0, 0.0], shape: [1, 2]) }
        let up = try ModelValidation.checkDirection(
            .increases, output: 0, model: Self.classifier, inputs: Self.inputs, perturbation: firstFeatureUp)
        #expect(up.passed, Comment(rawValue: up.description))
        let down = try ModelValidation.checkDirection(
            .decreases, output: 2, minimumChange: 0.5, model: Self.classifier, inputs: Self.inputs,
            perturbation: firstFeatureUp)
        #expect(down.passed)
        let wrong = try ModelValidation.checkDirection(
            .increases, output: 1, model: Self.classifier, inputs: Self.inputs, perturbation: firstFeatureUp)
        #expect(!wrong.passed && wrong.failures.count == 5 && wrong.measuredValue == 1)
        #expect(wrong.failures[0].reason == "output 1 changed by 0.0, expected it to increase")
        let data = try JSONEncoder().encode(wrong)
        #expect(try JSONDecoder().decode(ModelValidationReport.self, from: data) == wrong)
    }

    @Test("empty inputs are a typed error, not a vacuous pass")
    func emptyInputs() throws {
        #expect(throws: MetricError.emptyInput(metric: "invariance")) {
            try ModelValidation.checkInvariance(
                .sameClass, model: { $0 }, inputs: Tensor([Double](), shape: [0, 3]), perturbation: { $0 })
        }
    }
}

@Suite("Model validation on a ForgeLayers model")
struct ModelValidationLayersTests {
    /// The DocC "Model tests" example, run on a Linear layer whose weights make the golden set easy.
    @Test("the documented example: golden-set accuracy and noise invariance of a Linear model")
    func documentedExample() throws {
        var generator = RandomGenerator(seed: 3)
        let model = Linear(inputFeatures: 2, outputFeatures: 3, generator: &generator)
        // Inputs far from the decision boundaries, labelled with the model's own predictions: accuracy 1.
        let inputs = Tensor.normal(shape: [64, 2], standardDeviation: 5, dtype: .float32, generator: &generator)
        let predict: (Tensor) -> Tensor = { model(Variable($0)).value }
        let labels = Tensor(try ScoreTable(tensor: predict(inputs), metric: "test").argmax().map(Int32.init))
        let golden = (inputs: inputs, labels: labels)

        let quality = try ModelValidation.expectMetric(
            .accuracy, reaches: 0.95, model: predict, inputs: golden.inputs, labels: golden.labels)
        #expect(quality.passed, Comment(rawValue: quality.description))

        var noiseGenerator = RandomGenerator(seed: 7)
        let noise = Tensor.normal(
            shape: golden.inputs.shape, standardDeviation: 0.01, dtype: golden.inputs.dtype, generator: &noiseGenerator)
        let invariance = try ModelValidation.checkInvariance(
            .sameClass, maximumFailureRate: 0.01, model: predict, inputs: golden.inputs, perturbation: { $0 + noise })
        #expect(invariance.passed, Comment(rawValue: invariance.description))
        #expect(invariance.measuredValue <= 0.01)

        // Large noise flips classes: the check must be able to fail.
        let loud = Tensor.normal(
            shape: inputs.shape, standardDeviation: 20, dtype: .float32, generator: &noiseGenerator)
        let flipped = try ModelValidation.checkInvariance(
            .sameClass, maximumFailureRate: 0.01, model: predict, inputs: inputs, perturbation: { $0 + loud })
        #expect(!flipped.passed && flipped.failures.count > 5)
    }
}
