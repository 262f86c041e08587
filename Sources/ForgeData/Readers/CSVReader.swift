import ForgeTensor
public import Foundation

/// Reads CSV files: typed tables (``readTable(at:options:)``), all-numeric matrices straight into a
/// tensor (``readMatrix(at:options:dtype:)``), and row streams (``CSVRowReader``).
public enum CSVReader {
    /// Reads a whole CSV file into typed columns.
    ///
    /// Types come from `options.columnTypes`, else are inferred: integer if every present value is
    /// an integer, number if every one is a number, text otherwise. Missing values (`options
    /// .missingValues`) become nil.
    ///
    /// - Throws: ``ForgeDataError``: `fileNotFound`, `io`, `empty` (no header), `wrongFieldCount`,
    ///   `malformedQuote`, `unparsableNumber` (a declared numeric column), `unknownColumn` (a typed
    ///   column that is not in the header) — each with the file, line and column.
    public static func readTable(at url: URL, options: CSVOptions = CSVOptions()) throws -> CSVTable {
        try readTable(from: CSVRowReader(url: url, options: options), options: options)
    }

    /// Reads CSV text in memory into typed columns (see ``readTable(at:options:)``).
    public static func readTable(text: String, name: String = "<memory>", options: CSVOptions = CSVOptions()) throws
        -> CSVTable
    {
        try readTable(from: CSVRowReader(bytes: Array(text.utf8), name: name, options: options), options: options)
    }

    static func readTable(from reader: CSVRowReader, options: CSVOptions) throws -> CSVTable {
        var names: [String]
        var raw: [[String?]]
        var lines: [Int] = []
        if options.hasHeader {
            guard let header = try reader.nextRow() else {
                throw ForgeDataError(code: .empty, message: "no header row", file: reader.path, line: 1)
            }
            names = header.map { $0.trimmingCharacters(in: .whitespaces) }
            raw = Array(repeating: [], count: names.count)
        } else {
            names = []
            raw = []
        }
        for name in options.columnTypes.keys where options.hasHeader && !names.contains(name) {
            throw ForgeDataError(
                code: .unknownColumn, message: "typed column '\(name)' is not in the header \(names)",
                file: reader.path, line: 1)
        }
        while let row = try reader.nextRow() {
            if names.isEmpty {
                names = (0..<row.count).map { "column\($0)" }
                raw = Array(repeating: [], count: names.count)
            }
            guard row.count == names.count else {
                throw ForgeDataError(
                    code: .wrongFieldCount, message: "expected \(names.count) fields, found \(row.count)",
                    file: reader.path, line: reader.rowLine, column: Swift.min(row.count, names.count) + 1)
            }
            lines.append(reader.rowLine)
            for (column, field) in row.enumerated() {
                // Trim only when needed: Foundation's trimming costs more than the rest of the loop.
                let padded = field.utf8.first == 0x20 || field.utf8.last == 0x20 || field.utf8.first == 0x09
                let trimmed = padded ? field.trimmingCharacters(in: .whitespaces) : field
                raw[column].append(trimmed.isEmpty || options.missingValues.contains(trimmed) ? nil : field)
            }
        }
        var columns: [CSVColumn] = []
        for (index, name) in names.enumerated() {
            columns.append(
                try typedColumn(
                    raw[index], declared: options.columnTypes[name], name: name, index: index,
                    lines: lines, path: reader.path))
        }
        return CSVTable(columnNames: names, columns: columns)
    }

    private static func typedColumn(
        _ values: [String?], declared: CSVColumnType?, name: String, index: Int, lines: [Int], path: String
    ) throws -> CSVColumn {
        switch declared {
        case .text: return .text(values)
        case .integer:
            return .integers(
                try values.enumerated().map { row, value in
                    guard let value else { return nil }
                    guard let parsed = NumberParser.parseInteger(value) else {
                        throw unparsable(value, "an integer", name, index, lines[row], path)
                    }
                    return parsed
                })
        case .number:
            return .numbers(
                try values.enumerated().map { row, value in
                    guard let value else { return nil }
                    guard let parsed = NumberParser.parseDouble(value) else {
                        throw unparsable(value, "a number", name, index, lines[row], path)
                    }
                    return parsed
                })
        case nil:
            let integers = values.map { $0.flatMap(NumberParser.parseInteger) }
            if zip(values, integers).allSatisfy({ ($0 == nil) == ($1 == nil) }) { return .integers(integers) }
            let numbers = values.map { $0.flatMap(NumberParser.parseDouble) }
            if zip(values, numbers).allSatisfy({ ($0 == nil) == ($1 == nil) }) { return .numbers(numbers) }
            return .text(values)
        }
    }

    private static func unparsable(
        _ value: String, _ what: String, _ name: String, _ index: Int, _ line: Int, _ path: String
    ) -> ForgeDataError {
        ForgeDataError(
            code: .unparsableNumber, message: "'\(value)' in column '\(name)' is not \(what)", file: path, line: line,
            column: index + 1)
    }
}
