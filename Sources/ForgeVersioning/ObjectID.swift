import Crypto
public import Foundation

/// The identity of a stored object: the SHA-256 of its bytes, as 64 lowercase hex digits.
///
/// ```swift
/// let id = ObjectID.hashing(Data("hello".utf8))
/// print(id)   // 2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824
/// ```
public struct ObjectID: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The 64 lowercase hex digits of the SHA-256 digest.
    public let hex: String

    /// Wraps a hex string after checking it is 64 lowercase hex digits; nil otherwise.
    public init?(hex: String) {
        guard hex.utf8.count == 64, hex.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) })
        else { return nil }
        self.hex = hex
    }

    init(digest: SHA256.Digest) {
        self.hex = digest.hexString
    }

    /// The id of `data`: its SHA-256 digest.
    public static func hashing(_ data: Data) -> ObjectID {
        ObjectID(digest: SHA256.hash(data: data))
    }

    /// The id of the bytes in `buffer`.
    public static func hashing(_ buffer: UnsafeRawBufferPointer) -> ObjectID {
        ObjectID(digest: SHA256.hash(data: buffer))
    }

    /// The hex digits.
    public var description: String { hex }

    /// Orders ids by their hex digits.
    public static func < (lhs: ObjectID, rhs: ObjectID) -> Bool { lhs.hex < rhs.hex }

    /// Decodes from a single hex string, rejecting anything that is not 64 lowercase hex digits.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let id = ObjectID(hex: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an object id: \(text)")
        }
        self = id
    }

    /// Encodes as a single hex string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(hex)
    }

    /// The object's relative location in a store's layout: `ab/cdef…` (two-digit fan-out folder).
    public var fanOutPath: String {
        let split = hex.index(hex.startIndex, offsetBy: 2)
        return "\(hex[..<split])/\(hex[split...])"
    }
}

extension Sequence where Element == UInt8 {
    /// Lowercase hex of the bytes.
    var hexString: String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(64)
        for byte in self {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension SHA256.Digest {
    var hexString: String { withUnsafeBytes { Array($0) }.hexString }
}
