import Foundation
import Testing

@testable import ForgeTracking

@Suite("TensorBoard encoding")
struct TensorBoardEncodingTests {
    /// Bit-at-a-time CRC-32C: the oracle for the sliced implementation.
    static func referenceCRC32C(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
        }
        return ~crc
    }

    static func hex(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2)
            bytes.append(UInt8(text[index..<next], radix: 16)!)
            index = next
        }
        return bytes
    }

    @Test("CRC-32C matches the published check values")
    func knownVectors() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        #expect(CRC32C.checksum([UInt8]()) == 0)
        // RFC 3720 (iSCSI) appendix B.4 vectors.
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
        #expect(CRC32C.checksum((0..<32).map { UInt8($0) }) == 0x46DD_794E)
        #expect(CRC32C.checksum((0..<32).map { UInt8(31 - $0) }) == 0x113F_DB5C)
    }

    @Test("sliced CRC-32C equals the bitwise reference at every length and alignment")
    func slicingMatchesReference() {
        var generator = SystemRandomNumberGenerator()
        let data = (0..<300).map { _ in UInt8.random(in: 0...255, using: &generator) }
        for start in 0..<8 {
            for length in stride(from: 0, through: 280, by: 7) {
                let slice = Array(data[start..<(start + length)])
                #expect(CRC32C.checksum(slice) == Self.referenceCRC32C(slice), "start \(start) length \(length)")
            }
        }
    }

    @Test("masked CRC matches TensorBoard's masked_crc32c")
    func masking() {
        // masked_crc32c of the 8-byte length 24, from tensorboard's record writer.
        #expect(CRC32C.masked(CRC32C.checksum([24, 0, 0, 0, 0, 0, 0, 0])) == 0x224B_7FA3)
        #expect(CRC32C.masked(0) == 0xA282_EAD8)
    }

    @Test("events and records are byte-identical to tensorboard's Python writer")
    func byteExactEvents() {
        // Bytes from tensorboard 2.21: event_pb2.Event(...).SerializeToString() framed by RecordWriter.
        let versionEvent = TensorBoardEncoding.event(
            wallTime: 1_700_000_000.5, step: 0, fileVersion: TensorBoardEncoding.fileVersion)
        #expect(versionEvent == Self.hex("0900002040fc54d9411a0d627261696e2e4576656e743a32"))
        let scalarEvent = TensorBoardEncoding.event(
            wallTime: 1_700_000_001.25, step: 3, summary: TensorBoardEncoding.scalarSummary(tag: "loss", value: 0.25))
        #expect(scalarEvent == Self.hex("0900005040fc54d94110032a0d0a0b0a046c6f7373150000803e"))
        let file = TensorBoardEncoding.record(versionEvent) + TensorBoardEncoding.record(scalarEvent)
        #expect(
            file
                == Self.hex(
                    "1800000000000000a37f4b220900002040fc54d9411a0d627261696e2e4576656e743a322b3531101a00000000000000"
                        + "129bd82d0900005040fc54d94110032a0d0a0b0a046c6f7373150000803e4b9d3371"))
    }

    @Test("hparams session start encodes a protobuf map entry per value")
    func hparamsSessionStart() {
        // One entry of Python's serialization of SessionStartInfo.hparams["lr"].number_value = 0.001.
        let bytes = TensorBoardEncoding.hparamsSessionStart(
            hyperparameters: [(name: "lr", value: .number(0.001))], startTime: 1_700_000_000)
        #expect(bytes == Self.hex("1a1a0a0f0a026c72120911fca9f1d24d62503f2900000040fc54d941"))
    }

    @Test("parameters become typed hyperparameters")
    func hyperparameterParsing() {
        #expect(TensorBoardHyperparameter(parameter: "0.001") == .number(0.001))
        #expect(TensorBoardHyperparameter(parameter: "true") == .bool(true))
        #expect(TensorBoardHyperparameter(parameter: "adam") == .string("adam"))
        #expect(TensorBoardHyperparameter(parameter: "inf") == .string("inf"))
    }

    @Test("writer frames records that a reader can walk and verify")
    func writerFraming() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("forge-tb-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let writer = try TensorBoardWriter(
            directory: directory, creationTime: Date(timeIntervalSince1970: 1_700_000_000))
        for step in 0..<2000 { try writer.addScalar(tag: "loss", value: 1 / Double(step + 1), step: step) }
        try writer.close()
        #expect(writer.fileURL.lastPathComponent.hasPrefix("events.out.tfevents.1700000000."))
        #expect(throws: TrackingError.self) { try writer.addScalar(tag: "loss", value: 0, step: 0) }
        let bytes = [UInt8](try Data(contentsOf: writer.fileURL))
        var offset = 0
        var records = 0
        while offset < bytes.count {
            let lengthBytes = Array(bytes[offset..<offset + 8])
            let length = lengthBytes.enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
            let lengthCRC = bytes[offset + 8..<offset + 12].enumerated().reduce(UInt32(0)) {
                $0 | UInt32($1.element) << (8 * UInt32($1.offset))
            }
            #expect(lengthCRC == CRC32C.masked(CRC32C.checksum(lengthBytes)))
            let data = Array(bytes[offset + 12..<offset + 12 + length])
            let dataCRC = bytes[offset + 12 + length..<offset + 16 + length].enumerated().reduce(UInt32(0)) {
                $0 | UInt32($1.element) << (8 * UInt32($1.offset))
            }
            #expect(dataCRC == CRC32C.masked(CRC32C.checksum(data)))
            offset += 16 + length
            records += 1
        }
        #expect(offset == bytes.count)
        #expect(records == 2001)
    }

    @Test("unwritable directories and missing runs are reported as TrackingErrors")
    func errors() async throws {
        #expect(throws: TrackingError.self) {
            _ = try TensorBoardWriter(directory: URL(fileURLWithPath: "/proc/forge-no"))
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("forge-tb-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        await #expect(throws: TrackingError.runNotFound("missing")) {
            try await TensorBoardExporter.export(run: "missing", from: InMemoryTrackingStore(), to: directory)
        }
    }
}
