// Validation and reading of a `.npy` file. The preamble, the header dict and the data size are all
// checked against the real size of the input before the tensor is allocated.

extension NumPyFile {
    /// The validated header of a `.npy` file.
    struct Header {
        var dtype: DType
        var bigEndian: Bool
        var fortranOrder: Bool
        var shape: [Int]
        /// The position of the data in the file.
        var dataStart: Int
    }

    /// Validates the header of `source`, then reads the tensor.
    static func load(from source: some TensorByteSource) throws -> Tensor {
        let header = try readHeader(from: source)
        // Fortran-order data of shape (a, b, c) is C-order data of shape (c, b, a), transposed.
        let fileShape = header.fortranOrder ? Array(header.shape.reversed()) : header.shape
        let tensor = try TensorBytes.makeTensor(shape: fileShape, dtype: header.dtype, bigEndian: header.bigEndian) {
            try source.read(at: header.dataStart, into: $0)
        }
        guard header.fortranOrder && header.shape.count > 1 else { return tensor }
        return tensor.permuted(Array((0..<fileShape.count).reversed())).contiguous()
    }

    /// Reads and validates the magic, version, header length and header dict of `source`.
    static func readHeader(from source: some TensorByteSource) throws -> Header {
        let path = source.path
        let preamble = try source.bytes(at: 0, count: min(source.size, magic.count + 2))
        let compared = min(preamble.count, magic.count)
        guard preamble.prefix(compared).elementsEqual(magic.prefix(compared)) else {
            throw TensorFileError(
                code: .invalidMagic, message: "the file does not start with the .npy magic \\x93NUMPY", path: path,
                byteOffset: 0)
        }
        guard preamble.count == magic.count + 2 else {
            throw source.truncated(at: 0, count: magic.count + 2, what: "the .npy magic and version")
        }
        let (major, minor) = (preamble[magic.count], preamble[magic.count + 1])
        let lengthWidth: Int
        switch (major, minor) {
        case (1, 0): lengthWidth = 2
        case (2, 0), (3, 0): lengthWidth = 4
        default:
            throw TensorFileError(
                code: .unsupportedVersion,
                message: ".npy format version \(major).\(minor) is not supported (supported: 1.0, 2.0, 3.0)",
                path: path,
                byteOffset: magic.count)
        }
        let lengthStart = magic.count + 2
        guard source.size >= lengthStart + lengthWidth else {
            throw source.truncated(at: lengthStart, count: lengthWidth, what: "the header length")
        }
        let headerLength = TensorBytes.littleEndianInteger(try source.bytes(at: lengthStart, count: lengthWidth))
        let headerStart = lengthStart + lengthWidth
        guard headerLength <= UInt64(maximumHeaderSize) else {
            throw TensorFileError(
                code: .headerTooLarge,
                message: "the header length \(headerLength) exceeds the limit of \(maximumHeaderSize) bytes",
                path: path, byteOffset: lengthStart)
        }
        guard Int(headerLength) <= source.size - headerStart else {
            throw TensorFileError(
                code: .headerLengthExceedsFile,
                message:
                    "the header length \(headerLength) is larger than the \(source.size - headerStart) bytes after it",
                path: path, byteOffset: lengthStart)
        }
        let text = try source.bytes(at: headerStart, count: Int(headerLength))
        let literal = try PythonLiteralParser.parse(text, isUTF8: major == 3, baseOffset: headerStart, path: path)
        var header = try interpret(literal, path: path, headerStart: headerStart)
        header.dataStart = headerStart + Int(headerLength)
        try checkDataSize(header, fileSize: source.size, path: path)
        return header
    }

    /// Checks the header dict: exactly the keys `descr`, `fortran_order` and `shape`, with valid values.
    private static func interpret(_ literal: PythonLiteral, path: String?, headerStart: Int) throws -> Header {
        func failure(_ code: TensorFileError.Code, _ message: String) -> TensorFileError {
            TensorFileError(code: code, message: message, path: path, byteOffset: headerStart)
        }
        guard case .dictionary(let members) = literal else {
            throw failure(.invalidField, "the header must be a dict, found \(literal.kindName)")
        }
        var fields: [String: PythonLiteral] = [:]
        for (key, value) in members {
            guard case .string(let name) = key else {
                throw failure(.invalidField, "header keys must be strings, found \(key.kindName)")
            }
            guard ["descr", "fortran_order", "shape"].contains(name) else {
                throw failure(.invalidField, "unexpected header key '\(name)'")
            }
            guard fields.updateValue(value, forKey: name) == nil else {
                throw failure(.invalidField, "header key '\(name)' appears twice")
            }
        }
        guard let descrValue = fields["descr"] else {
            throw failure(.invalidField, "the header key 'descr' is missing")
        }
        guard let orderValue = fields["fortran_order"] else {
            throw failure(.invalidField, "the header key 'fortran_order' is missing")
        }
        guard let shapeValue = fields["shape"] else {
            throw failure(.invalidField, "the header key 'shape' is missing")
        }

        guard case .string(let descr) = descrValue else {
            if case .list = descrValue {
                throw failure(.unknownDType, "structured dtypes (a list 'descr') are not supported")
            }
            throw failure(.invalidField, "'descr' must be a string, found \(descrValue.kindName)")
        }
        guard let (dtype, bigEndian) = Self.dtype(descr: descr) else {
            throw failure(
                .unknownDType,
                "dtype '\(descr)' is not supported (supported: <f4 <f8 <i4 <i8 |b1 |i1 |u1, any byte order)")
        }
        guard case .boolean(let fortranOrder) = orderValue else {
            throw failure(.invalidField, "'fortran_order' must be True or False, found \(orderValue.kindName)")
        }
        guard case .tuple(let dimensions) = shapeValue else {
            throw failure(.invalidField, "'shape' must be a tuple, found \(shapeValue.kindName)")
        }
        guard dimensions.count <= TensorBytes.maximumRank else {
            throw failure(
                .invalidField, "'shape' has \(dimensions.count) dimensions, more than \(TensorBytes.maximumRank)")
        }
        var shape: [Int] = []
        for dimension in dimensions {
            guard case .integer(let size) = dimension, size >= 0 else {
                throw failure(.invalidField, "'shape' entries must be non-negative integers")
            }
            shape.append(size)
        }
        return Header(dtype: dtype, bigEndian: bigEndian, fortranOrder: fortranOrder, shape: shape, dataStart: 0)
    }

    /// Checks that the data after the header is exactly what the shape and dtype need.
    private static func checkDataSize(_ header: Header, fileSize: Int, path: String?) throws {
        let descr = descr(for: header.dtype)
        guard let byteCount = TensorBytes.byteCount(shape: header.shape, elementSize: header.dtype.byteSize) else {
            throw TensorFileError(
                code: .sizeOverflow,
                message: "shape \(header.shape) of \(descr) has more bytes than a 64-bit size can count", path: path,
                byteOffset: header.dataStart)
        }
        let available = fileSize - header.dataStart
        if available < byteCount {
            throw TensorFileError(
                code: .truncated,
                message:
                    "shape \(header.shape) of \(descr) needs \(byteCount) data bytes, "
                    + "but only \(available) follow the header",
                path: path, byteOffset: fileSize)
        }
        if available > byteCount {
            throw TensorFileError(
                code: .shapeSizeMismatch,
                message:
                    "shape \(header.shape) of \(descr) needs \(byteCount) data bytes, "
                    + "but \(available) follow the header",
                path: path, byteOffset: header.dataStart + byteCount)
        }
    }
}
