public import Foundation

/// Reading and writing single tensors in NumPy's `.npy` format.
///
/// A `.npy` file is the magic `\x93NUMPY`, a version (1.0, 2.0 or 3.0), a little-endian header
/// length, a Python dict literal such as `{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }`
/// padded with spaces and a newline so the data starts at a multiple of 64 bytes, then the raw data.
///
/// The writer produces exactly the bytes `numpy.save` writes for the same array (format 1.0,
/// C order, little-endian). The reader accepts formats 1.0, 2.0 and 3.0 and:
/// - the dtypes `<f4 <f8 <i4 <i8 |b1 |i1 |u1`, with any byte-order mark (`<`, `>`, `|`, `=`, none);
///   big-endian data (`>f4`, …) is byte-swapped to native order;
/// - `fortran_order: True` (column-major) data, which it transposes into a row-major tensor;
/// - shapes `()`, `(3,)`, `(2, 3)`, … of up to 64 dimensions.
///
/// The header is parsed as a Python literal by a small parser (never evaluated), and checked field by
/// field; the data size is checked against the file before anything is allocated. Other dtypes
/// (`<f2`, `<c8`, object arrays, structured dtypes) are rejected with
/// ``TensorFileError/Code/unknownDType``, as are data bytes beyond what the shape needs.
///
/// ```swift
/// try NumPyFile.write(Tensor.arange(0, 6).reshaped(2, 3), to: url)
/// let tensor = try NumPyFile.read(from: url)   // numpy.load(url) reads the same file
/// ```
public enum NumPyFile {
    /// The largest header the reader accepts, in bytes (a real header for a supported dtype is under 2 KB).
    public static let maximumHeaderSize = 1 << 20

    /// The magic bytes every `.npy` file starts with.
    static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)

    /// The alignment of the data: NumPy pads the header so the data starts at a multiple of this.
    static let alignment = 64

    /// Encodes a tensor as the bytes of a `.npy` file (format 1.0, C order, little-endian).
    ///
    /// - Parameter tensor: the tensor; views of any layout are written row-major.
    /// - Returns: the complete file contents.
    public static func encode(_ tensor: Tensor) -> Data {
        var data = Data(header(for: tensor))
        TensorBytes.withLittleEndianBytes(of: tensor) { data.append(contentsOf: $0) }
        return data
    }

    /// Decodes the bytes of a `.npy` file.
    ///
    /// - Parameter data: the complete file contents.
    /// - Returns: a contiguous row-major tensor (Fortran-order data is transposed, big-endian data
    ///   byte-swapped).
    /// - Throws: ``TensorFileError`` describing the first problem found.
    public static func decode(_ data: Data) throws -> Tensor {
        try load(from: DataByteSource(data: data))
    }

    /// Writes a tensor to a `.npy` file, atomically (temporary file in the same directory, flushed,
    /// then renamed over `url`).
    ///
    /// - Parameters:
    ///   - tensor: the tensor; views of any layout are written row-major.
    ///   - url: the destination file; its directory must exist.
    /// - Throws: ``TensorFileError`` with code ``TensorFileError/Code/io`` and the path when writing fails.
    public static func write(_ tensor: Tensor, to url: URL) throws {
        let header = header(for: tensor)
        try AtomicFileWriter.write(to: url) { handle in
            try header.withUnsafeBytes { try AtomicFileWriter.append($0, to: handle) }
            try TensorBytes.withLittleEndianBytes(of: tensor) { try AtomicFileWriter.append($0, to: handle) }
        }
    }

    /// Reads a `.npy` file.
    ///
    /// - Parameter url: the file to read.
    /// - Returns: a contiguous row-major tensor.
    /// - Throws: ``TensorFileError`` with the path: ``TensorFileError/Code/fileNotFound``,
    ///   ``TensorFileError/Code/io``, or a code describing what is wrong with the contents.
    public static func read(from url: URL) throws -> Tensor {
        try load(from: FileByteSource(url: url))
    }

    // MARK: - Writing

    /// The magic, version, header length and padded header dict for `tensor`, as `numpy.save` writes them.
    static func header(for tensor: Tensor) -> [UInt8] {
        let shape = tensor.shape
        let shapeText =
            shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var dict = "{'descr': '\(descr(for: tensor.dtype))', 'fortran_order': False, 'shape': \(shapeText), }"
        // NumPy ≥ 1.23 leaves room for the first dimension to grow to 21 digits, so the header can be
        // rewritten in place when data is appended.
        if let first = shape.first { dict += String(repeating: " ", count: max(0, 21 - String(first).count)) }
        var text = Array(dict.utf8)
        for (major, lengthWidth) in [(UInt8(1), 2), (2, 4)] {
            let prefixLength = magic.count + 2 + lengthWidth
            let padding = alignment - (prefixLength + text.count + 1) % alignment
            let headerLength = text.count + padding + 1
            if lengthWidth == 2 && headerLength > Int(UInt16.max) { continue }
            text += repeatElement(UInt8(ascii: " "), count: padding)
            text.append(0x0A)
            return magic + [major, 0] + TensorBytes.littleEndianBytes(UInt64(headerLength), width: lengthWidth) + text
        }
        preconditionFailure("NumPyFile.header: header of \(text.count) bytes does not fit format 2.0")
    }

    /// The `descr` NumPy writes for `dtype` on a little-endian machine.
    static func descr(for dtype: DType) -> String {
        switch dtype {
        case .float32: "<f4"
        case .float64: "<f8"
        case .int32: "<i4"
        case .int64: "<i8"
        case .bool: "|b1"
        case .int8: "|i1"
        case .uint8: "|u1"
        }
    }

    /// The dtype and byte order a `descr` string stands for, or `nil` when it is not supported.
    static func dtype(descr: String) -> (dtype: DType, bigEndian: Bool)? {
        var code = Substring(descr)
        // '<' little-endian, '>' big-endian; '|' (not applicable), '=' and no mark mean native order.
        let bigEndian = code.first == ">" || (TensorBytes.hostIsBigEndian && code.first != "<")
        if let first = code.first, "<>|=".contains(first) { code = code.dropFirst() }
        let dtype: DType? =
            switch code {
            case "f4": .float32
            case "f8": .float64
            case "i4": .int32
            case "i8": .int64
            case "b1", "?": .bool
            case "i1": .int8
            case "u1": .uint8
            default: nil
            }
        return dtype.map { ($0, bigEndian) }
    }
}
