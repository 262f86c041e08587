import Foundation
import Testing

@testable import ForgeTensor

@Suite("safetensors files")
struct SafeTensorsTests {
    /// A valid two-tensor header over a 12-byte buffer: a = F32[2] at 0..<8, b = I32[1] at 8..<12.
    static let validHeader =
        #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"I32","shape":[1],"data_offsets":[8,12]}}"#
    static let validData: [UInt8] = [0, 0, 0x80, 0x3F, 0, 0, 0, 0xC0, 7, 0, 0, 0]

    /// Decodes a file with `header` and `data`, expecting `code`.
    @discardableResult
    func expectDecodeError(
        _ code: TensorFileError.Code, header: String, data: [UInt8] = [],
        sourceLocation: SourceLocation = #_sourceLocation
    ) -> TensorFileError? {
        expectFileError(code, sourceLocation: sourceLocation) {
            _ = try SafeTensors.decode(TensorFileFixtures.safetensors(header: header, data: data))
        }
    }

    // MARK: - Round trips

    @Test func roundTripsEveryDType() throws {
        let tensors = TensorFileFixtures.everyDType
        let decoded = try SafeTensors.decode(try SafeTensors.encode(tensors))
        #expect(decoded.tensors.count == tensors.count)
        #expect(decoded.metadata.isEmpty)
        for (name, tensor) in tensors { expectSameTensor(decoded.tensors[name], tensor, name) }
        #expect(decoded.tensors["int64"]?.scalars(as: Int64.self) == [Int64.min, -1, 0, 1, Int64.max, 1 << 40])
        #expect(decoded.tensors["float32"]?.scalars(as: Float.self)[6].isNaN == true)
    }

    @Test func roundTripsScalarsEmptyTensorsAndViews() throws {
        let tensors = TensorFileFixtures.unusualLayouts
        let decoded = try SafeTensors.decode(try SafeTensors.encode(tensors)).tensors
        for (name, tensor) in tensors { expectSameTensor(decoded[name], tensor, name) }
        #expect(decoded["scalar"]?.shape == [])
        #expect(decoded["scalar"]?.item(as: Float.self) == -7.25)
        #expect(decoded["transposed"]?.isContiguous == true)
        #expect(decoded["transposed"]?.element(at: [3, 1, 2], as: Float.self) == 11.5)
        #expect(decoded["offsetView"]?.scalars(as: Int64.self) == [12, 15, 18, 21, 24])
        #expect(decoded["broadcast"]?.scalars(as: Int8.self) == [1, 2, 3, 1, 2, 3])
    }

    @Test func roundTripsMetadataWithEscapes() throws {
        let metadata = [
            "format": "pt", "quote\"and\\backslash": "line\nbreak\ttab", "unicode": "é ∑ 🚀", "control": "\u{01}\u{1F}",
            "empty": "",
        ]
        let data = try SafeTensors.encode(["x": Tensor([1] as [Float])], metadata: metadata)
        let decoded = try SafeTensors.decode(data)
        #expect(decoded.metadata == metadata)
        let header = String(decoding: data[8..<data.count - 4], as: UTF8.self)
        #expect(header.contains(#""control":"\u0001\u001f""#))
        #expect(header.contains(#""quote\"and\\backslash":"line\nbreak\ttab""#))
    }

    @Test func writesTheExactBytesOfTheFormat() throws {
        let tensors = ["b": Tensor(rows: [[7]] as [[UInt8]]), "a": Tensor([1, -2] as [Float])]
        let data = try SafeTensors.encode(tensors, metadata: ["k": "v"])
        // 133 bytes of JSON + 3 spaces of padding = 136 = 0x88; then F32 1, -2 and U8 7, little-endian.
        // (The Python safetensors library writes the same bytes for the same arrays.)
        let json =
            #"{"__metadata__":{"k":"v"},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"#
            + #""b":{"dtype":"U8","shape":[1,1],"data_offsets":[8,9]}}"# + "   "
        let expected: [UInt8] =
            [0x88, 0, 0, 0, 0, 0, 0, 0] + Array(json.utf8) + [0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0xC0, 0x07]
        #expect(Array(data) == expected)
    }

    @Test func ordersTensorsByNameBytesAndPadsTheHeader() throws {
        let tensors = ["é": Tensor([1] as [UInt8]), "b": Tensor([2] as [UInt8]), "B": Tensor([3] as [UInt8])]
        let data = try SafeTensors.encode(tensors)
        let headerLength = Int(TensorBytes.littleEndianInteger(data.prefix(8)))
        #expect(headerLength % 8 == 0)
        #expect(Array(data.suffix(3)) == [3, 2, 1])  // "B" < "b" < "é" in UTF-8 byte order
        let header = String(decoding: data[8..<8 + headerLength], as: UTF8.self)
        #expect(header.hasPrefix(#"{"B":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}"#))
    }

