public import ForgeTensor

/// One typed column of a ``CSVTable``; `nil` is a missing value.
public enum CSVColumn: Sendable, Equatable {
    /// Integers.
    case integers([Int64?])
    /// Numbers.
    case numbers([Double?])
    /// Text.
    case text([String?])

    /// The column's type.
    public var type: CSVColumnType {
        switch self {
        case .integers: .integer
        case .numbers: .number
        case .text: .text
        }
    }

    /// The number of rows.
    public var count: Int {
        switch self {
        case .integers(let values): values.count
        case .numbers(let values): values.count
        case .text(let values): values.count
        }
    }

    /// The values as doubles (missing → NaN); nil for a text column.
    public var doubles: [Double]? {
        switch self {
        case .integers(let values): values.map { value in value.map { Double($0) } ?? .nan }
        case .numbers(let values): values.map { $0 ?? .nan }
        case .text: nil
        }
    }

    /// Whether the value in `row` is missing.
    public func isMissing(at row: Int) -> Bool {
        switch self {
        case .integers(let values): values[row] == nil
        case .numbers(let values): values[row] == nil
        case .text(let values): values[row] == nil
        }
    }

    /// The number of missing values.
    public var missingCount: Int {
        switch self {
        case .integers(let values): values.reduce(0) { $0 + ($1 == nil ? 1 : 0) }
        case .numbers(let values): values.reduce(0) { $0 + ($1 == nil ? 1 : 0) }
        case .text(let values): values.reduce(0) { $0 + ($1 == nil ? 1 : 0) }
        }
    }
}

/// A CSV file read into typed columns.
///
/// ```swift
/// let table = try CSVReader.readTable(at: url)
/// let dataset = try table.dataset(labelColumn: "label")
/// ```
public struct CSVTable: Sendable, Equatable {
    /// The column names, in file order.
    public var columnNames: [String]
    /// The columns, parallel to ``columnNames``.
    public var columns: [CSVColumn]

    /// Creates a table; every column must have the same row count.
    public init(columnNames: [String], columns: [CSVColumn]) {
        precondition(
            columnNames.count == columns.count, "CSVTable: \(columnNames.count) names, \(columns.count) columns")
        precondition(Set(columns.map(\.count)).count <= 1, "CSVTable: columns have different row counts")
        self.columnNames = columnNames
        self.columns = columns
    }

    /// The number of rows.
    public var rowCount: Int { columns.first?.count ?? 0 }

    /// The column called `name`, or nil.
    public subscript(name: String) -> CSVColumn? {
        columnNames.firstIndex(of: name).map { columns[$0] }
    }

    /// The numeric columns `names` (all non-label columns by default) as a `[rows, columns]` tensor;
    /// missing values become NaN.
    ///
    /// - Throws: ``ForgeDataError`` `unknownColumn` for a missing name, `invalidValue` for a text column.
    public func tensor(columns names: [String]? = nil, dtype: DType = .float32) throws -> Tensor {
        let chosen = names ?? columnNames
        var values = [Double](repeating: 0, count: rowCount * chosen.count)
        for (position, name) in chosen.enumerated() {
            guard let column = self[name] else {
                throw ForgeDataError(code: .unknownColumn, message: "no column '\(name)'; columns: \(columnNames)")
            }
            guard let doubles = column.doubles else {
                throw ForgeDataError(code: .invalidValue, message: "column '\(name)' is text, not numeric")
            }
            for row in 0..<rowCount { values[row * chosen.count + position] = doubles[row] }
        }
        return Tensor(values, shape: [rowCount, chosen.count]).converted(to: dtype)
    }

    /// A dataset with the other numeric columns as features and `labelColumn` as the label
    /// (`int64` for an integer column, `float32` otherwise).
    public func dataset(labelColumn: String, featureType: DType = .float32) throws -> TensorDataset {
        guard let label = self[labelColumn] else {
            throw ForgeDataError(
                code: .unknownColumn, message: "no label column '\(labelColumn)'; columns: \(columnNames)")
        }
        let features = try tensor(columns: columnNames.filter { $0 != labelColumn }, dtype: featureType)
        if let row = (0..<rowCount).first(where: { label.isMissing(at: $0) }) {
            throw ForgeDataError(
                code: .invalidValue, message: "label column '\(labelColumn)' is missing in data row \(row + 1)",
                line: row + 1)
        }
        let labels: Tensor
        switch label {
        case .integers(let values): labels = Tensor(values.map { $0 ?? 0 }, shape: [rowCount])
        default:
            guard let doubles = label.doubles else {
                throw ForgeDataError(
                    code: .invalidValue, message: "label column '\(labelColumn)' is text; encode it with LabelEncoder")
            }
            labels = Tensor(doubles.map { Float($0) }, shape: [rowCount])
        }
        return TensorDataset(features: features, labels: labels)
    }
}
