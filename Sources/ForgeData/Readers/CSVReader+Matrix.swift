import Dispatch
public import ForgeTensor
public import Foundation

extension CSVReader {
    /// Reads an all-numeric CSV file into a `[rows, columns]` tensor, as fast as the disk allows.
    ///
    /// Numbers are parsed straight from the file's bytes (no strings), in parallel on
    /// `ForgeThreads.count` threads for large files (the file is split at line breaks). A file
    /// containing the quote character is read through the general quoted-field parser instead.
    /// Missing values become NaN.
    ///
    /// ```swift
    /// let matrix = try CSVReader.readMatrix(at: url)        // float32 [rows, columns]
    /// ```
    ///
    /// - Throws: ``ForgeDataError`` with file, line and column: `unparsableNumber`,
    ///   `wrongFieldCount`, `empty`, `fileNotFound`, `io`, `malformedQuote`.
    public static func readMatrix(at url: URL, options: CSVOptions = CSVOptions(), dtype: DType = .float32) throws
        -> Tensor
    {
        precondition(dtype.isFloatingPoint, "CSVReader.readMatrix: dtype \(dtype) must be float32 or float64")
        let chunked =
            try dtype == .float64
            ? readMatrixInChunks(at: url, options: options, as: Double.self)
            : readMatrixInChunks(at: url, options: options, as: Float.self)
        if let chunked { return chunked }
        // The file quotes fields: read it whole through the quote-aware parser.
        return try readMatrix(data: readFileBytes(url), name: url.path, options: options, dtype: dtype)
    }

    /// Parses CSV bytes in memory into a `[rows, columns]` tensor (see ``readMatrix(at:options:dtype:)``).
    public static func readMatrix(
        data: Data, name: String = "<memory>", options: CSVOptions = CSVOptions(),
        dtype: DType = .float32
    ) throws -> Tensor {
        let hasQuote = data.withUnsafeBytes { raw in
            guard let base = raw.baseAddress, raw.count > 0 else { return false }
            return memchr(base, Int32(options.quote), raw.count) != nil
        }
        if hasQuote {
            let table = try readTable(
                from: CSVRowReader(bytes: Array(data), name: name, options: options),
                options: options)
            if let text = table.columns.firstIndex(where: { $0.type == .text }) {
                throw ForgeDataError(
                    code: .unparsableNumber, message: "column '\(table.columnNames[text])' is not numeric",
                    file: name, column: text + 1)
            }
            return try table.tensor(dtype: dtype)
        }
        return try data.withUnsafeBytes { raw -> Tensor in
            guard let base = raw.baseAddress?.assumingMemoryBound(to: UInt8.self), raw.count > 0 else {
                throw ForgeDataError(code: .empty, message: "the file is empty", file: name, line: 1)
            }
            let parser = NumericCSVParser(
                bytes: base, count: raw.count, delimiter: options.delimiter, missing: options.missingValues, name: name)
            return try parser.parse(hasHeader: options.hasHeader, dtype: dtype)
        }
    }
}

/// The single-pass numeric parser behind ``CSVReader/readMatrix(at:options:dtype:)``.
struct NumericCSVParser: @unchecked Sendable {  // read-only view of bytes that outlive every use
    let bytes: UnsafePointer<UInt8>
    let count: Int
    let delimiter: UInt8
    let missing: Set<String>
    let name: String

    func parse(hasHeader: Bool, dtype: DType) throws -> Tensor {
        dtype == .float64
            ? try parse(hasHeader: hasHeader, as: Double.self) : try parse(hasHeader: hasHeader, as: Float.self)
    }

    private func parse<T: TensorElement & BinaryFloatingPoint>(hasHeader: Bool, as _: T.Type) throws -> Tensor {
        let firstLineEnd = lineEnd(from: 0)
        let columns = fieldCount(0, firstLineEnd)
        let bodyStart = hasHeader ? Swift.min(firstLineEnd + 1, count) : 0
        let outputs: [ChunkOutput<T>] = try parseBody(from: bodyStart, columns: columns, linesBefore: 0)
        return NumericCSVParser.assemble(outputs.map(\.values), columns: columns)
    }

    /// Parses `bodyStart..<count` (complete lines) split at line breaks over `ForgeThreads.count`
    /// threads; `linesBefore` line breaks precede `bytes` in the file (for error lines).
    func parseBody<T: BinaryFloatingPoint>(from bodyStart: Int, columns: Int, linesBefore: Int) throws -> [ChunkOutput<
        T
    >] {
        let threads = count - bodyStart > (1 << 20) ? ForgeThreads.count : 1
        var bounds = [bodyStart]
        for part in 1..<Swift.max(threads, 1) {
            let guess = Swift.max(bodyStart + (count - bodyStart) * part / threads, bounds[bounds.count - 1])
            bounds.append(Swift.min(lineEnd(from: guess) + 1, count))
        }
        bounds.append(count)
        let results = ChunkResults<T>(count: bounds.count - 1)
        let parser = self
        let chunkBounds = bounds
        DispatchQueue.concurrentPerform(iterations: bounds.count - 1) { chunk in
            results.store(chunk, parser.parseChunk(chunkBounds[chunk], chunkBounds[chunk + 1], columns: columns))
        }
        let outputs = results.values.compactMap { $0 }
        for output in outputs {
            if let error = output.error { throw locate(error, linesBefore: linesBefore) }
        }
        return outputs
    }

