import Foundation

/// Fast parsing of Forge's line-based records (manifests, stat caches) straight from UTF-8 bytes:
/// each line is split into at most `fieldCount` space-separated fields, the last one taking the rest.
/// Working on bytes instead of `Character`s keeps a 2000-line manifest well under a millisecond.
enum LineParser {
    /// Calls `body` with the fields of every non-empty line after the first `skip` bytes; `body` returns
    /// false to report a malformed line (its 1-based number is then returned).
    static func forEachLine(
        _ data: Data, skip: Int, fieldCount: Int, _ body: ([UnsafeRawBufferPointer]) -> Bool
    ) -> Int? {
        data.withUnsafeBytes { raw -> Int? in
            var fields: [UnsafeRawBufferPointer] = []
            fields.reserveCapacity(fieldCount)
            var lineStart = skip
            var lineNumber = 1
            let count = raw.count
            while lineStart < count {
                var lineEnd = lineStart
                while lineEnd < count && raw[lineEnd] != 0x0A { lineEnd += 1 }
                lineNumber += 1
                if lineEnd > lineStart {
                    fields.removeAll(keepingCapacity: true)
                    var fieldStart = lineStart
                    var index = lineStart
                    while index < lineEnd && fields.count < fieldCount - 1 {
                        if raw[index] == 0x20 {
                            fields.append(UnsafeRawBufferPointer(rebasing: raw[fieldStart..<index]))
                            fieldStart = index + 1
                        }
                        index += 1
                    }
                    fields.append(UnsafeRawBufferPointer(rebasing: raw[fieldStart..<lineEnd]))
                    if fields.count != fieldCount || !body(fields) { return lineNumber }
                }
                lineStart = lineEnd + 1
            }
            return nil
        }
    }

    /// A non-negative decimal (or, with `radix` 8, octal) integer, or nil.
    static func integer(_ bytes: UnsafeRawBufferPointer, radix: Int = 10) -> Int? {
        guard !bytes.isEmpty, bytes.count <= 19 else { return nil }
        var value = 0
        for byte in bytes {
            let digit = Int(byte) - 48
            guard digit >= 0 && digit < radix else { return nil }
            value = value * radix + digit
        }
        return value
    }

    static func string(_ bytes: UnsafeRawBufferPointer) -> String { String(decoding: bytes, as: UTF8.self) }
}
