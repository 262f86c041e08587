import CZlib
import Foundation

/// The entries of a ZIP archive (stored or deflate), read from its central directory, as NumPy's
/// `.npz` files use it (including the ZIP64 size fields NumPy writes).
struct ZipArchive {
    struct Entry {
        var name: String
        var method: UInt16
        var crc: UInt32
        var compressedSize: Int
        var uncompressedSize: Int
        var localHeaderOffset: Int
    }

    let bytes: [UInt8]
    let path: String
    private(set) var entries: [Entry] = []

    init(bytes: [UInt8], path: String) throws {
        self.bytes = bytes
        self.path = path
        entries = try readCentralDirectory()
    }

    private func fail(_ code: ForgeDataError.Code, _ message: String, at offset: Int? = nil) -> ForgeDataError {
        ForgeDataError(code: code, message: message, file: path, column: offset)
    }

    private func uint16(_ offset: Int) throws -> UInt16 {
        guard offset >= 0, offset + 2 <= bytes.count else {
            throw fail(.truncated, "archive ends inside a record", at: offset)
        }
        return UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
    }

    private func uint32(_ offset: Int) throws -> UInt32 {
        UInt32(try uint16(offset)) | UInt32(try uint16(offset + 2)) << 16
    }

    private func uint64(_ offset: Int) throws -> UInt64 {
        UInt64(try uint32(offset)) | UInt64(try uint32(offset + 4)) << 32
    }

    private func readCentralDirectory() throws -> [Entry] {
        guard bytes.count >= 22 else { throw fail(.truncated, "\(bytes.count) bytes is too short for a ZIP archive") }
        guard bytes.starts(with: [0x50, 0x4B]) else { throw fail(.invalidMagic, "not a ZIP archive (.npz)", at: 0) }
        var end = bytes.count - 22
        let lowest = Swift.max(0, bytes.count - 22 - 65_535)
        while end >= lowest, try uint32(end) != 0x0605_4B50 { end -= 1 }
        guard end >= lowest else { throw fail(.truncated, "no end-of-central-directory record (truncated archive?)") }
        var count = Int(try uint16(end + 10))
        var directory = Int(try uint32(end + 16))
        if directory == 0xFFFF_FFFF || count == 0xFFFF, end >= 20, try uint32(end - 20) == 0x0706_4B50 {
            let record = Int(try uint64(end - 12))
            guard try uint32(record) == 0x0606_4B50 else {
                throw fail(.invalidValue, "bad ZIP64 end record", at: record)
            }
            count = Int(clamping: try uint64(record + 32))
            directory = Int(clamping: try uint64(record + 48))
        }
        var entries: [Entry] = []
        var offset = directory
        for _ in 0..<count {
            guard try uint32(offset) == 0x0201_4B50 else {
                throw fail(.invalidValue, "bad central directory entry signature", at: offset)
            }
            let method = try uint16(offset + 10)
            let crc = try uint32(offset + 16)
            var compressed = Int(try uint32(offset + 20))
            var uncompressed = Int(try uint32(offset + 24))
            let nameLength = Int(try uint16(offset + 28))
            let extraLength = Int(try uint16(offset + 30))
            let commentLength = Int(try uint16(offset + 32))
            var local = Int(try uint32(offset + 42))
            let nameStart = offset + 46
            guard nameStart + nameLength + extraLength <= bytes.count else {
                throw fail(.truncated, "archive ends inside an entry name", at: nameStart)
            }
            let name = String(decoding: bytes[nameStart..<nameStart + nameLength], as: UTF8.self)
            // ZIP64 extra field: the 64-bit values of the fields saturated at 0xFFFFFFFF, in order.
            var extra = nameStart + nameLength
            while extra + 4 <= nameStart + nameLength + extraLength {
                let tag = try uint16(extra)
                let size = Int(try uint16(extra + 2))
                if tag == 0x0001 {
                    var cursor = extra + 4
                    if uncompressed == 0xFFFF_FFFF { uncompressed = Int(clamping: try uint64(cursor)); cursor += 8 }
                    if compressed == 0xFFFF_FFFF { compressed = Int(clamping: try uint64(cursor)); cursor += 8 }
                    if local == 0xFFFF_FFFF { local = Int(clamping: try uint64(cursor)) }
                }
                extra += 4 + size
            }
            entries.append(
                Entry(
                    name: name, method: method, crc: crc, compressedSize: compressed,
                    uncompressedSize: uncompressed, localHeaderOffset: local))
            offset = nameStart + nameLength + extraLength + commentLength
        }
        return entries
    }

