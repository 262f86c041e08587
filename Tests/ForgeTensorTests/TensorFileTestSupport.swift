import Foundation
import Testing

@testable import ForgeTensor

/// Helpers shared by the safetensors, `.npy` and Python interop tests.
enum TensorFileFixtures {
    /// One tensor per dtype, with the edge values of each type (NaN, ±∞, −0, extremes).
    static var everyDType: [String: Tensor] {
        [
            "float32": Tensor(
                [
                    0, -0.0, 1.5, -2.25, .infinity, -.infinity, .nan, .greatestFiniteMagnitude, .leastNonzeroMagnitude,
                    3.14159,
                ]
                    as [Float], shape: [2, 5]),
            "float64": Tensor(
                [0, -0.0, 1e-300, -2.5, .infinity, -.infinity, .nan, .greatestFiniteMagnitude, .pi, -1 / 3] as [Double],
                shape: [5, 2]),
            "int32": Tensor([Int32.min, -1, 0, 1, Int32.max, 123_456] as [Int32], shape: [3, 2]),
            "int64": Tensor([Int64.min, -1, 0, 1, Int64.max, 1 << 40] as [Int64], shape: [6]),
            "bool": Tensor([true, false, false, true, true] as [Bool], shape: [5]),
            "int8": Tensor([-128, -1, 0, 1, 127] as [Int8], shape: [5, 1]),
            "uint8": Tensor([0, 1, 127, 128, 255] as [UInt8], shape: [1, 5]),
        ]
    }

    /// Tensors whose layout is unusual: 0-d, zero-size dimensions and non-contiguous views.
    static var unusualLayouts: [String: Tensor] {
        let grid = Tensor((0..<24).map { Float($0) - 11.5 }, shape: [2, 3, 4])
        return [
            "scalar": Tensor(Float(-7.25)),
            "scalarBool": Tensor(true),
            "empty": Tensor.zeros(shape: [0, 3], dtype: .float64),
            "emptyMiddle": Tensor.zeros(shape: [2, 0, 4], dtype: .int32),
            "transposed": grid.permuted(2, 0, 1),
            "narrowed": grid.narrowed(axis: 2, start: 1, length: 2),
            "offsetView": Tensor((0..<10).map { Int64($0 * 3) }).narrowed(axis: 0, start: 4, length: 5),
            "broadcast": Tensor([1, 2, 3] as [Int8]).expanded(to: [2, 3]),
        ]
    }

    /// The little-endian row-major bytes of `tensor`.
    static func bytes(of tensor: Tensor) -> [UInt8] {
        TensorBytes.withLittleEndianBytes(of: tensor) { Array($0) }
    }

    /// The bytes of a safetensors file with `header` as its JSON text (unpadded) and `data` as its buffer.
    static func safetensors(header: String, data: [UInt8] = []) -> Data {
        let json = Array(header.utf8)
        return Data(TensorBytes.littleEndianBytes(UInt64(json.count), width: 8) + json + data)
    }

    /// The bytes of a `.npy` file of version `major.minor` with `header` as its dict text (unpadded).
    static func npy(_ header: String, data: [UInt8] = [], major: UInt8 = 1, minor: UInt8 = 0) -> Data {
        let text = Array(header.utf8)
        let width = major == 1 ? 2 : 4
        return Data(
            [0x93] + Array("NUMPY".utf8) + [major, minor]
                + TensorBytes.littleEndianBytes(UInt64(text.count), width: width) + text + data)
    }

    /// A fresh, empty temporary directory.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("forge-files-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// Expects `a` and `b` to have the same dtype, shape and bit-for-bit elements.
func expectSameTensor(
    _ a: Tensor?, _ b: Tensor, _ name: String = "", sourceLocation: SourceLocation = #_sourceLocation
) {
    guard let a else {
        Issue.record("tensor \(name) is missing", sourceLocation: sourceLocation)
        return
    }
    #expect(a.dtype == b.dtype, "dtype of \(name)", sourceLocation: sourceLocation)
    #expect(a.shape == b.shape, "shape of \(name)", sourceLocation: sourceLocation)
    if a.dtype == b.dtype && a.shape == b.shape {
        #expect(
            TensorFileFixtures.bytes(of: a) == TensorFileFixtures.bytes(of: b), "elements of \(name)",
            sourceLocation: sourceLocation)
    }
}

/// Runs `body` and expects it to throw a ``TensorFileError`` with `code`; returns the error.
@discardableResult
func expectFileError(
    _ code: TensorFileError.Code, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void
) -> TensorFileError? {
    do {
        try body()
        Issue.record("expected TensorFileError .\(code), but nothing was thrown", sourceLocation: sourceLocation)
    } catch let error as TensorFileError {
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        return error
    } catch {
        Issue.record("expected TensorFileError .\(code), got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}

/// A deterministic generator (SplitMix64) for the fuzz loops.
struct FuzzGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A value in `0..<bound`.
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    /// `bytes` with a few bytes changed and possibly cut short; `focus` bytes at the start are hit
    /// more often (the header, where the reader's decisions are).
    mutating func mutate(_ bytes: [UInt8], focus: Int) -> [UInt8] {
        var result = bytes
        for _ in 0...below(3) where !result.isEmpty {
            let position = below(2) == 0 ? below(min(focus, result.count)) : below(result.count)
            switch below(4) {
            case 0: result[position] ^= UInt8(truncatingIfNeeded: 1 << below(8))
            case 1: result[position] = UInt8(truncatingIfNeeded: next())
            case 2:
                result[position] = [0x22, 0x2C, 0x5B, 0x5D, 0x7B, 0x7D, 0x30, 0x39, 0x27, 0x28, 0x29, 0xFF][below(12)]
            default: result.removeSubrange(position...)
            }
        }
        return result
    }
}
