import Foundation
import Testing

@testable import ForgeTensor

/// Hostile and broken `.npy` files: each must be answered with its specific error code.
extension NumPyFileTests {
    static let validHeader = "{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }"

    @Test func rejectsABadMagic() {
        for bytes in [
            Array("NUMPY\u{1}\u{0}".utf8), [0x93] + Array("NUMPX".utf8) + [1, 0, 0, 0], Array("PK\u{3}\u{4}".utf8),
        ] {
            expectFileError(.invalidMagic) { _ = try NumPyFile.decode(Data(bytes)) }
        }
    }

    @Test func rejectsTruncationAtEveryStage() throws {
        let valid = TensorFileFixtures.npy(Self.validHeader, data: [1, 0, 0, 0, 2, 0, 0, 0])
        let headerEnd = valid.count - 8
        let expectations: [(cut: Int, code: TensorFileError.Code)] = [
            (0, .truncated), (3, .truncated), (7, .truncated), (9, .truncated),
            (10, .headerLengthExceedsFile), (headerEnd - 1, .headerLengthExceedsFile),
            (headerEnd, .truncated), (headerEnd + 5, .truncated), (valid.count - 1, .truncated),
        ]
        for (cut, code) in expectations {
            expectFileError(code) { _ = try NumPyFile.decode(valid.prefix(cut)) }
        }
        #expect(try NumPyFile.decode(valid).scalars(as: Int32.self) == [1, 2])
    }

    @Test(arguments: [(UInt8(0), UInt8(0)), (1, 1), (4, 0), (255, 255)])
    func rejectsUnsupportedVersions(major: UInt8, minor: UInt8) {
        let error = expectDecodeError(.unsupportedVersion, header: Self.validHeader, major: major, minor: minor)
        #expect(error?.message.contains("\(major).\(minor)") == true)
    }

    @Test func rejectsHugeHeaderLengths() {
        var bytes = [0x93] + Array("NUMPY".utf8) + [2, 0] + TensorBytes.littleEndianBytes(0xFFFF_FFFF, width: 4)
        bytes += Array(Self.validHeader.utf8)
        expectFileError(.headerTooLarge) { _ = try NumPyFile.decode(Data(bytes)) }
        let short = [0x93] + Array("NUMPY".utf8) + [1, 0] + TensorBytes.littleEndianBytes(500, width: 2) + [0x7B]
        expectFileError(.headerLengthExceedsFile) { _ = try NumPyFile.decode(Data(short)) }
    }

    @Test(arguments: [
        "{'descr': '<i4', 'fortran_order': False, 'shape': (2,), ", "{'descr': <i4}", "__import__('os').system('x')",
        "{'descr': '<i4', 'fortran_order': False, 'shape': (2.5,), }", "{'descr' '<i4'}", "{'descr': '<i4\n'}",
        "{'descr': '<i4', 'fortran_order': Falsey, 'shape': (2,), }", "{'descr': '<i4',, }", "{} {}", "",
        "{'descr': '<i4', 'fortran_order': False, 'shape': (,), }", "{'a': '\\q'}",
        "{'descr': '<i4', 'fortran_order': False, 'shape': 2 + 3, }",
    ])
    func rejectsInvalidHeaderLiterals(header: String) {
        expectDecodeError(.invalidHeader, header: header, data: [1, 0, 0, 0, 2, 0, 0, 0])
    }

    @Test func rejectsDeeplyNestedLiterals() {
        let deep = String(repeating: "(", count: 200) + String(repeating: ")", count: 200)
        expectDecodeError(.invalidHeader, header: "{'descr': \(deep)}")
    }