    /// The uncompressed bytes of `entry`, CRC-checked.
    func contents(of entry: Entry) throws -> [UInt8] {
        let local = entry.localHeaderOffset
        guard try uint32(local) == 0x0403_4B50 else {
            throw fail(.invalidValue, "bad local header for '\(entry.name)'", at: local)
        }
        let start = local + 30 + Int(try uint16(local + 26)) + Int(try uint16(local + 28))
        guard entry.compressedSize >= 0, start + entry.compressedSize <= bytes.count else {
            throw fail(
                .truncated, "'\(entry.name)' needs \(entry.compressedSize) bytes, the archive ends first", at: start)
        }
        let packed = bytes[start..<start + entry.compressedSize]
        let output: [UInt8]
        switch entry.method {
        case 0: output = Array(packed)
        case 8:
            output = try Inflater.inflate(
                Array(packed), expected: entry.uncompressedSize, raw: true, name: entry.name, path: path,
                limit: entry.uncompressedSize)
        default:
            throw fail(
                .unsupported,
                "'\(entry.name)' uses ZIP compression method \(entry.method); only stored and deflate are supported")
        }
        guard output.count == entry.uncompressedSize else {
            throw fail(
                .sizeMismatch, "'\(entry.name)' is \(output.count) bytes, the directory says \(entry.uncompressedSize)")
        }
        let crc = output.withUnsafeBufferPointer { UInt32(crc32(0, $0.baseAddress, uInt($0.count))) }
        guard crc == entry.crc else {
            throw fail(.invalidValue, "'\(entry.name)' fails its CRC-32 check (corrupt archive)")
        }
        return output
    }
}

/// zlib's inflate for raw deflate streams (ZIP) and gzip files.
enum Inflater {
    /// Decompresses `input`; `expected` is a size hint (0 if unknown); `raw` selects a raw deflate
    /// stream, otherwise a gzip or zlib header is detected automatically. Output beyond `limit` bytes
    /// (the declared size for ZIP members) is an error, so a decompression bomb cannot exhaust memory.
    static func inflate(
        _ input: [UInt8], expected: Int, raw: Bool, name: String, path: String, limit: Int = 1 << 32
    ) throws -> [UInt8] {
        var stream = z_stream()
        guard inflateInit2_(&stream, raw ? -15 : 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK
        else {
            throw ForgeDataError(code: .io, message: "zlib could not start", file: path)
        }
        defer { inflateEnd(&stream) }
        var output = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: Swift.max(1 << 16, Swift.min(expected, 1 << 26)))
        var input = input
        var status: Int32 = Z_OK
        input.withUnsafeMutableBufferPointer { source in
            stream.next_in = source.baseAddress
            stream.avail_in = uInt(source.count)
            repeat {
                chunk.withUnsafeMutableBufferPointer { target in
                    stream.next_out = target.baseAddress
                    stream.avail_out = uInt(target.count)
                    status = CZlib.inflate(&stream, Z_NO_FLUSH)
                    output.append(contentsOf: target[0..<(target.count - Int(stream.avail_out))])
                }
            } while status == Z_OK && (stream.avail_in > 0 || stream.avail_out == 0) && output.count <= limit
        }
        guard output.count <= limit else {
            throw ForgeDataError(
                code: .sizeMismatch, message: "'\(name)' inflates to more than the \(limit) bytes it declares", file: path)
        }
        guard status == Z_STREAM_END else {
            throw ForgeDataError(
                code: status == Z_OK || status == Z_BUF_ERROR ? .truncated : .invalidValue,
                message:
                    "'\(name)': compressed data is \(status == Z_OK || status == Z_BUF_ERROR ? "truncated" : "corrupt")",
                file: path)
        }
        return output
    }
}
