public import ForgeTensor

/// Evaluation metrics for classifiers and regressors.
///
/// Every metric takes plain Swift arrays or `Tensor` values: class scores (logits or
/// probabilities) as `[N, C]`, labels as `[N]` class indices. Results are `Codable` values so they can
/// be stored with a run and drawn in reports. Inputs that give no defined value (no examples, a label
/// outside `0..<C`, ROC AUC with one class) throw ``MetricError``.
///
/// ```swift
/// let accuracy = try Metrics.accuracy(scores: logits, labels: labels)
/// let report = try Metrics.classificationReport(predictions: [0, 1, 1], labels: [0, 1, 0], classCount: 2)
/// print(report.macro.f1)
/// ```
///
/// The definitions follow scikit-learn's so numbers can be compared with a Python pipeline; each
/// function's documentation names the scikit-learn call it matches.
public enum Metrics {}

/// Scores for `exampleCount` examples over `classCount` classes, row-major, as `Double`.
struct ScoreTable: Sendable {
    var exampleCount: Int
    var classCount: Int
    var values: [Double]

    init(exampleCount: Int, classCount: Int, values: [Double], metric: String) throws {
        guard classCount > 0 || exampleCount == 0 else {
            throw MetricError.invalidShape(
                metric: metric, shape: [exampleCount, classCount], expected: "at least one score column")
        }
        self.init(exampleCount: exampleCount, classCount: classCount, values: values)
    }

    init(exampleCount: Int, classCount: Int, values: [Double]) {
        self.exampleCount = exampleCount
        self.classCount = classCount
        self.values = values
    }

    /// Reads rows of equal length; a ragged array is reported as an invalid shape.
    init(rows: [[Double]], metric: String) throws {
        let columns = rows.first?.count ?? 0
        var values: [Double] = []
        values.reserveCapacity(rows.count * columns)
        for row in rows {
            guard row.count == columns else {
                throw MetricError.invalidShape(
                    metric: metric, shape: [rows.count, row.count], expected: "rows of equal length \(columns)")
            }
            values.append(contentsOf: row)
        }
        try self.init(exampleCount: rows.count, classCount: columns, values: values, metric: metric)
    }

    /// Reads a `[N, C]` tensor (a `[N]` tensor is one column).
    init(tensor: Tensor, metric: String) throws {
        switch tensor.rank {
        case 1: self.init(exampleCount: tensor.shape[0], classCount: 1, values: tensor.doubleScalars)
        case 2:
            try self.init(
                exampleCount: tensor.shape[0], classCount: tensor.shape[1], values: tensor.doubleScalars, metric: metric
            )
        default: throw MetricError.invalidShape(metric: metric, shape: tensor.shape, expected: "[N, C] or [N]")
        }
    }

    /// The scores of one example.
    func row(_ index: Int) -> ArraySlice<Double> {
        values[(index * classCount)..<((index + 1) * classCount)]
    }

    /// The score of every example for one class.
    func column(_ index: Int) -> [Double] {
        (0..<exampleCount).map { values[$0 * classCount + index] }
    }

    /// The index of the largest score of each example (the first on ties, like `argmax`).
    func argmax() -> [Int] {
        (0..<exampleCount).map { example in
            var best = 0
            var bestValue = values[example * classCount]
            for column in 1..<max(classCount, 1) where values[example * classCount + column] > bestValue {
                best = column
                bestValue = values[example * classCount + column]
            }
            return best
        }
    }
}

/// Input checks shared by the metrics.
enum MetricInput {
    /// Converts a `[N]` label tensor (integer or integral floating point) to class indices.
    static func labels(_ tensor: Tensor, metric: String) throws -> [Int] {
        guard tensor.rank == 1 else {
            throw MetricError.invalidShape(metric: metric, shape: tensor.shape, expected: "labels of shape [N]")
        }
        return try tensor.doubleScalars.enumerated().map { index, value in
            guard value.rounded() == value, abs(value) < 1e15 else {
                throw MetricError.invalidLabel(metric: metric, index: index, value: value, classCount: 0)
            }
            return Int(value)
        }
    }

    /// Checks that there is at least one example and that the counts agree.
    static func checkCounts(metric: String, predictions: Int, labels: Int) throws {
        guard predictions == labels else {
            throw MetricError.countMismatch(metric: metric, predictions: predictions, labels: labels)
        }
        guard labels > 0 else { throw MetricError.emptyInput(metric: metric) }
    }

    /// Checks that every value is a class index in `0..<classCount`.
    static func checkRange(_ values: [Int], classCount: Int, metric: String) throws {
        for (index, value) in values.enumerated() where value < 0 || value >= classCount {
            throw MetricError.invalidLabel(metric: metric, index: index, value: Double(value), classCount: classCount)
        }
    }

    /// Checks that no score is NaN (a NaN cannot be ranked).
    static func checkFinite(_ values: [Double], metric: String) throws {
        if let index = values.firstIndex(where: { $0.isNaN }) {
            throw MetricError.undefined(metric: metric, reason: "score at index \(index) is NaN")
        }
    }
}
