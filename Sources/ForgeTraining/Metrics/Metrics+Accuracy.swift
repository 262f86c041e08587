public import ForgeTensor

extension Metrics {
    /// The fraction of examples whose predicted class equals the label.
    ///
    /// Matches `sklearn.metrics.accuracy_score(labels, predictions)`.
    /// - Throws: ``MetricError/emptyInput(metric:)`` for no examples,
    ///   ``MetricError/countMismatch(metric:predictions:labels:)`` when the counts differ.
    public static func accuracy(predictions: [Int], labels: [Int]) throws -> Double {
        try MetricInput.checkCounts(metric: "accuracy", predictions: predictions.count, labels: labels.count)
        let correct = zip(predictions, labels).reduce(0) { $0 + ($1.0 == $1.1 ? 1 : 0) }
        return Double(correct) / Double(labels.count)
    }

    /// The accuracy of the arg-max class of `[N, C]` scores (logits or probabilities) against `[N]` labels.
    ///
    /// ```swift
    /// let accuracy = try Metrics.accuracy(scores: model(inputs), labels: labels)
    /// ```
    public static func accuracy(scores: Tensor, labels: Tensor) throws -> Double {
        try topKAccuracy(scores: scores, labels: labels, k: 1)
    }

    /// The fraction of examples whose label is among the `k` highest-scoring classes.
    ///
    /// Ties at the k-th score count in the example's favour only if the label's score is strictly
    /// above the (k+1)-th distinct position: a label counts as within the top k when fewer than `k`
    /// classes score strictly higher than it. scikit-learn's `top_k_accuracy_score` breaks ties by
    /// a stable sort instead, so the two can differ only when scores tie.
    /// - Parameters:
    ///   - scores: `[N][C]` class scores.
    ///   - labels: `N` class indices in `0..<C`.
    ///   - k: how many top classes count as correct, at least 1.
    public static func topKAccuracy(scores: [[Double]], labels: [Int], k: Int) throws -> Double {
        try topKAccuracy(table: ScoreTable(rows: scores, metric: "top-k accuracy"), labels: labels, k: k)
    }

    /// Top-k accuracy of `[N, C]` score tensors against `[N]` label tensors (same rule as the array form).
    public static func topKAccuracy(scores: Tensor, labels: Tensor, k: Int) throws -> Double {
        let metric = k == 1 ? "accuracy" : "top-k accuracy"
        return try topKAccuracy(
            table: ScoreTable(tensor: scores, metric: metric), labels: MetricInput.labels(labels, metric: metric),
            k: k)
    }

    static func topKAccuracy(table: ScoreTable, labels: [Int], k: Int) throws -> Double {
        let metric = k == 1 ? "accuracy" : "top-k accuracy"
        guard k >= 1 else {
            throw MetricError.invalidParameter(metric: metric, reason: "k must be at least 1, got \(k)")
        }
        try MetricInput.checkCounts(metric: metric, predictions: table.exampleCount, labels: labels.count)
        try MetricInput.checkRange(labels, classCount: table.classCount, metric: metric)
        return Double(topKCorrectCount(table: table, labels: labels, k: k)) / Double(labels.count)
    }

    /// How many examples have their label within the top `k` (fewer than `k` classes score strictly higher).
    /// For `k == 1` this is the arg-max rule with the first index winning ties.
    static func topKCorrectCount(table: ScoreTable, labels: [Int], k: Int) -> Int {
        if k == 1 {
            return zip(table.argmax(), labels).reduce(0) { $0 + ($1.0 == $1.1 ? 1 : 0) }
        }
        var correct = 0
        for (example, label) in labels.enumerated() {
            let row = table.row(example)
            let labelScore = row[row.startIndex + label]
            let higher = row.reduce(0) { $0 + ($1 > labelScore ? 1 : 0) }
            if higher < k { correct += 1 }
        }
        return correct
    }
}
