/// An error from computing an evaluation metric on data that cannot give a defined value.
///
/// Metrics are computed on data that comes from outside the library (a validation set, a model's
/// outputs), so bad inputs are reported with a typed error that names the metric and what was wrong,
/// never with a trap.
public enum MetricError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The metric was asked for on zero examples.
    case emptyInput(metric: String)
    /// Predictions and labels have different numbers of examples.
    case countMismatch(metric: String, predictions: Int, labels: Int)
    /// A label (or predicted class) is not an integer in `0..<classCount`.
    case invalidLabel(metric: String, index: Int, value: Double, classCount: Int)
    /// The score matrix has a shape the metric cannot use (for example a rank-3 tensor).
    case invalidShape(metric: String, shape: [Int], expected: String)
    /// The metric is undefined for this data (for example ROC AUC when only one class is present).
    case undefined(metric: String, reason: String)
    /// A parameter of the metric is out of range (for example `k = 0` for top-k accuracy).
    case invalidParameter(metric: String, reason: String)

    /// A one-line message naming the metric and the problem.
    public var description: String {
        switch self {
        case .emptyInput(let metric):
            return "\(metric): no examples (empty input)"
        case .countMismatch(let metric, let predictions, let labels):
            return "\(metric): \(predictions) predictions but \(labels) labels"
        case .invalidLabel(let metric, let index, let value, let classCount):
            return "\(metric): label \(value) at index \(index) is not a class index in 0..<\(classCount)"
        case .invalidShape(let metric, let shape, let expected):
            return "\(metric): scores of shape \(shape), expected \(expected)"
        case .undefined(let metric, let reason):
            return "\(metric) is undefined: \(reason)"
        case .invalidParameter(let metric, let reason):
            return "\(metric): \(reason)"
        }
    }
}
