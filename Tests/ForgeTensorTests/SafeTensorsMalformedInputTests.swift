import Foundation
import Testing

@testable import ForgeTensor

/// Hostile and broken safetensors files: each must be answered with its specific error code.
extension SafeTensorsTests {
    @Test(arguments: [0, 1, 7])
    func rejectsFilesShorterThanTheLengthPrefix(length: Int) {
        let valid = TensorFileFixtures.safetensors(header: Self.validHeader, data: Self.validData)
        expectFileError(.truncated) { _ = try SafeTensors.decode(valid.prefix(length)) }
    }

    @Test func rejectsTruncationInsideTheHeaderOrTheData() {
        let valid = TensorFileFixtures.safetensors(header: Self.validHeader, data: Self.validData)
        let dataStart = valid.count - Self.validData.count
        for cut in [8, 9, dataStart / 2, dataStart - 1] {
            expectFileError(.headerLengthExceedsFile) { _ = try SafeTensors.decode(valid.prefix(cut)) }
        }
        for cut in [dataStart, dataStart + 5, valid.count - 1] {
            let error = expectFileError(.offsetsOutOfRange) { _ = try SafeTensors.decode(valid.prefix(cut)) }
            #expect(error?.message.contains("end past the data buffer") == true)
        }
    }

    @Test func rejectsAHeaderLengthOf2To63() {
        var bytes = TensorBytes.littleEndianBytes(1 << 63, width: 8)
        bytes += Array(#"{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}"#.utf8) + [1]
        let error = expectFileError(.headerTooLarge) { _ = try SafeTensors.decode(Data(bytes)) }
        #expect(error?.byteOffset == 0)
        expectFileError(.headerTooLarge) {
            _ = try SafeTensors.decode(Data(TensorBytes.littleEndianBytes(100_000_001, width: 8)))
        }
    }

    @Test func rejectsAHeaderLengthLargerThanTheFile() {
        let bytes = TensorBytes.littleEndianBytes(1000, width: 8) + Array("{}".utf8)
        expectFileError(.headerLengthExceedsFile) { _ = try SafeTensors.decode(Data(bytes)) }
    }

    @Test(arguments: [
        "", "[]", " {}", #"{"a":}"#, #"{"a" 1}"#, #"{"a":{"dtype":"F32",}}"#, #"{"__metadata__":{"k":"v",}}"#,
        #"{"a":"unterminated}"#,
        #"{"a":{"dtype":"F32","shape":[01],"data_offsets":[0,4]}}"#, "{} x", #"{"a":{"x":tru}}"#,
        #"{"a":{"dtype":"U8","shape":[1,],"data_offsets":[0,1]}}"#, #"{'a':1}"#,
        #"{"a\q":1}"#, #"{"\ud800":1}"#, "{\"tab\tinside\":1}",
    ])
    func rejectsInvalidJSON(header: String) {
        expectDecodeError(.invalidHeader, header: header)
    }

    @Test func rejectsAHeaderThatIsNotUTF8() {
        var bytes = TensorBytes.littleEndianBytes(8, width: 8) + Array(#"{"":1}"#.utf8) + [0x20, 0x20]
        bytes[10] = 0xFF  // inside the key
        expectFileError(.invalidHeader) { _ = try SafeTensors.decode(Data(bytes)) }
    }

    @Test func rejectsNestingDeeperThanTheLimitInUnknownFields() {
        let deep = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        expectDecodeError(
            .invalidHeader, header: #"{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1],"x":\#(deep)}}"#, data: [1])
        let shallow = String(repeating: "[", count: 40) + String(repeating: "]", count: 40)
        let decoded = try? SafeTensors.decode(
            TensorFileFixtures.safetensors(
                header: #"{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1],"x":\#(shallow)}}"#, data: [1]))
        #expect(decoded?.tensors["a"]?.item(as: UInt8.self) == 1)
    }

    @Test(arguments: ["F16", "BF16", "F8_E4M3", "U16", "f32", ""])
    func rejectsUnknownDTypesNamingThem(name: String) {
        let error = expectDecodeError(
            .unknownDType, header: #"{"w":{"dtype":"\#(name)","shape":[2],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0])
        #expect(error?.message.contains("\"\(name)\"") == true)
        #expect(error?.tensorName == "w")
    }

    @Test func rejectsAShapeThatDoesNotMatchTheByteCount() {
        let error = expectDecodeError(
            .shapeSizeMismatch, header: #"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#,
            data: [UInt8](repeating: 0, count: 8))
        #expect(error?.message.contains("needs 12 bytes") == true)
    }

    @Test(arguments: [
        "[4294967296,4294967296,4294967296]", "[0,1099511627776,1099511627776]", "[18446744073709551615]",
        "[9223372036854775807,2]",
    ])
    func rejectsShapesWhoseSizeOverflows(shape: String) {
        expectDecodeError(
            .sizeOverflow, header: #"{"a":{"dtype":"F32","shape":\#(shape),"data_offsets":[0,8]}}"#,
            data: [UInt8](repeating: 0, count: 8))
    }

    @Test func rejectsOffsetsPastTheEndOrReversed() {
        expectDecodeError(
            .offsetsOutOfRange, header: #"{"a":{"dtype":"U8","shape":[4],"data_offsets":[0,4]}}"#, data: [1, 2])
        expectDecodeError(
            .offsetsOutOfRange,
            header: #"{"a":{"dtype":"U8","shape":[1],"data_offsets":[9223372036854775807,9223372036854775808]}}"#,
            data: [1])
        expectDecodeError(
            .offsetsOutOfRange, header: #"{"a":{"dtype":"U8","shape":[0],"data_offsets":[2,1]}}"#, data: [1, 2])
    }

    @Test func rejectsOverlappingTensors() {
        let header =
            #"{"a":{"dtype":"U8","shape":[4],"data_offsets":[0,4]},"b":{"dtype":"U8","shape":[4],"data_offsets":[2,6]}}"#
        let error = expectDecodeError(.overlappingOffsets, header: header, data: [UInt8](repeating: 1, count: 6))
        #expect(error?.tensorName == "b")
        let aliased =
            #"{"a":{"dtype":"U8","shape":[4],"data_offsets":[0,4]},"b":{"dtype":"I32","shape":[1],"data_offsets":[0,4]}}"#
        expectDecodeError(.overlappingOffsets, header: aliased, data: [UInt8](repeating: 1, count: 4))
    }

    @Test func rejectsHolesAndUnusedBytes() {
        let hole =
            #"{"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]},"b":{"dtype":"U8","shape":[2],"data_offsets":[3,5]}}"#
        let error = expectDecodeError(.bufferNotCovered, header: hole, data: [1, 2, 3, 4, 5])
        #expect(error?.message.contains("bytes 2..<3") == true)
        expectDecodeError(
            .bufferNotCovered, header: #"{"a":{"dtype":"U8","shape":[2],"data_offsets":[1,3]}}"#, data: [1, 2, 3])
        expectDecodeError(
            .bufferNotCovered, header: #"{"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]}}"#, data: [1, 2, 3])
        expectDecodeError(.bufferNotCovered, header: "{}", data: [0])
    }

    @Test func rejectsDuplicateNames() {
        let entry = #"{"dtype":"U8","shape":[1],"data_offsets":[0,1]}"#
        let error = expectDecodeError(.duplicateName, header: #"{"a":\#(entry),"a":\#(entry)}"#, data: [1])
        #expect(error?.tensorName == "a")
        expectDecodeError(
            .duplicateName, header: #"{"__metadata__":{"k":"1","k":"2"},"a":\#(entry)}"#, data: [1])
        expectDecodeError(.duplicateName, header: #"{"__metadata__":{},"__metadata__":{},"a":\#(entry)}"#, data: [1])
    }

    @Test(arguments: [
        #"{"a":{"shape":[1],"data_offsets":[0,1]}}"#, #"{"a":{"dtype":"U8","data_offsets":[0,1]}}"#,
        #"{"a":{"dtype":"U8","shape":[1]}}"#, #"{"a":{"dtype":8,"shape":[1],"data_offsets":[0,1]}}"#,
        #"{"a":{"dtype":"U8","shape":[-1],"data_offsets":[0,1]}}"#,
        #"{"a":{"dtype":"U8","shape":[1.0],"data_offsets":[0,1]}}"#,
        #"{"a":{"dtype":"U8","shape":"1","data_offsets":[0,1]}}"#,
        #"{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1,1]}}"#,
        #"{"a":{"dtype":"U8","shape":[1],"data_offsets":[1]}}"#,
        #"{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1e0]}}"#,
        #"{"a":{"dtype":"U8","dtype":"U8","shape":[1],"data_offsets":[0,1]}}"#, #"{"a":[1]}"#,
        #"{"__metadata__":{"k":1},"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}"#,
        #"{"__metadata__":["k"],"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}"#,
    ])
    func rejectsMissingOrInvalidFields(header: String) {
        expectDecodeError(.invalidField, header: header, data: [1])
    }

    @Test func rejectsMoreThan64Dimensions() {
        let shape = "[" + Array(repeating: "1", count: 65).joined(separator: ",") + "]"
        expectDecodeError(
            .invalidField, header: #"{"a":{"dtype":"U8","shape":\#(shape),"data_offsets":[0,1]}}"#, data: [1])
    }

    /// A few hundred corrupted variants of a valid file: decoding must throw a ``TensorFileError`` or
    /// succeed with tensors that match the header, never crash or throw anything else.
    @Test func survivesCorruptedFiles() throws {
        let tensors = [
            "weight": Tensor((0..<12).map { Float($0) }, shape: [3, 4]), "bias": Tensor([1, 2] as [Int64]),
            "mask": Tensor([true, false, true] as [Bool]), "step": Tensor(UInt8(3)),
        ]
        let valid = Array(try SafeTensors.encode(tensors, metadata: ["epoch": "1"]))
        let headerEnd = 8 + Int(TensorBytes.littleEndianInteger(valid.prefix(8)))
        var generator = FuzzGenerator(seed: 0x5AFE)
        var outcomes: [String: Int] = [:]
        for _ in 0..<400 {
            let variant = generator.mutate(valid, focus: headerEnd)
            do {
                let decoded = try SafeTensors.decode(Data(variant))
                let dataBytes = decoded.tensors.values.reduce(0) { $0 + $1.count * $1.dtype.byteSize }
                #expect(dataBytes <= variant.count)
                outcomes["decoded", default: 0] += 1
            } catch let error as TensorFileError {
                outcomes[error.code.rawValue, default: 0] += 1
            } catch {
                Issue.record("unexpected error type: \(error)")
            }
        }
        #expect(outcomes.values.reduce(0, +) == 400)
        #expect(outcomes.count >= 6, "the variants should exercise many checks: \(outcomes)")
    }
}
