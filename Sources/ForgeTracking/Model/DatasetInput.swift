public import Foundation

/// A dataset version a run consumed, with the statistics that describe it.
///
/// `digest` is the ForgeVersioning version id (or any content hash), so the exact bytes can be checked
/// out again; `context` says what the run used it for.
public struct DatasetInput: Sendable, Hashable, Codable {
    /// A short name (`digits`).
    public var name: String
    /// The content digest / version id of the data.
    public var digest: String
    /// Where the data lives (a path, a version-store reference, a URL).
    public var source: String
    /// How the run used it: `training`, `validation`, `test`…
    public var context: String
    /// Number of rows (examples), when known.
    public var rowCount: Int?
    /// Per-feature distributions, when computed.
    public var features: [FeatureDistribution]

    /// Creates a dataset input.
    public init(
        name: String, digest: String, source: String, context: String = "training", rowCount: Int? = nil,
        features: [FeatureDistribution] = []
    ) {
        self.name = name
        self.digest = digest
        self.source = source
        self.context = context
        self.rowCount = rowCount
        self.features = features
    }
}

/// The distribution of one feature: summary statistics and a histogram.
public struct FeatureDistribution: Sendable, Hashable, Codable {
    /// The feature (column) name.
    public var name: String
    /// Number of non-missing values.
    public var count: Int
    /// Number of missing values.
    public var missing: Int
    /// Mean of the values.
    public var mean: Double
    /// Standard deviation of the values.
    public var standardDeviation: Double
    /// Smallest value.
    public var minimum: Double
    /// Largest value.
    public var maximum: Double
    /// Histogram bin edges (`binCounts.count + 1` of them), empty when not computed.
    public var binEdges: [Double]
    /// Counts per histogram bin.
    public var binCounts: [Int]

    /// Creates a feature distribution.
    public init(
        name: String, count: Int, missing: Int = 0, mean: Double, standardDeviation: Double, minimum: Double,
        maximum: Double, binEdges: [Double] = [], binCounts: [Int] = []
    ) {
        self.name = name
        self.count = count
        self.missing = missing
        self.mean = mean
        self.standardDeviation = standardDeviation
        self.minimum = minimum
        self.maximum = maximum
        self.binEdges = binEdges
        self.binCounts = binCounts
    }

    /// Computes the distribution of `values` (NaN counts as missing) with `bins` equal-width bins.
    public init(name: String, values: [Double], bins: Int = 10) {
        let present = values.filter { !$0.isNaN }
        let count = present.count
        let mean = count > 0 ? present.reduce(0, +) / Double(count) : .nan
        let variance = count > 1 ? present.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(count - 1) : 0
        let minimum = present.min() ?? .nan
        let maximum = present.max() ?? .nan
        var edges: [Double] = []
        var counts: [Int] = []
        if count > 0, bins > 0 {
            let width = maximum > minimum ? (maximum - minimum) / Double(bins) : 1
            edges = (0...bins).map { minimum + Double($0) * width }
            counts = Array(repeating: 0, count: bins)
            for value in present {
                counts[Swift.min(bins - 1, Int((value - minimum) / width))] += 1
            }
        }
        self.init(
            name: name, count: count, missing: values.count - count, mean: mean,
            standardDeviation: variance.squareRoot(), minimum: minimum, maximum: maximum, binEdges: edges,
            binCounts: counts)
    }
}