    /// One `[rows, columns]` tensor from the parsed pieces, in order.
    static func assemble<T: TensorElement & BinaryFloatingPoint>(_ pieces: [[T]], columns: Int) -> Tensor {
        let total = pieces.reduce(0) { $0 + $1.count }
        var tensor = Tensor.zeros(shape: [total / Swift.max(columns, 1), columns], dtype: T.dtype)
        tensor.withUnsafeMutableBufferPointer(as: T.self) { output in
            var position = 0
            for piece in pieces {
                guard let target = output.baseAddress else { continue }
                piece.withUnsafeBufferPointer { source in
                    if let origin = source.baseAddress { (target + position).update(from: origin, count: source.count) }
                }
                position += piece.count
            }
        }
        return tensor
    }

    /// Fills the line number from the byte offset (errors only, so the hot loop does not count lines).
    private func locate(_ failure: ChunkFailure, linesBefore: Int) -> ForgeDataError {
        var line = 1 + linesBefore
        for index in 0..<failure.offset where bytes[index] == 0x0A { line += 1 }
        return ForgeDataError(
            code: failure.code, message: failure.message, file: name, line: line, column: failure.field)
    }

    func lineEnd(from start: Int) -> Int {
        guard start < count, let found = memchr(bytes + start, 0x0A, count - start) else { return count }
        return UnsafeRawPointer(found).assumingMemoryBound(to: UInt8.self) - bytes
    }

    func fieldCount(_ start: Int, _ end: Int) -> Int {
        var fields = 1
        for index in start..<end where bytes[index] == delimiter { fields += 1 }
        return fields
    }

    /// Parses the complete lines in `start..<end`. Values are written straight into an array sized
    /// for (lines + 1) × columns, a bound that holds because a row with more fields is an error.
    func parseChunk<T: BinaryFloatingPoint>(_ start: Int, _ end: Int, columns: Int) -> ChunkOutput<T> {
        var lines = 1
        var cursor = start
        while cursor < end, let found = memchr(bytes + cursor, 0x0A, end - cursor) {
            lines += 1
            cursor = UnsafeRawPointer(found).assumingMemoryBound(to: UInt8.self) - bytes + 1
        }
        var failure: ChunkFailure?
        let values = [T](unsafeUninitializedCapacity: lines * columns) { buffer, initialized in
            initialized = 0
            guard let output = buffer.baseAddress else { return }
            initialized = parseLines(start, end, columns: columns, into: output, failure: &failure)
        }
        return ChunkOutput(values: values, error: failure)
    }

    /// The parsing loop; returns the number of values written.
    private func parseLines<T: BinaryFloatingPoint>(
        _ start: Int, _ end: Int, columns: Int, into output: UnsafeMutablePointer<T>, failure: inout ChunkFailure?
    ) -> Int {
        var written = 0
        var p = start
        while p < end {
            if bytes[p] == 0x0A || (bytes[p] == 0x0D && p + 1 < end && bytes[p + 1] == 0x0A) {  // blank line
                p += bytes[p] == 0x0A ? 1 : 2
                continue
            }
            let lineStart = p
            var field = 0
            while true {
                field += 1
                if field > columns {
                    failure = ChunkFailure(
                        code: .wrongFieldCount, message: "expected \(columns) fields, found more", offset: lineStart,
                        field: field)
                    return written
                }
                // Fast path: a plain decimal number parsed in the same pass that finds the field's end.
                if let (value, next) = NumberParser.scanField(bytes, from: p, end: end, delimiter: delimiter) {
                    output[written] = T(value)
                    written += 1
                    p = next
                } else {
                    let fieldStart = p
                    while p < end && bytes[p] != delimiter && bytes[p] != 0x0A { p += 1 }
                    var fieldEnd = p
                    if fieldEnd > fieldStart && bytes[fieldEnd - 1] == 0x0D { fieldEnd -= 1 }
                    if let value = NumberParser.parseDouble(bytes + fieldStart, count: fieldEnd - fieldStart) {
                        output[written] = T(value)
                        written += 1
                    } else {
                        let text = String(
                            decoding: UnsafeBufferPointer(start: bytes + fieldStart, count: fieldEnd - fieldStart),
                            as: UTF8.self)
                        let trimmed = text.trimmingCharacters(in: .whitespaces)
                        guard trimmed.isEmpty || missing.contains(trimmed) else {
                            failure = ChunkFailure(
                                code: .unparsableNumber, message: "'\(text)' is not a number", offset: lineStart,
                                field: field)
                            return written
                        }
                        output[written] = .nan
                        written += 1
                    }
                }
                if p < end && bytes[p] == delimiter {
                    p += 1
                    continue
                }
                break
            }
            if field != columns {
                failure = ChunkFailure(
                    code: .wrongFieldCount, message: "expected \(columns) fields, found \(field)", offset: lineStart,
                    field: field + 1)
                return written
            }
            p += 1
        }
        return written
    }
}

struct ChunkFailure: Sendable {
    var code: ForgeDataError.Code
    var message: String
    var offset: Int
    var field: Int
}

struct ChunkOutput<T: BinaryFloatingPoint & Sendable>: Sendable {
    var values: [T] = []
    var error: ChunkFailure?
}

/// Per-chunk results written by `concurrentPerform` workers, one slot each.
final class ChunkResults<T: BinaryFloatingPoint & Sendable>: @unchecked Sendable {
    // Each worker writes only its own slot; reads happen after concurrentPerform returns.
    private(set) var values: [ChunkOutput<T>?]

    init(count: Int) { values = Array(repeating: nil, count: count) }

    func store(_ index: Int, _ output: ChunkOutput<T>) {
        values.withUnsafeMutableBufferPointer { $0[index] = output }
    }
}
