public import Foundation

/// The record of how a model was trained: a first-class document attached to a run.
///
/// It answers the questions a reviewer asks of a model months later: who trained it and when, with which
/// full configuration, on which data versions (and what that data looked like), how well it did, where
/// the learned parameters are, plus the evaluation charts the run report draws.
public struct TrainingMetadata: Sendable, Hashable, Codable {
    /// Who trained the model.
    public var trainedBy: String
    /// When training started.
    public var startTime: Date
    /// When training ended (nil while running).
    public var endTime: Date?
    /// The full resolved configuration.
    public var configuration: JSONValue
    /// The training data version.
    public var trainingData: DatasetInput?
    /// The test (or validation) data version.
    public var testData: DatasetInput?
    /// Final model metrics (`test/accuracy` → 0.978).
    public var modelMetrics: [String: Double]
    /// Evaluation charts: confusion matrices and curves.
    public var charts: [EvaluationChart]
    /// Where the learned parameters are: an artifact path of the run, or a URI.
    public var parametersLocation: String?
    /// Summary statistics (parameter count, epochs run, samples per second…).
    public var summaryStatistics: [String: Double]

    /// Creates training metadata.
    public init(
        trainedBy: String, startTime: Date, endTime: Date? = nil, configuration: JSONValue = .object([:]),
        trainingData: DatasetInput? = nil, testData: DatasetInput? = nil, modelMetrics: [String: Double] = [:],
        charts: [EvaluationChart] = [], parametersLocation: String? = nil, summaryStatistics: [String: Double] = [:]
    ) {
        self.trainedBy = trainedBy
        self.startTime = startTime
        self.endTime = endTime
        self.configuration = configuration
        self.trainingData = trainingData
        self.testData = testData
        self.modelMetrics = modelMetrics
        self.charts = charts
        self.parametersLocation = parametersLocation
        self.summaryStatistics = summaryStatistics
    }
}

/// The data of one evaluation chart, stored with the run so reports can draw it later.
public enum EvaluationChart: Sendable, Hashable, Codable {
    /// A confusion matrix.
    case confusionMatrix(ConfusionMatrixData)
    /// A curve: ROC, precision–recall, calibration or any x/y series.
    case curve(CurveData)
}

/// Counts of true class (rows) against predicted class (columns).
public struct ConfusionMatrixData: Sendable, Hashable, Codable {
    /// A title (`test set`).
    public var title: String
    /// Class labels, in row/column order.
    public var labels: [String]
    /// `counts[true][predicted]`.
    public var counts: [[Int]]

    /// Creates a confusion matrix; `counts` must be `labels.count` × `labels.count`.
    public init(title: String, labels: [String], counts: [[Int]]) {
        self.title = title
        self.labels = labels
        self.counts = counts
    }
}

/// A named x/y curve such as a ROC or precision–recall curve, with its area when meaningful.
public struct CurveData: Sendable, Hashable, Codable {
    /// What the curve is.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// Receiver operating characteristic: false-positive rate → true-positive rate.
        case roc
        /// Precision–recall: recall → precision.
        case precisionRecall
        /// Reliability diagram: mean predicted probability → observed frequency.
        case calibration
        /// Any other x/y series.
        case other
    }

    /// The kind of curve (chooses axes and the reference line).
    public var kind: Kind
    /// The series label (`class 3`, `macro`).
    public var label: String
    /// The x coordinates.
    public var x: [Double]
    /// The y coordinates (same count as `x`).
    public var y: [Double]
    /// The area under the curve (AUC, average precision), when computed.
    public var area: Double?

    /// Creates a curve.
    public init(kind: Kind, label: String, x: [Double], y: [Double], area: Double? = nil) {
        self.kind = kind
        self.label = label
        self.x = x
        self.y = y
        self.area = area
    }
}
