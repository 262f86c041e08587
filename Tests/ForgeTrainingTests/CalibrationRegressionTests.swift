import ForgeTensor
import Foundation
import Testing

@testable import ForgeTraining

@Suite("Calibration and regression metrics")
struct CalibrationRegressionTests {
    typealias F = MetricFixtures

    @Test("binary reliability bins match calibration_curve(n_bins=5); ECE and MCE by hand")
    func binaryCalibration() throws {
        let report = try Metrics.calibration(
            positiveProbabilities: F.binaryScores, labels: F.binaryLabels, binCount: 5)
        // prob_true, prob_pred = calibration_curve(y, p, n_bins=5)
        let observed = [0.0, 0.5, 1.0, 0.5, 1.0]
        let confidence = [0.15000000000000002, 0.375, 0.55, 0.75, 0.9]
        #expect(report.bins.map(\.count) == [2, 4, 1, 2, 1])
        for (bin, (o, c)) in zip(report.bins, zip(observed, confidence)) {
            #expect(abs(bin.observedFrequency - o) < 1e-12 && abs(bin.meanConfidence - c) < 1e-12)
        }
        // ECE = .2·.15 + .4·.125 + .1·.45 + .2·.25 + .1·.1 = 0.185; MCE = 0.45.
        #expect(abs(report.expectedCalibrationError - 0.185) < 1e-12)
        #expect(abs(report.maximumCalibrationError - 0.45) < 1e-12)
        // A value on an edge (0.4) falls in the lower bin, like NumPy searchsorted.
        #expect(report.bins[1].lowerBound == 0.2 && report.bins[1].upperBound == 0.4)
    }

    @Test("top-label calibration of multiclass probabilities, by hand")
    func topLabelCalibration() throws {
        // Confidences 0.9 (right), 0.8 (wrong), 0.6 (right), 0.55 (right) in two bins [0, .5], (.5, 1].
        let probabilities: [[Double]] = [[0.9, 0.1], [0.2, 0.8], [0.6, 0.4], [0.45, 0.55]]
        let report = try Metrics.calibration(probabilities: probabilities, labels: [0, 0, 0, 1], binCount: 2)
        #expect(report.bins[0].count == 0 && report.bins[1].count == 4)
        #expect(abs(report.bins[1].meanConfidence - 0.7125) < 1e-12)
        #expect(abs(report.expectedCalibrationError - abs(0.75 - 0.7125)) < 1e-12)
        #expect(
            throws: MetricError.undefined(
                metric: "calibration", reason: "value 1.5 at index 0 is not a probability in [0, 1]")
        ) {
            try Metrics.calibration(positiveProbabilities: [1.5], labels: [1])
        }
        #expect(throws: MetricError.emptyInput(metric: "calibration")) {
            try Metrics.calibration(probabilities: [], labels: [])
        }
    }

    @Test("regression metrics match scikit-learn; constant targets follow force_finite")
    func regression() throws {
        let metrics = try Metrics.regression(predictions: [2.5, 0.0, 2, 8, 3.9], targets: [3, -0.5, 2, 7, 4.2])
        // mean_squared_error = 0.318, root_mean_squared_error = 0.5639148871948674,
        // mean_absolute_error = 0.4600000000000001, r2_score = 0.9480256276150627
        #expect(abs(metrics.meanSquaredError - 0.318) < 1e-12)
        #expect(abs(metrics.rootMeanSquaredError - 0.5639148871948674) < 1e-12)
        #expect(abs(metrics.meanAbsoluteError - 0.4600000000000001) < 1e-12)
        #expect(abs(metrics.rSquared - 0.9480256276150627) < 1e-12)
        // r2_score([2,2,2], [2,2,2]) = 1.0; r2_score([2,2,2], [1,2,3]) = 0.0
        #expect(try Metrics.regression(predictions: [2, 2, 2], targets: [2, 2, 2]).rSquared == 1)
        #expect(try Metrics.regression(predictions: [1, 2, 3], targets: [2, 2, 2]).rSquared == 0)
        let fromTensors = try Metrics.regression(
            predictions: Tensor([2.5, 0.0, 2, 8, 3.9]), targets: Tensor([3, -0.5, 2, 7, 4.2]))
        #expect(abs(fromTensors.rSquared - 0.9480256276150627) < 1e-12)
        #expect(throws: MetricError.emptyInput(metric: "regression metrics")) {
            try Metrics.regression(predictions: [], targets: [])
        }
    }
}
