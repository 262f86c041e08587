public import ForgeTensor
public import Foundation

/// The IDX format of MNIST-style datasets (`train-images-idx3-ubyte`, optionally gzip-compressed):
/// two zero bytes, a type code, the rank, big-endian 32-bit dimensions, then big-endian data.
///
/// ```swift
/// let images = try IDXFile.read(from: imagesURL)   // uint8 [60000, 28, 28]
/// let labels = try IDXFile.read(from: labelsURL)   // uint8 [60000]
/// ```
public enum IDXFile {
    /// Reads an IDX file; a gzip-compressed file (`.gz`) is decompressed first.
    ///
    /// Types map to `uint8` (0x08), `int8` (0x09), `int32` (0x0B, widened from 16 bits; 0x0C),
    /// `float32` (0x0D) and `float64` (0x0E).
    ///
    /// - Throws: ``ForgeDataError`` with the file and byte offset (as the column): `invalidMagic`,
    ///   `unsupported` (type code), `truncated` (header or data shorter than declared),
    ///   `sizeMismatch` (bytes after the data, or a size that overflows).
    public static func read(from url: URL) throws -> Tensor {
        try decode(Array(readFileBytes(url)), path: url.path)
    }

    /// Decodes IDX bytes (or gzip-compressed IDX bytes); `path` is used in errors.
    public static func decode(_ input: [UInt8], path: String = "<memory>") throws -> Tensor {
        var bytes = input
        if bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B {
            bytes = try Inflater.inflate(bytes, expected: 0, raw: false, name: "gzip", path: path)
        }
        func fail(_ code: ForgeDataError.Code, _ message: String, _ offset: Int) -> ForgeDataError {
            ForgeDataError(code: code, message: message, file: path, column: offset)
        }
        guard bytes.count >= 4 else { throw fail(.truncated, "\(bytes.count) bytes is shorter than the IDX magic", 0) }
        guard bytes[0] == 0, bytes[1] == 0 else { throw fail(.invalidMagic, "IDX files start with two zero bytes", 0) }
        let elementSize: Int
        let dtype: DType
        switch bytes[2] {
        case 0x08: (elementSize, dtype) = (1, .uint8)
        case 0x09: (elementSize, dtype) = (1, .int8)
        case 0x0B: (elementSize, dtype) = (2, .int32)
        case 0x0C: (elementSize, dtype) = (4, .int32)
        case 0x0D: (elementSize, dtype) = (4, .float32)
        case 0x0E: (elementSize, dtype) = (8, .float64)
        default: throw fail(.unsupported, "unknown IDX type code 0x\(String(bytes[2], radix: 16))", 2)
        }
        let rank = Int(bytes[3])
        let dataStart = 4 + 4 * rank
        guard bytes.count >= dataStart else {
            throw fail(
                .truncated, "header declares \(rank) dimensions, the file ends after \(bytes.count) bytes", bytes.count)
        }
        var shape: [Int] = []
        var elements = 1
        for axis in 0..<rank {
            let offset = 4 + 4 * axis
            let size =
                Int(bytes[offset]) << 24 | Int(bytes[offset + 1]) << 16 | Int(bytes[offset + 2]) << 8
                | Int(bytes[offset + 3])
            shape.append(size)
            let (product, overflow) = elements.multipliedReportingOverflow(by: size)
            guard !overflow, product <= Int(Int32.max) * 64 else {
                throw fail(.sizeMismatch, "shape \(shape) is too large", offset)
            }
            elements = product
        }
        let expected = dataStart + elements * elementSize
        guard bytes.count >= expected else {
            throw fail(
                .truncated,
                "shape \(shape) needs \(elements * elementSize) data bytes, the file has \(bytes.count - dataStart)",
                bytes.count)
        }
        guard bytes.count == expected else {
            throw fail(.sizeMismatch, "\(bytes.count - expected) bytes follow the data of shape \(shape)", expected)
        }
        return bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return Tensor.zeros(shape: shape, dtype: dtype) }
            let data = base + dataStart
            func bigEndian(_ index: Int) -> UInt64 {
                var value: UInt64 = 0
                for byte in 0..<elementSize { value = value << 8 | UInt64(data[index * elementSize + byte]) }
                return value
            }
            switch bytes[2] {
            case 0x08: return Tensor(Array(UnsafeBufferPointer(start: data, count: elements)), shape: shape)
            case 0x09: return Tensor((0..<elements).map { Int8(bitPattern: data[$0]) }, shape: shape)
            case 0x0B:
                return Tensor((0..<elements).map { Int32(Int16(bitPattern: UInt16(bigEndian($0)))) }, shape: shape)
            case 0x0C: return Tensor((0..<elements).map { Int32(bitPattern: UInt32(bigEndian($0))) }, shape: shape)
            case 0x0D: return Tensor((0..<elements).map { Float(bitPattern: UInt32(bigEndian($0))) }, shape: shape)
            default: return Tensor((0..<elements).map { Double(bitPattern: bigEndian($0)) }, shape: shape)
            }
        }
    }

    /// Encodes a `uint8`, `int8`, `int32`, `float32` or `float64` tensor as IDX bytes.
    public static func encode(_ tensor: Tensor) -> [UInt8] {
        let code: UInt8
        let size: Int
        switch tensor.dtype {
        case .uint8: (code, size) = (0x08, 1)
        case .int8: (code, size) = (0x09, 1)
        case .int32: (code, size) = (0x0C, 4)
        case .float32: (code, size) = (0x0D, 4)
        case .float64: (code, size) = (0x0E, 8)
        default: preconditionFailure("IDXFile.encode: dtype \(tensor.dtype) has no IDX type code")
        }
        var bytes: [UInt8] = [0, 0, code, UInt8(tensor.rank)]
        for dimension in tensor.shape { bytes += withUnsafeBytes(of: UInt32(dimension).bigEndian, Array.init) }
        func append(_ bits: UInt64) {
            for byte in (0..<size).reversed() { bytes.append(UInt8(truncatingIfNeeded: bits >> (8 * UInt64(byte)))) }
        }
        switch tensor.dtype {
        case .uint8: bytes += tensor.scalars(as: UInt8.self)
        case .int8: bytes += tensor.scalars(as: Int8.self).map { UInt8(bitPattern: $0) }
        case .int32: tensor.scalars(as: Int32.self).forEach { append(UInt64(UInt32(bitPattern: $0))) }
        case .float32: tensor.scalars(as: Float.self).forEach { append(UInt64($0.bitPattern)) }
        default: tensor.scalars(as: Double.self).forEach { append($0.bitPattern) }
        }
        return bytes
    }
}
