import Foundation

/// An error reading outside data: what was wrong and where (file, line, column).
///
/// ```swift
/// do { _ = try CSVReader.readTable(at: url) } catch let error as ForgeDataError {
///     print(error)   // "digits.csv:14:3: unparsableNumber: 'x1' in column 'f2' is not a number"
/// }
/// ```
public struct ForgeDataError: Error, CustomStringConvertible, Sendable {
    /// What went wrong, independent of the message's wording.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// The file does not exist.
        case fileNotFound
        /// Reading the file failed.
        case io
        /// A row has more or fewer fields than the header.
        case wrongFieldCount
        /// A field that must be a number is not one.
        case unparsableNumber
        /// A quoted field is malformed (no closing quote, or text after the closing quote).
        case malformedQuote
        /// The file has no header or no rows where they are required.
        case empty
        /// A column named in the options does not exist.
        case unknownColumn
        /// The bytes end before a structure the format promises.
        case truncated
        /// The file does not start with the format's magic bytes.
        case invalidMagic
        /// A header declares sizes that do not match the data (or overflow).
        case sizeMismatch
        /// The format uses a feature this reader does not support.
        case unsupported
        /// A value is outside what the format allows.
        case invalidValue
    }

    /// What went wrong.
    public var code: Code
    /// A sentence with the offending values.
    public var message: String
    /// The file, when the data came from a file.
    public var file: String?
    /// The 1-based line in a text file, when known.
    public var line: Int?
    /// The 1-based column (field number in CSV, byte offset in binary formats), when known.
    public var column: Int?

    /// Creates an error.
    public init(code: Code, message: String, file: String? = nil, line: Int? = nil, column: Int? = nil) {
        self.code = code
        self.message = message
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:column: code: message`, the shape compilers use, so editors can jump to it.
    public var description: String {
        var location = file ?? "<data>"
        if let line { location += ":\(line)" }
        if let column { location += ":\(column)" }
        return "\(location): \(code.rawValue): \(message)"
    }
}

/// Reads a whole file, mapping Foundation's errors to ``ForgeDataError``. With `mapped`, the file is
/// memory-mapped instead of copied (large read-only inputs: no copy, no zeroed pages).
func readFileBytes(_ url: URL, mapped: Bool = false) throws -> Data {
    guard FileManager.default.fileExists(atPath: url.path) else {
        throw ForgeDataError(code: .fileNotFound, message: "no such file", file: url.path)
    }
    do {
        return try Data(contentsOf: url, options: mapped ? [.alwaysMapped] : [])
    } catch {
        throw ForgeDataError(code: .io, message: "cannot read: \(error)", file: url.path)
    }
}
