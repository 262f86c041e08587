public import ForgeTensor

/// Statistics of a whole dataset: every feature's ``FeatureStatistics`` and the class balance.
///
/// ```swift
/// let statistics = DatasetStatistics(table: table, labelColumn: "label")
/// statistics.classBalance        // [("0", 143), ("1", 146), …]
/// let json = try JSONEncoder().encode(statistics)   // stored with the model
/// ```
public struct DatasetStatistics: Codable, Sendable, Hashable {
    /// The number of rows.
    public var rowCount: Int
    /// Per-feature statistics, in column order (the label column excluded).
    public var features: [FeatureStatistics]
    /// Counts per class of the label, sorted by label, when a label was given.
    public var classBalance: [CategoryCount]?

    /// Creates statistics from parts.
    public init(rowCount: Int, features: [FeatureStatistics], classBalance: [CategoryCount]?) {
        self.rowCount = rowCount
        self.features = features
        self.classBalance = classBalance
    }

    /// Statistics of a table's columns; `labelColumn`'s values are tallied as the class balance.
    public init(
        table: CSVTable, labelColumn: String? = nil, quantileLevels: [Double] = [0.05, 0.25, 0.5, 0.75, 0.95],
        bins: Int = 10
    ) {
        rowCount = table.rowCount
        features = []
        for (name, column) in zip(table.columnNames, table.columns) where name != labelColumn {
            switch column {
            case .text(let values): features.append(FeatureStatistics(name: name, categories: values))
            case .integers(let values):
                features.append(
                    FeatureStatistics(
                        name: name, type: .integer, values: values.map { $0.map { Double($0) } },
                        quantileLevels: quantileLevels, bins: bins))
            case .numbers(let values):
                features.append(
                    FeatureStatistics(name: name, values: values, quantileLevels: quantileLevels, bins: bins))
            }
        }
        if let labelColumn, let label = table[labelColumn] {
            classBalance = Self.tally(label)
        }
    }

    /// Statistics of a `[rows, features]` tensor (NaN = missing) and optional class labels.
    public init(features: Tensor, names: [String]? = nil, labels: Tensor? = nil, bins: Int = 10) {
        precondition(features.rank == 2, "DatasetStatistics: features must be [rows, features], got \(features.shape)")
        let columns = features.shape[1]
        let values = features.doubleScalars
        let columnNames = names ?? (0..<columns).map { "f\($0)" }
        precondition(
            columnNames.count == columns, "DatasetStatistics: \(columnNames.count) names for \(columns) features")
        rowCount = features.shape[0]
        self.features = (0..<columns).map { column in
            FeatureStatistics(
                name: columnNames[column],
                values: stride(from: column, to: values.count, by: columns).map { values[$0] },
                bins: bins)
        }
        if let labels {
            classBalance = Self.tally(.integers(labels.converted(to: .int64).scalars(as: Int64.self).map { $0 }))
        }
    }

    /// The statistics of the feature called `name`.
    public subscript(name: String) -> FeatureStatistics? { features.first { $0.name == name } }

    private static func tally(_ column: CSVColumn) -> [CategoryCount] {
        var counts: [String: Int] = [:]
        var order: [String: Double] = [:]
        switch column {
        case .integers(let values):
            for value in values {
                if let value { counts["\(value)", default: 0] += 1; order["\(value)"] = Double(value) }
            }
        case .numbers(let values):
            for value in values { if let value { counts["\(value)", default: 0] += 1; order["\(value)"] = value } }
        case .text(let values): for value in values { if let value { counts[value, default: 0] += 1 } }
        }
        let keys = counts.keys.sorted { (order[$0] ?? 0, $0) < (order[$1] ?? 0, $1) }
        return keys.map { CategoryCount(value: $0, count: counts[$0] ?? 0) }
    }
}
