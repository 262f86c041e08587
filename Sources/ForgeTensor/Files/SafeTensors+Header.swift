// Validation of a safetensors header. Every check runs before any tensor storage is allocated, so the
// memory a file can make the reader allocate is bounded by the file's real size, whatever the
// header claims.

extension SafeTensors {
    /// One tensor's entry in the header, validated against the data buffer.
    struct Entry {
        var name: String
        var dtype: DType
        var shape: [Int]
        /// The first byte, relative to the start of the data buffer.
        var begin: Int
        /// One past the last byte, relative to the start of the data buffer.
        var end: Int
    }

    /// The validated header of a safetensors file.
    struct Layout {
        /// The tensors, sorted by their position in the data buffer.
        var entries: [Entry]
        var metadata: [String: String]
        /// The position of the data buffer in the file.
        var dataStart: Int
    }

    /// Reads and validates the length prefix and header of `source`.
    static func readLayout(from source: some TensorByteSource) throws -> Layout {
        let path = source.path
        guard source.size >= 8 else {
            throw TensorFileError(
                code: .truncated,
                message:
                    "a safetensors file starts with an 8-byte header length, but there are only \(source.size) bytes",
                path: path, byteOffset: source.size)
        }
        let headerLength = TensorBytes.littleEndianInteger(try source.bytes(at: 0, count: 8))
        guard headerLength <= UInt64(maximumHeaderSize) else {
            throw TensorFileError(
                code: .headerTooLarge,
                message: "the header length \(headerLength) exceeds the limit of \(maximumHeaderSize) bytes",
                path: path, byteOffset: 0)
        }
        let length = Int(headerLength)
        guard length <= source.size - 8 else {
            throw TensorFileError(
                code: .headerLengthExceedsFile,
                message:
                    "the header length \(length) is larger than the \(source.size - 8) bytes after the length prefix",
                path: path, byteOffset: 0)
        }
        let header = try source.bytes(at: 8, count: length)
        guard header.first == UInt8(ascii: "{") else {
            throw TensorFileError(
                code: .invalidHeader, message: "the header must be a JSON object starting with '{'", path: path,
                byteOffset: 8)
        }
        let bufferSize = source.size - 8 - length
        var scanner = JSONScanner(bytes: header, baseOffset: 8, path: path)
        try scanner.expect(UInt8(ascii: "{"), in: "at the start of the header")
        var entries: [Entry] = []
        var metadata: [String: String] = [:]
        var names = Set<String>()
        var isFirst = true
        while let key = try scanner.nextMemberKey(isFirst: isFirst, in: "the header") {
            isFirst = false
            guard names.insert(key).inserted else {
                throw TensorFileError(
                    code: .duplicateName, message: "the header names \"\(key)\" twice", path: path,
                    byteOffset: scanner.fileOffset, tensorName: key)
            }
            if key == metadataKey {
                metadata = try readMetadata(&scanner, path: path)
            } else {
                entries.append(try readEntry(named: key, from: &scanner, bufferSize: bufferSize, path: path))
            }
        }
        try scanner.expectEnd()
        entries.sort { ($0.begin, $0.end, $0.name) < ($1.begin, $1.end, $1.name) }
        try checkCoverage(of: entries, bufferSize: bufferSize, dataStart: 8 + length, path: path)
        return Layout(entries: entries, metadata: metadata, dataStart: 8 + length)
    }

    /// Reads the `__metadata__` object: string keys to string values (or `null`).
    private static func readMetadata(_ scanner: inout JSONScanner, path: String?) throws -> [String: String] {
        let start = scanner.fileOffset
        if scanner.parseNull() { return [:] }
        guard scanner.peek() == UInt8(ascii: "{") else {
            throw try wrongType(
                &scanner,
                TensorFileError(
                    code: .invalidField, message: "\(metadataKey) must be an object of strings", path: path,
                    byteOffset: start))
        }
        try scanner.expect(UInt8(ascii: "{"), in: "to start \(metadataKey)")
        var metadata: [String: String] = [:]
        var isFirst = true
        while let key = try scanner.nextMemberKey(isFirst: isFirst, in: metadataKey) {
            isFirst = false
            guard scanner.peek() == UInt8(ascii: "\"") else {
                throw try wrongType(
                    &scanner,
                    TensorFileError(
                        code: .invalidField, message: "\(metadataKey) value of \"\(key)\" must be a string",
                        path: path, byteOffset: scanner.fileOffset))
            }
            let valueOffset = scanner.fileOffset
            let value = try scanner.parseString()
            guard metadata.updateValue(value, forKey: key) == nil else {
                throw TensorFileError(
                    code: .duplicateName, message: "\(metadataKey) names \"\(key)\" twice", path: path,
                    byteOffset: valueOffset)
            }
        }
        return metadata
    }