    @Test func readsWhatItWritesThroughFiles() throws {
        let directory = try TensorFileFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("model.safetensors")
        try SafeTensors.write(["old": Tensor([1] as [Float])], to: url)
        let tensors = TensorFileFixtures.everyDType
        try SafeTensors.write(tensors, metadata: ["epoch": "3"], to: url)  // replaces the old file
        let read = try SafeTensors.read(from: url)
        #expect(read.metadata == ["epoch": "3"])
        #expect(read.tensors.count == tensors.count)
        for (name, tensor) in tensors { expectSameTensor(read.tensors[name], tensor, name) }
        #expect(try Data(contentsOf: url) == SafeTensors.encode(tensors, metadata: ["epoch": "3"]))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        #expect(leftovers == ["model.safetensors"], "no temporary file may remain")
    }

    @Test func reportsFileErrorsWithThePath() throws {
        let directory = try TensorFileFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let missing = directory.appendingPathComponent("missing.safetensors")
        let notFound = expectFileError(.fileNotFound) { _ = try SafeTensors.read(from: missing) }
        #expect(notFound?.path == missing.path)
        let inMissingDirectory = directory.appendingPathComponent("no/such/dir/model.safetensors")
        let io = expectFileError(.io) { try SafeTensors.write(["x": Tensor([1] as [Float])], to: inMissingDirectory) }
        #expect(io?.path == inMissingDirectory.path)
        let isDirectory = expectFileError(.io) { _ = try SafeTensors.read(from: directory) }
        #expect(isDirectory?.path == directory.path)
        let malformed = directory.appendingPathComponent("bad.safetensors")
        try TensorFileFixtures.safetensors(
            header: #"{"x":{"dtype":"F16","shape":[1],"data_offsets":[0,2]}}"#, data: [0, 0]
        )
        .write(to: malformed)
        let error = expectFileError(.unknownDType) { _ = try SafeTensors.read(from: malformed) }
        #expect(error?.path == malformed.path)
        #expect(error?.tensorName == "x")
        #expect(error?.description.contains(malformed.path) == true)
    }

    @Test func rejectsAReservedTensorName() {
        expectFileError(.invalidName) { _ = try SafeTensors.encode(["__metadata__": Tensor([1] as [Float])]) }
    }

    // MARK: - Accepted variations

    @Test func acceptsPythonLayoutsAndExtras() throws {
        // Whitespace, fields in another order, unknown fields, null metadata, zero-size tensors sharing an offset.
        let header = """
            { "b" : { "data_offsets" : [8, 12], "shape": [1], "dtype": "I32", "extra": {"nested": [1, [2.5e3, null]]} },
              "__metadata__": null, "e1": {"dtype":"F64","shape":[0,7],"data_offsets":[8,8]},
              "e2": {"dtype":"F64","shape":[3,0],"data_offsets":[8,8]},
              "a": {"dtype":"F32","shape":[2],"data_offsets":[0,8]} }\t\n
            """
        let decoded = try SafeTensors.decode(TensorFileFixtures.safetensors(header: header, data: Self.validData))
        #expect(decoded.tensors["a"]?.scalars(as: Float.self) == [1, -2])
        #expect(decoded.tensors["b"]?.scalars(as: Int32.self) == [7])
        #expect(decoded.tensors["e1"]?.shape == [0, 7])
        #expect(decoded.tensors["e2"]?.shape == [3, 0])
        #expect(decoded.metadata.isEmpty)
    }

    @Test func mapsEveryNonZeroBoolByteToTrue() throws {
        let header = #"{"m":{"dtype":"BOOL","shape":[4],"data_offsets":[0,4]}}"#
        let decoded = try SafeTensors.decode(TensorFileFixtures.safetensors(header: header, data: [0, 1, 2, 255]))
        let mask = try #require(decoded.tensors["m"])
        #expect(mask.scalars(as: Bool.self) == [false, true, true, true])
        #expect(TensorFileFixtures.bytes(of: mask) == [0, 1, 1, 1])
    }

    @Test func decodesEscapedNamesAndSurrogatePairs() throws {
        let header = #"{"w\u00e9\ud83d\ude80\n":{"dtype":"U8","shape":[],"data_offsets":[0,1]}}"#
        let decoded = try SafeTensors.decode(TensorFileFixtures.safetensors(header: header, data: [9]))
        #expect(decoded.tensors["wé🚀\n"]?.item(as: UInt8.self) == 9)
    }
}
