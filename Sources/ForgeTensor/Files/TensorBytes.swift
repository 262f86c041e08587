/// Conversions between tensors and the little-endian row-major bytes that tensor files store, and
/// the overflow-checked size arithmetic every reader runs before it allocates.
enum TensorBytes {
    /// The largest rank a reader accepts (NumPy's own limit, `NPY_MAXDIMS`).
    static let maximumRank = 64

    /// Whether this machine stores numbers big-endian (no platform Forge supports does).
    static var hostIsBigEndian: Bool {
        #if _endian(big)
            true
        #else
            false
        #endif
    }

    /// The number of data bytes of a tensor of `shape` with `elementSize`-byte elements, or `nil` when
    /// the shape is too large to lay out.
    ///
    /// NOTE: the product of `max(dimension, 1)` must fit too, not only the true (possibly zero) byte
    /// count: strides are products of the trailing dimensions, so a shape like `[0, 2^40, 2^40]` holds no
    /// bytes but would overflow the stride computation.
    static func byteCount(shape: [Int], elementSize: Int) -> Int? {
        var layoutBytes = elementSize
        var bytes = elementSize
        for dimension in shape {
            guard dimension >= 0 else { return nil }
            let (product, overflow) = layoutBytes.multipliedReportingOverflow(by: max(dimension, 1))
            if overflow { return nil }
            layoutBytes = product
            bytes *= dimension  // cannot overflow: bytes ≤ layoutBytes
        }
        return bytes
    }

    /// A new contiguous tensor whose bytes `fill` writes in file order; the bytes are then swapped when
    /// the file's byte order differs from the host's, and `bool` bytes are mapped to 0 or 1 (any
    /// non-zero byte is `true`, as in NumPy), so no invalid `Bool` value ever reaches Swift code.
    static func makeTensor(
        shape: [Int], dtype: DType, bigEndian: Bool = false, fill: (UnsafeMutableRawBufferPointer) throws -> Void
    ) rethrows -> Tensor {
        let tensor = Tensor(uninitializedShape: shape, dtype: dtype)
        let bytes = UnsafeMutableRawBufferPointer(start: tensor.storage.base, count: tensor.storage.byteCount)
        try fill(bytes)
        if bigEndian != hostIsBigEndian { swapBytes(bytes, elementSize: dtype.byteSize) }
        if dtype == .bool {
            for index in bytes.indices where bytes[index] > 1 { bytes[index] = 1 }
        }
        return tensor
    }

    /// Calls `body` with the elements of `tensor` as little-endian row-major bytes (copying views).
    static func withLittleEndianBytes<R>(
        of tensor: Tensor, _ body: (UnsafeRawBufferPointer) throws -> R
    ) rethrows -> R {
        let source = tensor.isContiguous ? tensor : tensor.contiguous()
        let elementSize = source.dtype.byteSize
        let raw = UnsafeRawBufferPointer(
            start: source.storage.base + source.offset * elementSize, count: source.count * elementSize)
        return try withExtendedLifetime(source) {
            if hostIsBigEndian && elementSize > 1 {
                var copy = [UInt8](raw)
                copy.withUnsafeMutableBytes { swapBytes($0, elementSize: elementSize) }
                return try copy.withUnsafeBytes(body)
            }
            return try body(raw)
        }
    }

    /// Reverses the byte order of every `elementSize`-byte element in `bytes`.
    static func swapBytes(_ bytes: UnsafeMutableRawBufferPointer, elementSize: Int) {
        switch elementSize {
        case 4:
            for position in stride(from: 0, to: bytes.count - 3, by: 4) {
                let value = bytes.loadUnaligned(fromByteOffset: position, as: UInt32.self)
                bytes.storeBytes(of: value.byteSwapped, toByteOffset: position, as: UInt32.self)
            }
        case 8:
            for position in stride(from: 0, to: bytes.count - 7, by: 8) {
                let value = bytes.loadUnaligned(fromByteOffset: position, as: UInt64.self)
                bytes.storeBytes(of: value.byteSwapped, toByteOffset: position, as: UInt64.self)
            }
        default:
            break
        }
    }

    /// The little-endian unsigned integer that `bytes` (at most 8 of them) encode.
    static func littleEndianInteger(_ bytes: some Collection<UInt8>) -> UInt64 {
        var value: UInt64 = 0
        for (index, byte) in bytes.enumerated() { value |= UInt64(byte) << (8 * UInt64(index)) }
        return value
    }

    /// The little-endian bytes of `value`, `width` bytes long.
    static func littleEndianBytes(_ value: UInt64, width: Int) -> [UInt8] {
        (0..<width).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }
    }
}
