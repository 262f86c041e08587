public import ForgeTensor
import Foundation

extension Metrics {
    /// The mean negative log-likelihood of the labels under predicted class probabilities.
    ///
    /// Probabilities are clipped to `[epsilon, 1 − epsilon]` before the logarithm so a confident wrong
    /// prediction costs `−log(epsilon)` instead of infinity. The default `epsilon` is the machine
    /// epsilon of `Double`, which is what `sklearn.metrics.log_loss` uses for float64 input; rows are
    /// not renormalized.
    /// - Parameters:
    ///   - probabilities: `[N][C]` probabilities (rows should sum to 1; pass softmax outputs, not logits).
    ///   - labels: class index per example.
    ///   - epsilon: clipping bound, in `(0, 0.5)`.
    /// - Throws: ``MetricError`` for empty input, a count mismatch or an out-of-range label.
    public static func logLoss(
        probabilities: [[Double]], labels: [Int], epsilon: Double = Double.ulpOfOne
    ) throws -> Double {
        try logLoss(table: ScoreTable(rows: probabilities, metric: "log-loss"), labels: labels, epsilon: epsilon)
    }

    /// Log-loss of a `[N, C]` probability tensor against `[N]` labels; see the array form.
    public static func logLoss(probabilities: Tensor, labels: Tensor, epsilon: Double = Double.ulpOfOne) throws
        -> Double
    {
        try logLoss(
            table: ScoreTable(tensor: probabilities, metric: "log-loss"),
            labels: MetricInput.labels(labels, metric: "log-loss"), epsilon: epsilon)
    }

    /// Binary log-loss of the probability of the positive class (label 1) against 0/1 labels.
    public static func logLoss(
        positiveProbabilities: [Double], labels: [Int], epsilon: Double = Double.ulpOfOne
    ) throws -> Double {
        let rows = positiveProbabilities.map { [1 - $0, $0] }
        return try logLoss(table: ScoreTable(rows: rows, metric: "log-loss"), labels: labels, epsilon: epsilon)
    }

    static func logLoss(table: ScoreTable, labels: [Int], epsilon: Double) throws -> Double {
        guard epsilon > 0, epsilon < 0.5 else {
            throw MetricError.invalidParameter(
                metric: "log-loss", reason: "epsilon must be in (0, 0.5), got \(epsilon)")
        }
        try MetricInput.checkCounts(metric: "log-loss", predictions: table.exampleCount, labels: labels.count)
        try MetricInput.checkRange(labels, classCount: table.classCount, metric: "log-loss")
        return logLossSum(table: table, labels: labels, epsilon: epsilon) / Double(labels.count)
    }

    /// The summed (not averaged) clipped negative log-probability of each label.
    static func logLossSum(table: ScoreTable, labels: [Int], epsilon: Double) -> Double {
        var sum = 0.0
        for (example, label) in labels.enumerated() {
            let probability = table.values[example * table.classCount + label]
            sum -= Foundation.log(min(max(probability, epsilon), 1 - epsilon))
        }
        return sum
    }

    /// Row-wise softmax of logits (max-subtracted for stability).
    static func softmax(_ table: ScoreTable) -> ScoreTable {
        var result = table
        for example in 0..<table.exampleCount {
            let row = table.row(example)
            let maximum = row.max() ?? 0
            let exponentials = row.map { Foundation.exp($0 - maximum) }
            let sum = exponentials.reduce(0, +)
            for (column, value) in exponentials.enumerated() {
                result.values[example * table.classCount + column] = value / sum
            }
        }
        return result
    }
}
