public import Foundation

/// Reads a CSV file one row at a time, holding only a chunk of the file in memory (streaming).
///
/// Quoted fields may contain the delimiter, doubled quotes and line breaks. Blank lines are
/// skipped. Every error names the file, the line and the field number.
///
/// ```swift
/// let reader = try CSVRowReader(url: url)
/// while let row = try reader.nextRow() { print(reader.rowLine, row) }
/// ```
public final class CSVRowReader {
    /// The path used in errors.
    public let path: String
    private let options: CSVOptions
    private let handle: FileHandle?
    private let chunkSize: Int
    private var buffer: [UInt8]
    private var position = 0
    private var atEnd: Bool
    private var nextLine = 1
    /// The 1-based line on which the row last returned by ``nextRow()`` starts.
    public private(set) var rowLine = 0

    /// Opens `url` for streaming.
    ///
    /// - Throws: ``ForgeDataError`` with code `fileNotFound` or `io`.
    public init(url: URL, options: CSVOptions = CSVOptions(), chunkSize: Int = 1 << 20) throws {
        path = url.path
        self.options = options
        self.chunkSize = Swift.max(16, chunkSize)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw ForgeDataError(code: .fileNotFound, message: "no such file", file: url.path)
        }
        do {
            handle = try FileHandle(forReadingFrom: url)
        } catch {
            throw ForgeDataError(code: .io, message: "cannot open: \(error)", file: url.path)
        }
        buffer = []
        atEnd = false
    }

    /// Reads CSV text already in memory; `name` is used in errors.
    public init(bytes: [UInt8], name: String = "<memory>", options: CSVOptions = CSVOptions()) {
        path = name
        self.options = options
        handle = nil
        chunkSize = 0
        buffer = bytes
        atEnd = true
    }

    deinit { try? handle?.close() }

    /// The next row's fields (quotes removed), or nil at the end of the file.
    ///
    /// - Throws: ``ForgeDataError`` `malformedQuote` (unterminated quote, text after a closing
    ///   quote) or `io`, with the line and field number.
    public func nextRow() throws -> [String]? {
        while true {
            switch try parseRow() {
            case .row(let fields): return fields
            case .blank: continue
            case .end: return nil
            case .needMore: try refill()
            }
        }
    }

    private enum Outcome {
        case row([String])
        case blank
        case end
        case needMore
    }

    private func refill() throws {
        guard let handle else {
            atEnd = true
            return
        }
        if position > 0 {
            buffer.removeFirst(position)
            position = 0
        }
        let chunk: Data?
        do {
            chunk = try handle.read(upToCount: chunkSize)
        } catch {
            throw ForgeDataError(code: .io, message: "read failed: \(error)", file: path, line: nextLine)
        }
        if let chunk, !chunk.isEmpty { buffer.append(contentsOf: chunk) } else { atEnd = true }
    }

    private func parseRow() throws -> Outcome {
        let delimiter = options.delimiter
        let quote = options.quote
        let count = buffer.count
        var i = position
        if i >= count { return atEnd ? .end : .needMore }
        var fields: [String] = []
        var lines = 0
        var field: [UInt8] = []
        return try buffer.withUnsafeBufferPointer { bytes -> Outcome in
            while true {
                // At the start of a field.
                field.removeAll(keepingCapacity: true)
                if i < count && bytes[i] == quote {
                    i += 1
                    while true {
                        guard i < count else {
                            if atEnd {
                                throw ForgeDataError(
                                    code: .malformedQuote, message: "quoted field is never closed", file: path,
                                    line: nextLine, column: fields.count + 1)
                            }
                            return .needMore
                        }
                        let byte = bytes[i]
                        if byte == quote {
                            if i + 1 < count && bytes[i + 1] == quote {
                                field.append(quote)
                                i += 2
                                continue
                            }
                            if i + 1 >= count && !atEnd { return .needMore }
                            i += 1
                            break
                        }
                        if byte == 0x0A { lines += 1 }
                        field.append(byte)
                        i += 1
                    }
                    if i < count && bytes[i] == 0x0D { i += 1 }
                    if i < count && bytes[i] != delimiter && bytes[i] != 0x0A {
                        throw ForgeDataError(
                            code: .malformedQuote, message: "text after the closing quote", file: path,
                            line: nextLine + lines, column: fields.count + 1)
                    }
                } else {
                    while i < count && bytes[i] != delimiter && bytes[i] != 0x0A {
                        field.append(bytes[i])
                        i += 1
                    }
                    if i >= count && !atEnd { return .needMore }
                    if field.last == 0x0D && (i >= count || bytes[i] == 0x0A) { field.removeLast() }
                }
                fields.append(String(decoding: field, as: UTF8.self))
                if i < count && bytes[i] == delimiter {
                    i += 1
                    if i >= count && !atEnd { return .needMore }
                    continue
                }
                // End of the row: a newline or the end of the file.
                if i < count { i += 1 }
                rowLine = nextLine
                nextLine += lines + 1
                position = i
                if fields.count == 1 && fields[0].isEmpty { return .blank }
                return .row(fields)
            }
        }
    }
}
