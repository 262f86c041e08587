/// How a CSV file is laid out and which values count as missing.
///
/// ```swift
/// var options = CSVOptions(delimiter: ";")
/// options.columnTypes = ["zip": .text]
/// ```
public struct CSVOptions: Sendable {
    /// The field separator (one ASCII character), `,` by default.
    public var delimiter: UInt8
    /// The quote character (one ASCII character), `"` by default; `""` inside quotes is a quote.
    public var quote: UInt8
    /// Whether the first row names the columns. Without a header columns are named `column0`, ….
    public var hasHeader: Bool
    /// Field texts that mean "missing" (compared after trimming spaces); the empty field always does.
    public var missingValues: Set<String>
    /// Column types by column name; columns not listed are inferred (integer, then number, then text).
    public var columnTypes: [String: CSVColumnType]

    /// Creates options.
    ///
    /// - Precondition: `delimiter` and `quote` are single ASCII characters and differ.
    public init(
        delimiter: Character = ",", quote: Character = "\"", hasHeader: Bool = true,
        missingValues: Set<String> = ["", "NA", "N/A", "NaN", "nan", "null", "NULL", "None"],
        columnTypes: [String: CSVColumnType] = [:]
    ) {
        precondition(
            delimiter.isASCII && quote.isASCII && delimiter != quote && delimiter != "\n",
            "CSVOptions: delimiter '\(delimiter)' and quote '\(quote)' must be distinct single ASCII characters")
        self.delimiter = delimiter.asciiValue ?? 0x2C
        self.quote = quote.asciiValue ?? 0x22
        self.hasHeader = hasHeader
        self.missingValues = missingValues
        self.columnTypes = columnTypes
    }
}

/// The type of a CSV column.
public enum CSVColumnType: String, Sendable, Hashable, Codable, CaseIterable {
    /// 64-bit signed integers.
    case integer
    /// Double-precision numbers.
    case number
    /// Text (categories, identifiers).
    case text
}
