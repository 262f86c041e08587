/// What one column must look like: its type, value range, allowed categories and how much of it
/// may be missing.
public struct ColumnSchema: Codable, Sendable, Hashable {
    /// The column's name.
    public var name: String
    /// The expected type (an integer column satisfies `number`).
    public var type: CSVColumnType
    /// The smallest allowed value (numeric columns), if bounded.
    public var minimum: Double?
    /// The largest allowed value (numeric columns), if bounded.
    public var maximum: Double?
    /// The allowed categories (text columns), if restricted.
    public var allowedValues: [String]?
    /// The largest allowed fraction of missing values, in `[0, 1]`.
    public var maxMissingFraction: Double

    /// Creates a column schema.
    public init(
        name: String, type: CSVColumnType, minimum: Double? = nil, maximum: Double? = nil,
        allowedValues: [String]? = nil, maxMissingFraction: Double = 0
    ) {
        self.name = name
        self.type = type
        self.minimum = minimum
        self.maximum = maximum
        self.allowedValues = allowedValues
        self.maxMissingFraction = maxMissingFraction
    }
}

/// One way in which data breaks its schema, with the column and (for value problems) the row.
public struct SchemaViolation: Codable, Sendable, Hashable, CustomStringConvertible {
    /// The kind of violation.
    public enum Kind: String, Codable, Sendable, Hashable {
        /// A column the schema expects is absent.
        case missingColumn
        /// A column the schema does not know is present.
        case unexpectedColumn
        /// A value does not have the column's type.
        case wrongType
        /// A value is below the column's minimum.
        case belowMinimum
        /// A value is above the column's maximum.
        case aboveMaximum
        /// A category the schema does not allow.
        case unknownCategory
        /// More values are missing than the schema allows.
        case tooManyMissing
    }

    /// The kind of violation.
    public var kind: Kind
    /// The column concerned.
    public var column: String
    /// The 1-based data row (header excluded), for problems with one value.
    public var row: Int?
    /// The offending value as text, when there is one.
    public var value: String?
    /// A sentence describing the problem.
    public var message: String

    /// `column[row]: kind: message`.
    public var description: String {
        "\(column)\(row.map { "[row \($0)]" } ?? ""): \(kind.rawValue): \(message)"
    }
}

/// The expected shape of a dataset (TFX-style data validation): inferred from a reference table
/// (the training data), then checked against new data, reporting every violation.
///
/// ```swift
/// let schema = DataSchema.infer(from: trainingTable)
/// for violation in schema.validate(incomingTable) { print(violation) }
/// ```
public struct DataSchema: Codable, Sendable, Hashable {
    /// The expected columns, in order.
    public var columns: [ColumnSchema]

    /// Creates a schema.
    public init(columns: [ColumnSchema]) { self.columns = columns }

    /// Infers a schema from `table`: types as read, numeric ranges widened by `rangeMargin` × the
    /// observed span on each side, categories as observed (text columns with at most
    /// `maxCategories` distinct values; others unrestricted), missing fraction as observed plus
    /// `missingMargin`.
    public static func infer(
        from table: CSVTable, rangeMargin: Double = 0, maxCategories: Int = 50,
        missingMargin: Double = 0
    ) -> DataSchema {
        DataSchema(
            columns: zip(table.columnNames, table.columns).map { name, column in
                let missing = column.count == 0 ? 0 : Double(column.missingCount) / Double(column.count)
                var schema = ColumnSchema(
                    name: name, type: column.type, maxMissingFraction: Swift.min(1, missing + missingMargin))
                if case .text(let values) = column {
                    let distinct = Set(values.compactMap { $0 })
                    if distinct.count <= maxCategories { schema.allowedValues = distinct.sorted() }
                } else if let present = column.doubles?.filter({ !$0.isNaN }), let low = present.min(),
                    let high = present.max()
                {
                    let margin = (high - low) * rangeMargin
                    schema.minimum = low - margin
                    schema.maximum = high + margin
                }
                return schema
            })
    }

    /// Every violation of this schema by `table`, column by column, rows in order.
    public func validate(_ table: CSVTable) -> [SchemaViolation] {
        var violations: [SchemaViolation] = []
        let expected = Set(columns.map(\.name))
        for name in table.columnNames where !expected.contains(name) {
            violations.append(
                SchemaViolation(kind: .unexpectedColumn, column: name, message: "column is not in the schema"))
        }
        for schema in columns {
            guard let column = table[schema.name] else {
                violations.append(
                    SchemaViolation(kind: .missingColumn, column: schema.name, message: "column is absent"))
                continue
            }
            violations += check(column, against: schema)
        }
        return violations
    }

    private func check(_ column: CSVColumn, against schema: ColumnSchema) -> [SchemaViolation] {
        var violations: [SchemaViolation] = []
        func add(_ kind: SchemaViolation.Kind, _ row: Int, _ value: String, _ message: String) {
            violations.append(
                SchemaViolation(kind: kind, column: schema.name, row: row + 1, value: value, message: message))
        }
        // Values as text and as numbers (nil when missing or not numeric).
        let texts: [String?]
        let numbers: [Double?]
        switch column {
        case .integers(let values):
            texts = values.map { $0.map { String($0) } }
            numbers = values.map { $0.map { Double($0) } }
        case .numbers(let values):
            texts = values.map { $0.map { String($0) } }
            numbers = values
        case .text(let values):
            texts = values
            numbers = values.map { $0.flatMap(NumberParser.parseDouble) }
        }
        for (row, text) in texts.enumerated() {
            guard let text else { continue }
            switch schema.type {
            case .text:
                if let allowed = schema.allowedValues, !allowed.contains(text) {
                    add(.unknownCategory, row, text, "'\(text)' is not one of \(allowed.count) known categories")
                }
            case .integer, .number:
                guard let value = numbers[row], schema.type == .number || value == value.rounded() else {
                    add(
                        .wrongType, row, text, "'\(text)' is not \(schema.type == .integer ? "an integer" : "a number")"
                    )
                    continue
                }
                if let minimum = schema.minimum, value < minimum {
                    add(.belowMinimum, row, text, "\(text) is below the minimum \(minimum)")
                }
                if let maximum = schema.maximum, value > maximum {
                    add(.aboveMaximum, row, text, "\(text) is above the maximum \(maximum)")
                }
            }
        }
        let missing = column.count == 0 ? 0 : Double(column.missingCount) / Double(column.count)
        if missing > schema.maxMissingFraction {
            violations.append(
                SchemaViolation(
                    kind: .tooManyMissing, column: schema.name,
                    message:
                        "\(column.missingCount) of \(column.count) values missing (\(missing)), at most \(schema.maxMissingFraction) allowed"
                ))
        }
        return violations
    }
}