    @Test(arguments: [
        "{'fortran_order': False, 'shape': (2,), }", "{'descr': '<i4', 'shape': (2,), }",
        "{'descr': '<i4', 'fortran_order': False, }", "{'descr': '<i4', 'fortran_order': False, 'shape': (2,), 'x': 1}",
        "{'descr': '<i4', 'descr': '<i4', 'fortran_order': False, 'shape': (2,), }",
        "{'descr': '<i4', 'fortran_order': 0, 'shape': (2,), }",
        "{'descr': '<i4', 'fortran_order': False, 'shape': [2], }",
        "{'descr': '<i4', 'fortran_order': False, 'shape': (2), }",
        "{'descr': '<i4', 'fortran_order': False, 'shape': (-2,), }",
        "{'descr': '<i4', 'fortran_order': False, 'shape': ('2',), }",
        "{'descr': 4, 'fortran_order': False, 'shape': (2,)}",
        "{1: '<i4', 'fortran_order': False, 'shape': (2,)}", "('<i4', False, (2,))", "None",
    ])
    func rejectsMissingOrInvalidFields(header: String) {
        expectDecodeError(.invalidField, header: header, data: [1, 0, 0, 0, 2, 0, 0, 0])
    }

    @Test(arguments: ["<f2", "<c8", "|O", "<U5", "<u4", "<i2", "|V8", ">f16", "<M8[ns]", "|S3"])
    func rejectsUnsupportedDTypesNamingThem(descr: String) {
        let error = expectDecodeError(
            .unknownDType, header: "{'descr': '\(descr)', 'fortran_order': False, 'shape': (2,), }",
            data: [1, 0, 0, 0, 2, 0, 0, 0])
        #expect(error?.message.contains("'\(descr)'") == true)
    }

    @Test func rejectsStructuredDTypes() {
        expectDecodeError(
            .unknownDType, header: "{'descr': [('x', '<f4'), ('y', '<f4')], 'fortran_order': False, 'shape': (1,), }",
            data: [UInt8](repeating: 0, count: 8))
    }

    @Test(arguments: [
        "(4294967296, 4294967296, 4294967296)", "(0, 1099511627776, 1099511627776)", "(99999999999999999999,)",
        "(9223372036854775807,)",
    ])
    func rejectsShapesWhoseSizeOverflows(shape: String) {
        expectDecodeError(
            .sizeOverflow, header: "{'descr': '<i4', 'fortran_order': False, 'shape': \(shape), }",
            data: [1, 0, 0, 0, 2, 0, 0, 0])
    }

    @Test func rejectsMoreThan64Dimensions() {
        let shape = "(" + Array(repeating: "1", count: 65).joined(separator: ", ") + ")"
        expectDecodeError(
            .invalidField, header: "{'descr': '|u1', 'fortran_order': False, 'shape': \(shape), }", data: [1])
    }

    @Test func rejectsDataLongerThanTheShape() {
        let error = expectDecodeError(.shapeSizeMismatch, header: Self.validHeader, data: [1, 0, 0, 0, 2, 0, 0, 0, 3])
        #expect(error?.message.contains("needs 8 data bytes, but 9") == true)
    }

    /// A few hundred corrupted variants of a valid file: decoding must throw a ``TensorFileError`` or
    /// succeed, never crash or throw anything else.
    @Test func survivesCorruptedFiles() {
        let valid = Array(NumPyFile.encode(Tensor((0..<12).map { Double($0) * 0.5 }, shape: [3, 4]).transposed()))
        var generator = FuzzGenerator(seed: 0x4E50)
        var outcomes: [String: Int] = [:]
        for _ in 0..<400 {
            let variant = generator.mutate(valid, focus: 128)
            do {
                let tensor = try NumPyFile.decode(Data(variant))
                #expect(tensor.count * tensor.dtype.byteSize <= variant.count)
                outcomes["decoded", default: 0] += 1
            } catch let error as TensorFileError {
                outcomes[error.code.rawValue, default: 0] += 1
            } catch {
                Issue.record("unexpected error type: \(error)")
            }
        }
        #expect(outcomes.values.reduce(0, +) == 400)
        #expect(outcomes.count >= 5, "the variants should exercise many checks: \(outcomes)")
    }
}