    /// Reads one tensor entry (`{"dtype": …, "shape": […], "data_offsets": [begin, end]}`) and checks it
    /// against the size of the data buffer. Unknown keys are skipped, as the Python library does.
    private static func readEntry(
        named name: String, from scanner: inout JSONScanner, bufferSize: Int, path: String?
    ) throws -> Entry {
        let start = scanner.fileOffset
        func failure(_ code: TensorFileError.Code, _ message: String) -> TensorFileError {
            TensorFileError(
                code: code, message: "tensor '\(name)': \(message)", path: path, byteOffset: start, tensorName: name)
        }
        guard scanner.peek() == UInt8(ascii: "{") else {
            throw try wrongType(
                &scanner, failure(.invalidField, "the entry must be an object with dtype, shape and data_offsets"))
        }
        try scanner.expect(UInt8(ascii: "{"), in: "to start the entry of '\(name)'")
        var dtypeName: String?
        var shape: [UInt64]?
        var offsets: [UInt64]?
        var keys = Set<String>()
        var isFirst = true
        while let key = try scanner.nextMemberKey(isFirst: isFirst, in: "the entry of '\(name)'") {
            isFirst = false
            guard keys.insert(key).inserted else { throw failure(.invalidField, "key \"\(key)\" appears twice") }
            switch key {
            case "dtype":
                guard scanner.peek() == UInt8(ascii: "\"") else {
                    throw try wrongType(&scanner, failure(.invalidField, "dtype must be a string"))
                }
                dtypeName = try scanner.parseString()
            case "shape":
                shape = try readIntegers(&scanner, limit: TensorBytes.maximumRank) {
                    failure(
                        .invalidField,
                        "shape must be an array of at most \(TensorBytes.maximumRank) non-negative integers, \($0)")
                }
            case "data_offsets":
                offsets = try readIntegers(&scanner, limit: 2) {
                    failure(.invalidField, "data_offsets must be an array of 2 non-negative integers, \($0)")
                }
            default:
                try scanner.skipValue()
            }
        }
        guard let dtypeName else { throw failure(.invalidField, "the field \"dtype\" is missing") }
        guard let shape else { throw failure(.invalidField, "the field \"shape\" is missing") }
        guard let offsets else { throw failure(.invalidField, "the field \"data_offsets\" is missing") }
        guard let dtype = Self.dtype(named: dtypeName) else {
            let supported = DType.allCases.map(SafeTensors.dtypeName).joined(separator: ", ")
            throw failure(.unknownDType, "dtype \"\(dtypeName)\" is not supported (supported: \(supported))")
        }
        guard shape.allSatisfy({ $0 <= UInt64(Int.max) }),
            let byteCount = TensorBytes.byteCount(shape: shape.map { Int($0) }, elementSize: dtype.byteSize)
        else {
            throw failure(.sizeOverflow, "shape \(shape) of \(dtypeName) has more bytes than a 64-bit size can count")
        }
        guard offsets.count == 2 else {
            throw failure(.invalidField, "data_offsets must have 2 entries, found \(offsets.count)")
        }
        let (begin, end) = (offsets[0], offsets[1])
        guard begin <= end else {
            throw failure(.offsetsOutOfRange, "data_offsets [\(begin), \(end)] begin after they end")
        }
        guard end <= UInt64(bufferSize) else {
            throw failure(
                .offsetsOutOfRange,
                "data_offsets [\(begin), \(end)] end past the data buffer, which has \(bufferSize) bytes")
        }
        guard Int(end - begin) == byteCount else {
            throw failure(
                .shapeSizeMismatch,
                "shape \(shape) of \(dtypeName) needs \(byteCount) bytes, "
                    + "but data_offsets [\(begin), \(end)] hold \(end - begin)"
            )
        }
        return Entry(name: name, dtype: dtype, shape: shape.map { Int($0) }, begin: Int(begin), end: Int(end))
    }

    /// Reads an array of non-negative integers with at most `limit` elements.
    private static func readIntegers(
        _ scanner: inout JSONScanner, limit: Int, failure: (String) -> TensorFileError
    ) throws -> [UInt64] {
        guard scanner.peek() == UInt8(ascii: "[") else {
            throw try wrongType(&scanner, failure("found another kind of value"))
        }
        try scanner.expect(UInt8(ascii: "["), in: "to start an array")
        var values: [UInt64] = []
        var isFirst = true
        while try scanner.nextElement(isFirst: isFirst, in: "an array of integers") {
            isFirst = false
            guard values.count < limit else { throw failure("found more") }
            guard let next = scanner.peek(), JSONScanner.startsNumber(next) else {
                throw try wrongType(&scanner, failure("found a value that is not a number"))
            }
            switch try scanner.parseNumber() {
            case .unsignedInteger(let value): values.append(value)
            case .other(let text): throw failure("found \(text)")
            }
        }
        return values
    }

    /// Returns `error` for a value of the wrong type, unless the value is not even valid JSON, in which
    /// case the syntax error is thrown (so broken JSON is always reported as `invalidHeader`).
    private static func wrongType(_ scanner: inout JSONScanner, _ error: TensorFileError) throws -> TensorFileError {
        try scanner.skipValue()
        return error
    }

    /// Checks that `entries` (sorted by position) tile the data buffer exactly: no overlaps, no holes,
    /// no unused bytes at the end.
    private static func checkCoverage(of entries: [Entry], bufferSize: Int, dataStart: Int, path: String?) throws {
        var covered = 0
        var previous: Entry?
        for entry in entries {
            if entry.begin < covered, let previous {
                throw TensorFileError(
                    code: .overlappingOffsets,
                    message:
                        "tensor '\(entry.name)' (bytes \(entry.begin)..<\(entry.end)) overlaps "
                        + "tensor '\(previous.name)' (bytes \(previous.begin)..<\(previous.end))",
                    path: path, byteOffset: dataStart + entry.begin, tensorName: entry.name)
            }
            if entry.begin > covered {
                throw TensorFileError(
                    code: .bufferNotCovered,
                    message:
                        "bytes \(covered)..<\(entry.begin) of the data buffer, before tensor '\(entry.name)', "
                        + "belong to no tensor",
                    path: path, byteOffset: dataStart + covered, tensorName: entry.name)
            }
            covered = entry.end
            previous = entry
        }
        if covered != bufferSize {
            throw TensorFileError(
                code: .bufferNotCovered,
                message:
                    "the last \(bufferSize - covered) bytes of the \(bufferSize)-byte data buffer belong to no tensor",
                path: path, byteOffset: dataStart + covered)
        }
    }
}
