import Foundation
import Testing

@testable import ForgeTensor

@Suite("NumPy .npy files")
struct NumPyFileTests {
    /// Decodes a `.npy` file with `header` and `data`, expecting `code`.
    @discardableResult
    func expectDecodeError(
        _ code: TensorFileError.Code, header: String, data: [UInt8] = [], major: UInt8 = 1, minor: UInt8 = 0,
        sourceLocation: SourceLocation = #_sourceLocation
    ) -> TensorFileError? {
        expectFileError(code, sourceLocation: sourceLocation) {
            _ = try NumPyFile.decode(TensorFileFixtures.npy(header, data: data, major: major, minor: minor))
        }
    }

    /// Decodes a `.npy` file with `header` and `data`.
    func decode(_ header: String, data: [UInt8], major: UInt8 = 1) throws -> Tensor {
        try NumPyFile.decode(TensorFileFixtures.npy(header, data: data, major: major))
    }

    // MARK: - Round trips and exact bytes

    @Test func roundTripsEveryDTypeAndLayout() throws {
        let tensors = TensorFileFixtures.everyDType.merging(TensorFileFixtures.unusualLayouts) { first, _ in first }
        for (name, tensor) in tensors {
            let data = NumPyFile.encode(tensor)
            let headerLength = Int(TensorBytes.littleEndianInteger(data[8..<10]))
            #expect((10 + headerLength) % 64 == 0, "data of \(name) starts 64-byte aligned")
            #expect(data[10 + headerLength - 1] == 0x0A, "header of \(name) ends with a newline")
            expectSameTensor(try NumPyFile.decode(data), tensor, name)
        }
    }

