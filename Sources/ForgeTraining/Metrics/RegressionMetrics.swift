public import ForgeTensor
import Foundation

/// Error metrics of a regressor: MSE, RMSE, MAE and the coefficient of determination R².
///
/// ```swift
/// let metrics = try Metrics.regression(predictions: [2.5, 0.0, 2, 8], targets: [3, -0.5, 2, 7])
/// metrics.rootMeanSquaredError  // 0.6124…
/// ```
public struct RegressionMetrics: Codable, Equatable, Sendable {
    /// The number of values compared.
    public var count: Int
    /// `mean((prediction − target)²)` (`sklearn.metrics.mean_squared_error`).
    public var meanSquaredError: Double
    /// `sqrt(meanSquaredError)` (`sklearn.metrics.root_mean_squared_error`).
    public var rootMeanSquaredError: Double
    /// `mean(|prediction − target|)` (`sklearn.metrics.mean_absolute_error`).
    public var meanAbsoluteError: Double
    /// `1 − SSE / SST` (`sklearn.metrics.r2_score`). When the targets are constant (SST = 0) it is 1 for
    /// a perfect prediction and 0 otherwise, scikit-learn's `force_finite=True` rule.
    public var rSquared: Double

    /// Creates the metrics from the running sums kept by ``RegressionAccumulator``.
    init(sums: RegressionSums) {
        self.count = sums.count
        meanSquaredError = sums.squaredErrorSum / Double(sums.count)
        rootMeanSquaredError = meanSquaredError.squareRoot()
        meanAbsoluteError = sums.absoluteErrorSum / Double(sums.count)
        if sums.targetSquaredDeviationSum == 0 {
            rSquared = sums.squaredErrorSum == 0 ? 1 : 0
        } else {
            rSquared = 1 - sums.squaredErrorSum / sums.targetSquaredDeviationSum
        }
    }
}

/// Running sums for the regression metrics; the target variance uses Welford's update so it stays
/// accurate when targets have a large mean.
struct RegressionSums: Sendable, Equatable {
    var count = 0
    var squaredErrorSum = 0.0
    var absoluteErrorSum = 0.0
    var targetMean = 0.0
    var targetSquaredDeviationSum = 0.0

    mutating func add(prediction: Double, target: Double) {
        let error = prediction - target
        count += 1
        squaredErrorSum += error * error
        absoluteErrorSum += abs(error)
        let delta = target - targetMean
        targetMean += delta / Double(count)
        targetSquaredDeviationSum += delta * (target - targetMean)
    }
}

extension Metrics {
    /// MSE, RMSE, MAE and R² of predictions against targets.
    /// - Throws: ``MetricError`` for empty input or mismatched counts.
    public static func regression(predictions: [Double], targets: [Double]) throws -> RegressionMetrics {
        try MetricInput.checkCounts(metric: "regression metrics", predictions: predictions.count, labels: targets.count)
        var sums = RegressionSums()
        for (prediction, target) in zip(predictions, targets) { sums.add(prediction: prediction, target: target) }
        return RegressionMetrics(sums: sums)
    }

    /// Regression metrics of two tensors with the same number of elements (compared element by element).
    public static func regression(predictions: Tensor, targets: Tensor) throws -> RegressionMetrics {
        try regression(predictions: predictions.doubleScalars, targets: targets.doubleScalars)
    }
}
