public import ForgeTensor

/// One bin of a reliability diagram: predictions whose confidence falls in `(lowerBound, upperBound]`.
public struct ReliabilityBin: Codable, Equatable, Sendable {
    /// Lower edge (exclusive, except that the first bin includes 0).
    public var lowerBound: Double
    /// Upper edge (inclusive).
    public var upperBound: Double
    /// How many predictions fall in the bin.
    public var count: Int
    /// The mean predicted confidence in the bin (0 when empty).
    public var meanConfidence: Double
    /// The fraction of those predictions that were right (top-label) or positive (binary); 0 when empty.
    public var observedFrequency: Double

    /// Creates a bin from its parts.
    public init(lowerBound: Double, upperBound: Double, count: Int, meanConfidence: Double, observedFrequency: Double) {
        self.lowerBound = lowerBound
        self.upperBound = upperBound
        self.count = count
        self.meanConfidence = meanConfidence
        self.observedFrequency = observedFrequency
    }
}

/// A reliability diagram with the expected and maximum calibration errors.
///
/// Bins split `[0, 1]` into `binCount` equal-width intervals. The expected calibration error is
/// `Σ (countᵦ / N) · |observedᵦ − confidenceᵦ|` (Guo et al., 2017); the maximum calibration error is the
/// largest gap over non-empty bins. The binary form bins like
/// `sklearn.calibration.calibration_curve(labels, probabilities, n_bins=binCount, strategy="uniform")`,
/// whose `prob_true`/`prob_pred` are the non-empty bins' ``ReliabilityBin/observedFrequency`` and
/// ``ReliabilityBin/meanConfidence``.
public struct CalibrationReport: Codable, Equatable, Sendable {
    /// Every bin, empty ones included, in increasing confidence.
    public var bins: [ReliabilityBin]
    /// The count-weighted mean gap between confidence and observed frequency (ECE).
    public var expectedCalibrationError: Double
    /// The largest gap over non-empty bins (MCE).
    public var maximumCalibrationError: Double

    /// Builds the report from confidences and 0/1 outcomes.
    init(confidences: [Double], outcomes: [Bool], binCount: Int) {
        var counts = Array(repeating: 0, count: binCount)
        var confidenceSums = Array(repeating: 0.0, count: binCount)
        var outcomeSums = Array(repeating: 0, count: binCount)
        for (confidence, outcome) in zip(confidences, outcomes) {
            let bin = Self.binIndex(confidence, binCount: binCount)
            counts[bin] += 1
            confidenceSums[bin] += confidence
            outcomeSums[bin] += outcome ? 1 : 0
        }
        var bins: [ReliabilityBin] = []
        var expected = 0.0
        var maximum = 0.0
        for bin in 0..<binCount {
            let count = counts[bin]
            let meanConfidence = count == 0 ? 0 : confidenceSums[bin] / Double(count)
            let observed = count == 0 ? 0 : Double(outcomeSums[bin]) / Double(count)
            bins.append(
                ReliabilityBin(
                    lowerBound: Double(bin) / Double(binCount), upperBound: Double(bin + 1) / Double(binCount),
                    count: count, meanConfidence: meanConfidence, observedFrequency: observed))
            if count > 0 {
                let gap = abs(observed - meanConfidence)
                expected += Double(count) / Double(confidences.count) * gap
                maximum = max(maximum, gap)
            }
        }
        self.bins = bins
        self.expectedCalibrationError = expected
        self.maximumCalibrationError = maximum
    }

    /// The number of inner edges `k / binCount` strictly below `confidence` (NumPy `searchsorted`, side left).
    static func binIndex(_ confidence: Double, binCount: Int) -> Int {
        var index = 0
        while index < binCount - 1 && Double(index + 1) / Double(binCount) < confidence { index += 1 }
        return index
    }
}

extension Metrics {
    /// Top-label calibration of `[N][C]` probabilities: confidence is the largest probability, the
    /// outcome is whether its class is the label.
    ///
    /// ```swift
    /// let calibration = try Metrics.calibration(probabilities: softmaxOutputs, labels: labels, binCount: 15)
    /// print(calibration.expectedCalibrationError)
    /// ```
    /// - Throws: ``MetricError`` for empty input, mismatched counts, out-of-range labels or probabilities,
    ///   or `binCount < 1`.
    public static func calibration(probabilities: [[Double]], labels: [Int], binCount: Int = 10) throws
        -> CalibrationReport
    {
        try calibration(
            table: ScoreTable(rows: probabilities, metric: "calibration"), labels: labels, binCount: binCount)
    }

    /// Top-label calibration of a `[N, C]` probability tensor against `[N]` labels; see the array form.
    public static func calibration(probabilities: Tensor, labels: Tensor, binCount: Int = 10) throws
        -> CalibrationReport
    {
        try calibration(
            table: ScoreTable(tensor: probabilities, metric: "calibration"),
            labels: MetricInput.labels(labels, metric: "calibration"), binCount: binCount)
    }

    /// Calibration of binary predictions: the probability of the positive class against 0/1 labels.
    public static func calibration(
        positiveProbabilities: [Double], labels: [Int], positiveLabel: Int = 1, binCount: Int = 10
    ) throws -> CalibrationReport {
        try MetricInput.checkCounts(
            metric: "calibration", predictions: positiveProbabilities.count, labels: labels.count)
        try checkCalibrationInput(positiveProbabilities, labelCount: labels.count, binCount: binCount)
        return CalibrationReport(
            confidences: positiveProbabilities, outcomes: labels.map { $0 == positiveLabel }, binCount: binCount)
    }

    static func calibration(table: ScoreTable, labels: [Int], binCount: Int) throws -> CalibrationReport {
        try checkCalibrationInput(table.values, labelCount: labels.count, binCount: binCount)
        try MetricInput.checkCounts(metric: "calibration", predictions: table.exampleCount, labels: labels.count)
        try MetricInput.checkRange(labels, classCount: table.classCount, metric: "calibration")
        let predictions = table.argmax()
        let confidences = (0..<table.exampleCount).map { table.values[$0 * table.classCount + predictions[$0]] }
        return CalibrationReport(
            confidences: confidences, outcomes: zip(predictions, labels).map { $0 == $1 }, binCount: binCount)
    }

    private static func checkCalibrationInput(_ probabilities: [Double], labelCount: Int, binCount: Int) throws {
        guard binCount >= 1 else {
            throw MetricError.invalidParameter(
                metric: "calibration", reason: "binCount must be at least 1, got \(binCount)")
        }
        guard labelCount > 0 else { throw MetricError.emptyInput(metric: "calibration") }
        if let index = probabilities.firstIndex(where: { !($0 >= 0 && $0 <= 1) }) {
            throw MetricError.undefined(
                metric: "calibration",
                reason: "value \(probabilities[index]) at index \(index) is not a probability in [0, 1]")
        }
    }
}