    @Test func writesTheExactBytesNumPyWrites() {
        let data = NumPyFile.encode(Tensor([1, 2, 3] as [Float]))
        // Magic, version 1.0, header length 118; the dict, 20 spaces NumPy reserves for the first
        // dimension to grow to 21 digits, 40 spaces of alignment padding and a newline; then the data.
        let dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }"
        var expected: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 0x01, 0x00, 0x76, 0x00]
        expected += Array(dict.utf8) + Array(repeating: 0x20, count: 60) + [0x0A]
        expected += [0, 0, 0x80, 0x3F, 0, 0, 0, 0x40, 0, 0, 0x40, 0x40]
        #expect(Array(data) == expected)
        #expect(data.count == 140)

        let scalar = NumPyFile.encode(Tensor(true))
        let scalarDict = "{'descr': '|b1', 'fortran_order': False, 'shape': (), }"
        let expectedScalar =
            [0x93] + Array("NUMPY".utf8) + [1, 0, 0x76, 0] + Array(scalarDict.utf8)
            + Array(repeating: 0x20, count: 118 - scalarDict.utf8.count - 1) + [0x0A, 0x01]
        #expect(Array(scalar) == expectedScalar)
    }

    @Test func readsWhatItWritesThroughFiles() throws {
        let directory = try TensorFileFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("array.npy")
        try NumPyFile.write(Tensor([9] as [UInt8]), to: url)
        let tensor = Tensor((0..<6).map { Double($0) / 4 }, shape: [2, 3]).transposed()
        try NumPyFile.write(tensor, to: url)
        expectSameTensor(try NumPyFile.read(from: url), tensor)
        #expect(try Data(contentsOf: url) == NumPyFile.encode(tensor))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["array.npy"])

        let missing = directory.appendingPathComponent("missing.npy")
        let error = expectFileError(.fileNotFound) { _ = try NumPyFile.read(from: missing) }
        #expect(error?.path == missing.path)
        let blocked = directory.appendingPathComponent("array.npy/inside.npy")
        expectFileError(.io) { try NumPyFile.write(tensor, to: blocked) }
    }

    // MARK: - Header dialects

    @Test(arguments: [
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (), }", [Int]()),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", [3]),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 3), }", [1, 3]),
        ("{'shape': (3, 1,), 'fortran_order': False, 'descr': '<f4'}", [3, 1]),
        ("{\"descr\": \"<f4\", \"fortran_order\": False, \"shape\": (3L,)}", [3]),
        ("  {  'descr':'<f4','fortran_order':False,'shape':( 1 , 1 , 3 )  }  \n", [1, 1, 3]),
    ])
    func parsesHeaderDialects(header: String, shape: [Int]) throws {
        let count = shape.reduce(1, *)
        let floatBytes: [UInt8] = [0, 0, 0x80, 0x3F, 0, 0, 0, 0x40, 0, 0, 0x40, 0x40]  // 1, 2, 3
        let tensor = try decode(header, data: Array(floatBytes.prefix(4 * count)))
        #expect(tensor.shape == shape)
        #expect(tensor.scalars(as: Float.self) == Array([1, 2, 3].prefix(count)))
    }

    @Test func readsFormatVersions2And3() throws {
        let header = "{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }\n"
        let data: [UInt8] = [5, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]
        #expect(try decode(header, data: data, major: 2).scalars(as: Int64.self) == [5, -1])
        #expect(try decode(header, data: data, major: 3).scalars(as: Int64.self) == [5, -1])
    }

    @Test func byteSwapsBigEndianData() throws {
        let floats = try decode(
            "{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }", data: [0x3F, 0x80, 0, 0, 0xC0, 0, 0, 0])
        #expect(floats.scalars(as: Float.self) == [1, -2])
        let integers = try decode(
            "{'descr': '>i8', 'fortran_order': False, 'shape': (1,), }", data: [0, 0, 0, 0, 0, 0, 0x01, 0x02])
        #expect(integers.scalars(as: Int64.self) == [258])
        let bytes = try decode("{'descr': '>u1', 'fortran_order': False, 'shape': (2,), }", data: [1, 200])
        #expect(bytes.scalars(as: UInt8.self) == [1, 200])
        let native = try decode("{'descr': '=i4', 'fortran_order': False, 'shape': (1,), }", data: [1, 1, 0, 0])
        #expect(native.scalars(as: Int32.self) == [257])
    }

    @Test func transposesFortranOrderData() throws {
        // The 2×3 matrix [[0, 1, 2], [3, 4, 5]] stored column-major: 0 3 1 4 2 5.
        let matrix = try decode(
            "{'descr': '|i1', 'fortran_order': True, 'shape': (2, 3), }", data: [0, 3, 1, 4, 2, 5])
        #expect(matrix.shape == [2, 3])
        #expect(matrix.isContiguous)
        #expect(matrix.scalars(as: Int8.self) == [0, 1, 2, 3, 4, 5])
        // A 2×3×2 array with element [i, j, k] = 100i + 10j + k, column-major (i fastest).
        var columnMajor: [Int32] = []
        for k in 0..<2 { for j in 0..<3 { for i in 0..<2 { columnMajor.append(Int32(100 * i + 10 * j + k)) } } }
        let bytes = columnMajor.flatMap { value in (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
        let cube = try decode("{'descr': '<i4', 'fortran_order': True, 'shape': (2, 3, 2), }", data: bytes)
        #expect(cube.shape == [2, 3, 2])
        #expect(cube.element(at: [1, 2, 0], as: Int32.self) == 120)
        #expect(cube.scalars(as: Int32.self) == [0, 1, 10, 11, 20, 21, 100, 101, 110, 111, 120, 121])
        let vector = try decode("{'descr': '|u1', 'fortran_order': True, 'shape': (3,), }", data: [7, 8, 9])
        #expect(vector.scalars(as: UInt8.self) == [7, 8, 9])
    }

    @Test func mapsEveryNonZeroBoolByteToTrue() throws {
        let mask = try decode("{'descr': '|b1', 'fortran_order': False, 'shape': (3,), }", data: [0, 2, 1])
        #expect(mask.scalars(as: Bool.self) == [false, true, true])
        #expect(TensorFileFixtures.bytes(of: mask) == [0, 1, 1])
    }
}
