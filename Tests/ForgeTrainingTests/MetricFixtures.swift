import ForgeTensor

/// Fixed inputs shared by the metric tests; the scikit-learn values in the tests were computed on these
/// arrays with scikit-learn 1.9.1 (float64).
enum MetricFixtures {
    /// 14 labels over 3 classes (supports 4, 4, 6).
    static let labels = [0, 1, 2, 2, 1, 0, 1, 2, 0, 2, 1, 0, 2, 2]
    /// Arg-max of ``probabilities``.
    static let predictions = [0, 2, 2, 2, 1, 0, 0, 1, 0, 2, 1, 1, 0, 2]
    /// `[14][3]` class probabilities.
    static let probabilities: [[Double]] = [
        [0.7, 0.2, 0.1], [0.1, 0.3, 0.6], [0.2, 0.2, 0.6], [0.05, 0.15, 0.8], [0.3, 0.5, 0.2],
        [0.6, 0.3, 0.1], [0.5, 0.4, 0.1], [0.2, 0.45, 0.35], [0.9, 0.05, 0.05], [0.1, 0.2, 0.7],
        [0.25, 0.55, 0.2], [0.4, 0.45, 0.15], [0.5, 0.1, 0.4], [0.3, 0.3, 0.4],
    ]
    /// Binary scores with ties (0.4 and 0.35 each appear twice).
    static let binaryScores = [0.1, 0.4, 0.35, 0.8, 0.4, 0.7, 0.2, 0.9, 0.55, 0.35]
    /// Binary labels for ``binaryScores``.
    static let binaryLabels = [0, 0, 1, 1, 1, 0, 0, 1, 1, 0]

    static var probabilityTensor: Tensor { Tensor(probabilities.flatMap { $0 }, shape: [14, 3]) }
    static var labelTensor: Tensor { Tensor(labels.map(Int32.init)) }
}
