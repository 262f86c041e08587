public import ForgeTensor

/// Counts of (true class, predicted class) pairs, with class names for charts.
///
/// `counts[i][j]` is the number of examples whose label is class `i` and whose prediction is class `j`
/// (rows are true classes, columns predictions, as in `sklearn.metrics.confusion_matrix`).
///
/// ```swift
/// let matrix = try Metrics.confusionMatrix(predictions: [0, 1, 1], labels: [0, 1, 0], classCount: 2)
/// matrix.counts  // [[1, 1], [0, 1]]
/// ```
public struct ConfusionMatrix: Codable, Equatable, Sendable {
    /// The name of each class, in class-index order.
    public var classNames: [String]
    /// `counts[trueClass][predictedClass]`.
    public var counts: [[Int]]

    /// An all-zero matrix over `classCount` classes (names default to `"0"`, `"1"`, …).
    public init(classCount: Int, classNames: [String]? = nil) {
        precondition(classCount > 0, "ConfusionMatrix: classCount must be positive, got \(classCount)")
        let names = classNames ?? (0..<classCount).map(String.init)
        precondition(
            names.count == classCount,
            "ConfusionMatrix: \(names.count) class names for \(classCount) classes")
        self.classNames = names
        self.counts = Array(repeating: Array(repeating: 0, count: classCount), count: classCount)
    }

    /// Decodes a stored matrix, checking that it is square with one name per class and no negative count.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let classNames = try container.decode([String].self, forKey: .classNames)
        let counts = try container.decode([[Int]].self, forKey: .counts)
        guard !counts.isEmpty, counts.allSatisfy({ $0.count == counts.count }), classNames.count == counts.count,
            counts.allSatisfy({ $0.allSatisfy { $0 >= 0 } })
        else {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(
                    codingPath: container.codingPath,
                    debugDescription: "confusion matrix: counts must be a non-empty square matrix of non-negative "
                        + "integers with one class name per row (got \(counts.map(\.count)) rows, "
                        + "\(classNames.count) names)"))
        }
        self.classNames = classNames
        self.counts = counts
    }

    /// The number of classes.
    public var classCount: Int { counts.count }

    /// The total number of examples counted.
    public var total: Int { counts.reduce(0) { $0 + $1.reduce(0, +) } }

    /// Adds one example per pair; values must already be checked to lie in `0..<classCount`.
    mutating func add(predictions: [Int], labels: [Int]) {
        for (predicted, label) in zip(predictions, labels) { counts[label][predicted] += 1 }
    }

    /// Adds the counts of another matrix over the same classes.
    public mutating func merge(_ other: ConfusionMatrix) {
        precondition(
            other.classCount == classCount,
            "ConfusionMatrix.merge: \(other.classCount) classes into \(classCount)")
        for row in 0..<classCount {
            for column in 0..<classCount { counts[row][column] += other.counts[row][column] }
        }
    }

    /// Correct predictions of class `index` (the diagonal entry).
    public func truePositives(_ index: Int) -> Int { counts[index][index] }

    /// Examples predicted as class `index` whose label is another class (column sum minus diagonal).
    public func falsePositives(_ index: Int) -> Int {
        counts.reduce(0) { $0 + $1[index] } - counts[index][index]
    }

    /// Examples of class `index` predicted as another class (row sum minus diagonal).
    public func falseNegatives(_ index: Int) -> Int { counts[index].reduce(0, +) - counts[index][index] }

    /// The number of examples whose label is class `index` (the row sum).
    public func support(_ index: Int) -> Int { counts[index].reduce(0, +) }

    /// The fraction of examples on the diagonal; `nil` when the matrix is empty.
    public var accuracy: Double? {
        let total = total
        guard total > 0 else { return nil }
        return Double((0..<classCount).reduce(0) { $0 + counts[$1][$1] }) / Double(total)
    }

    /// Each row divided by its sum (recall per true class); rows with no examples stay zero.
    public func normalizedByTrueClass() -> [[Double]] {
        counts.map { row in
            let sum = row.reduce(0, +)
            return row.map { sum == 0 ? 0 : Double($0) / Double(sum) }
        }
    }
}

extension Metrics {
    /// The confusion matrix of predicted class indices against labels.
    ///
    /// Matches `sklearn.metrics.confusion_matrix(labels, predictions, labels=range(classCount))`.
    /// - Parameters:
    ///   - predictions: predicted class per example.
    ///   - labels: true class per example.
    ///   - classCount: number of classes; every value must lie in `0..<classCount`.
    ///   - classNames: optional names for charts (defaults to the indices).
    /// - Throws: ``MetricError`` for empty input, a count mismatch or an out-of-range class.
    public static func confusionMatrix(
        predictions: [Int], labels: [Int], classCount: Int, classNames: [String]? = nil
    ) throws -> ConfusionMatrix {
        let metric = "confusion matrix"
        guard classCount > 0 else {
            throw MetricError.invalidParameter(metric: metric, reason: "classCount must be positive, got \(classCount)")
        }
        if let classNames, classNames.count != classCount {
            throw MetricError.invalidParameter(
                metric: metric, reason: "\(classNames.count) class names for \(classCount) classes")
        }
        try MetricInput.checkCounts(metric: metric, predictions: predictions.count, labels: labels.count)
        try MetricInput.checkRange(labels, classCount: classCount, metric: metric)
        try MetricInput.checkRange(predictions, classCount: classCount, metric: metric)
        var matrix = ConfusionMatrix(classCount: classCount, classNames: classNames)
        matrix.add(predictions: predictions, labels: labels)
        return matrix
    }

    /// The confusion matrix of the arg-max of `[N, C]` scores against `[N]` labels.
    public static func confusionMatrix(
        scores: Tensor, labels: Tensor, classNames: [String]? = nil
    ) throws -> ConfusionMatrix {
        let table = try ScoreTable(tensor: scores, metric: "confusion matrix")
        return try confusionMatrix(
            predictions: table.argmax(), labels: MetricInput.labels(labels, metric: "confusion matrix"),
            classCount: table.classCount, classNames: classNames)
    }
}
