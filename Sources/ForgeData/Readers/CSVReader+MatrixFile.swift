import ForgeTensor
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension CSVReader {
    /// Reads a numeric CSV file through one reused 8 MiB buffer (grown only for longer lines),
    /// parsing the complete lines of each fill in parallel. Reusing the buffer avoids faulting in
    /// fresh pages for the whole file, which costs about as much as parsing it. Returns nil when the
    /// file contains the quote character (the caller then uses the quote-aware parser).
    static func readMatrixInChunks<T: TensorElement & BinaryFloatingPoint>(
        at url: URL, options: CSVOptions, as _: T.Type, initialCapacity: Int = 8 << 20
    ) throws -> Tensor? {
        let path = url.path
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            let code: ForgeDataError.Code = errno == ENOENT ? .fileNotFound : .io
            throw ForgeDataError(
                code: code, message: code == .fileNotFound ? "no such file" : "cannot open (errno \(errno))", file: path
            )
        }
        defer { close(descriptor) }
        var capacity = Swift.max(16, initialCapacity)
        var buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        defer { buffer.deallocate() }
        var filled = 0
        var atEnd = false
        var headerPending = options.hasHeader
        var columns: Int?
        var linesBefore = 0
        var pieces: [[T]] = []
        while true {
            while filled < capacity && !atEnd {
                let count = read(descriptor, buffer + filled, capacity - filled)
                if count < 0 {
                    if errno == EINTR { continue }
                    throw ForgeDataError(
                        code: .io, message: "read failed (errno \(errno))", file: path, line: linesBefore + 1)
                }
                if count == 0 { atEnd = true } else { filled += count }
            }
            if filled > 0 && memchr(buffer, Int32(options.quote), filled) != nil { return nil }
            // Parse up to the last complete line (everything at the end of the file).
            var parseEnd = filled
            if !atEnd {
                while parseEnd > 0 && buffer[parseEnd - 1] != 0x0A { parseEnd -= 1 }
                if parseEnd == 0 {  // one line fills the buffer
                    let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
                    larger.update(from: buffer, count: filled)
                    buffer.deallocate()
                    buffer = larger
                    capacity *= 2
                    continue
                }
            }
            let parser = NumericCSVParser(
                bytes: buffer, count: parseEnd, delimiter: options.delimiter, missing: options.missingValues, name: path
            )
            var bodyStart = 0
            if headerPending && parseEnd == 0 {
                throw ForgeDataError(code: .empty, message: "the file is empty", file: path, line: 1)
            }
            if headerPending {
                let headerEnd = parser.lineEnd(from: 0)
                columns = parser.fieldCount(0, headerEnd)
                bodyStart = Swift.min(headerEnd + 1, parseEnd)
                headerPending = false
            }
            if columns == nil && bodyStart < parseEnd {
                columns = parser.fieldCount(bodyStart, parser.lineEnd(from: bodyStart))
            }
            if let columns, bodyStart < parseEnd {
                let outputs: [ChunkOutput<T>] = try parser.parseBody(
                    from: bodyStart, columns: columns, linesBefore: linesBefore)
                pieces += outputs.map(\.values)
            }
            linesBefore += newlineCount(buffer, parseEnd)
            memmove(buffer, buffer + parseEnd, filled - parseEnd)
            filled -= parseEnd
            if atEnd && filled == 0 { break }
        }
        guard let columns else {
            throw ForgeDataError(code: .empty, message: "the file has no rows", file: path, line: 1)
        }
        return NumericCSVParser.assemble(pieces, columns: columns)
    }

    private static func newlineCount(_ buffer: UnsafeMutablePointer<UInt8>, _ count: Int) -> Int {
        var lines = 0
        var cursor = 0
        while cursor < count, let found = memchr(buffer + cursor, 0x0A, count - cursor) {
            lines += 1
            cursor =
                UnsafeRawPointer(found).assumingMemoryBound(to: UInt8.self)
                - UnsafeRawPointer(buffer).assumingMemoryBound(to: UInt8.self) + 1
        }
        return lines
    }
}
