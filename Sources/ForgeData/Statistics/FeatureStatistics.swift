/// Equal-width bin counts of a feature's present values.
public struct Histogram: Codable, Sendable, Hashable {
    /// The `bins + 1` bin edges, ascending; bin `i` is `[edges[i], edges[i + 1])`, the last bin closed.
    public var edges: [Double]
    /// The count in each bin.
    public var counts: [Int]

    /// Creates a histogram from its edges and counts.
    public init(edges: [Double], counts: [Int]) {
        self.edges = edges
        self.counts = counts
    }

    /// Counts `values` (NaN excluded) in `bins` equal bins over `[min, max]` of the values, or over
    /// `range` when given (values outside it are not counted).
    public init(values: [Double], bins: Int, range: ClosedRange<Double>? = nil) {
        precondition(bins >= 1, "Histogram: bins \(bins) must be positive")
        let present = values.filter { !$0.isNaN }
        let low = range?.lowerBound ?? present.min() ?? 0
        var high = range?.upperBound ?? present.max() ?? 1
        if high <= low { high = low + 1 }
        let width = (high - low) / Double(bins)
        edges = (0...bins).map { low + Double($0) * width }
        edges[bins] = high
        counts = Array(repeating: 0, count: bins)
        for value in present where value >= low && value <= high {
            // NOTE: like NumPy, compute the bin arithmetically, then correct it against the edges,
            // so a value equal to an edge lands in the bin that edge opens despite rounding.
            var bin = Swift.min(bins - 1, Int((value - low) / width))
            if value < edges[bin] { bin -= 1 }
            if bin < bins - 1 && value >= edges[bin + 1] { bin += 1 }
            counts[bin] += 1
        }
    }
}

/// The summary of one feature (column): counts, moments, range, quantiles, histogram, and for text
/// columns the category counts.
///
/// A stable `Codable` value: training stores it with the model (metadata), serving compares live
/// inputs to it (drift). Encode with `JSONEncoder.OutputFormatting.sortedKeys` for byte-stable JSON.
public struct FeatureStatistics: Codable, Sendable, Hashable {
    /// The feature's name.
    public var name: String
    /// The column type.
    public var type: CSVColumnType
    /// Present (non-missing) values.
    public var count: Int
    /// Missing values.
    public var missing: Int
    /// The mean of present values (numeric columns).
    public var mean: Double?
    /// The sample standard deviation (n − 1) of present values (numeric columns, count ≥ 2).
    public var standardDeviation: Double?
    /// The smallest present value (numeric columns).
    public var minimum: Double?
    /// The largest present value (numeric columns).
    public var maximum: Double?
    /// The quantile levels, in `[0, 1]`.
    public var quantileLevels: [Double]
    /// The quantiles at ``quantileLevels`` (linear interpolation, as NumPy), numeric columns.
    public var quantiles: [Double]
    /// Bin counts over `[minimum, maximum]` (numeric columns).
    public var histogram: Histogram?
    /// How often each category occurs, sorted by category (text columns).
    public var categoryCounts: [CategoryCount]?

    /// The missing fraction of all rows.
    public var missingFraction: Double { count + missing == 0 ? 0 : Double(missing) / Double(count + missing) }

    /// Summarizes numeric values (nil or NaN = missing).
    public init(
        name: String, type: CSVColumnType = .number, values: [Double?],
        quantileLevels: [Double] = [0.05, 0.25, 0.5, 0.75, 0.95], bins: Int = 10
    ) {
        self.name = name
        self.type = type
        let present = values.compactMap { $0 }.filter { !$0.isNaN }.sorted()
        count = present.count
        missing = values.count - present.count
        self.quantileLevels = quantileLevels
        if present.isEmpty {
            quantiles = []
        } else {
            let mean = present.reduce(0, +) / Double(present.count)
            self.mean = mean
            if present.count >= 2 {
                let squares = present.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
                standardDeviation = (squares / Double(present.count - 1)).squareRoot()
            }
            minimum = present.first
            maximum = present.last
            quantiles = quantileLevels.map { Quantiles.quantile(present, $0) }
            histogram = Histogram(values: present, bins: bins)
        }
    }

    /// Summarizes a text column.
    public init(name: String, categories: [String?]) {
        self.name = name
        type = .text
        count = categories.reduce(0) { $0 + ($1 == nil ? 0 : 1) }
        missing = categories.count - count
        quantileLevels = []
        quantiles = []
        var tally: [String: Int] = [:]
        for value in categories { if let value { tally[value, default: 0] += 1 } }
        categoryCounts = tally.keys.sorted().map { CategoryCount(value: $0, count: tally[$0] ?? 0) }
    }
}

/// A category and how often it occurs.
public struct CategoryCount: Codable, Sendable, Hashable {
    /// The category (a class label written as text for numeric labels).
    public var value: String
    /// Its number of occurrences.
    public var count: Int

    /// Creates the pair.
    public init(value: String, count: Int) {
        self.value = value
        self.count = count
    }
}
