import Foundation

/// A minimal protobuf wire-format encoder: just what TensorBoard's `Event` and hparams messages need.
///
/// Callers write fields in ascending field-number order and skip proto3 default values themselves, so the
/// output is byte-identical to what the reference Python implementation serializes.
struct ProtobufWriter {
    /// The encoded bytes so far.
    private(set) var bytes: [UInt8] = []

    /// Wire types of the protobuf encoding.
    enum WireType: UInt8 {
        case varint = 0
        case fixed64 = 1
        case lengthDelimited = 2
        case fixed32 = 5
    }

    mutating func writeVarint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    mutating func writeKey(_ field: Int, _ wireType: WireType) {
        writeVarint(UInt64(field) << 3 | UInt64(wireType.rawValue))
    }

    /// An `int64`/`int32`/enum field (negative values take ten bytes, as protobuf specifies).
    mutating func writeInt(_ field: Int, _ value: Int64) {
        writeKey(field, .varint)
        writeVarint(UInt64(bitPattern: value))
    }

    /// A `bool` field.
    mutating func writeBool(_ field: Int, _ value: Bool) {
        writeKey(field, .varint)
        bytes.append(value ? 1 : 0)
    }

    /// A `double` field (little-endian IEEE 754).
    mutating func writeDouble(_ field: Int, _ value: Double) {
        writeKey(field, .fixed64)
        withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// A `float` field (little-endian IEEE 754).
    mutating func writeFloat(_ field: Int, _ value: Float) {
        writeKey(field, .fixed32)
        withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// A `bytes` or embedded-message field.
    mutating func writeBytes(_ field: Int, _ value: [UInt8]) {
        writeKey(field, .lengthDelimited)
        writeVarint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    /// A `string` field (UTF-8).
    mutating func writeString(_ field: Int, _ value: String) {
        writeBytes(field, Array(value.utf8))
    }

    /// An embedded message built by `body`.
    mutating func writeMessage(_ field: Int, _ body: (inout ProtobufWriter) -> Void) {
        var inner = ProtobufWriter()
        body(&inner)
        writeBytes(field, inner.bytes)
    }
}
