import Foundation
import Testing

@testable import ForgeTensor

/// The Python interpreter the interop tests run: `FORGE_PYTHON`, which must have numpy and safetensors.
enum InteropPython {
    /// The value of `FORGE_PYTHON`, when set and not empty.
    static let path: String? = ProcessInfo.processInfo.environment["FORGE_PYTHON"].flatMap { $0.isEmpty ? nil : $0 }

    /// Whether this is a CI run (`CI=true`), where a missing Python is a failure rather than a skip.
    static let isCI = ProcessInfo.processInfo.environment["CI"] == "true"

    /// Whether the interop suite runs: always in CI (so a missing Python fails), locally only when
    /// `FORGE_PYTHON` is set.
    static var shouldRun: Bool { path != nil || isCI }

    /// The interpreter's path, or a recorded failure saying how to provide one.
    static func require(sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let path = try #require(
            path,
            "CI=true but FORGE_PYTHON is not set: point it at a Python with numpy and safetensors (the test script creates .venv/bin/python)",
            sourceLocation: sourceLocation)
        try #require(
            FileManager.default.isExecutableFile(atPath: path), "FORGE_PYTHON=\(path) is not an executable file",
            sourceLocation: sourceLocation)
        return path
    }

    /// Runs `script` with `arguments`; fails the test with Python's stderr unless it exits with 0, and
    /// returns its standard output parsed as a JSON object.
    static func run(
        _ script: String, arguments: [String], in directory: URL, sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> [String: Any] {
        let python = try require(sourceLocation: sourceLocation)
        let outputURL = directory.appendingPathComponent("stdout-\(UUID().uuidString).txt")
        let errorURL = directory.appendingPathComponent("stderr-\(UUID().uuidString).txt")
        for url in [outputURL, errorURL] {
            try #require(
                FileManager.default.createFile(atPath: url.path, contents: nil), sourceLocation: sourceLocation)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", script] + arguments
        // Files, not pipes: a full pipe buffer cannot block the child while we wait for it.
        process.standardOutput = try FileHandle(forWritingTo: outputURL)
        process.standardError = try FileHandle(forWritingTo: errorURL)
        try process.run()
        process.waitUntilExit()
        let output = try Data(contentsOf: outputURL)
        let errors = String(decoding: try Data(contentsOf: errorURL), as: UTF8.self)
        try #require(
            process.terminationStatus == 0, "python exited with \(process.terminationStatus):\n\(errors)",
            sourceLocation: sourceLocation)
        let json = try JSONSerialization.jsonObject(with: output)
        return try #require(json as? [String: Any], "python printed no JSON object", sourceLocation: sourceLocation)
    }
}

/// Python code shared by the scripts: `describe(array)` gives dtype, shape and the little-endian bytes.
private let pythonPrelude = """
    import io, json, sys
    import numpy as np
    from safetensors import safe_open
    from safetensors.numpy import load_file, save_file

    def describe(a):
        a = np.array(a, order="C")
        return {"dtype": a.dtype.name, "shape": list(a.shape), "hex": a.astype(a.dtype.newbyteorder("<")).tobytes().hex()}

    def arrays():
        return {
            "f32": np.array([[0.0, -0.0, 1.5], [-2.25, np.inf, np.nan]], dtype=np.float32),
            "f64": np.array([1e-300, -1.0 / 3.0, np.pi, -np.inf], dtype=np.float64),
            "i32": np.array([-2147483648, -1, 0, 2147483647], dtype=np.int32).reshape(2, 2),
            "i64": np.array([-9223372036854775808, 9223372036854775807, 1 << 40], dtype=np.int64),
            "bool": np.array([[True, False, True]]),
            "i8": np.array([-128, -1, 0, 127], dtype=np.int8),
            "u8": np.array([0, 1, 128, 255], dtype=np.uint8),
            "scalar": np.array(2.5, dtype=np.float64),
            "empty": np.zeros((0, 3), dtype=np.float32),
        }
    """

/// The tensors the `arrays()` function of ``pythonPrelude`` builds, made in Swift.
private var interopTensors: [String: Tensor] {
    [
        "f32": Tensor([0, -0.0, 1.5, -2.25, .infinity, .nan] as [Float], shape: [2, 3]),
        "f64": Tensor([1e-300, -1.0 / 3.0, .pi, -.infinity] as [Double]),
        "i32": Tensor([Int32.min, -1, 0, Int32.max] as [Int32], shape: [2, 2]),
        "i64": Tensor([Int64.min, Int64.max, 1 << 40] as [Int64]),
        "bool": Tensor([true, false, true] as [Bool], shape: [1, 3]),
        "i8": Tensor([-128, -1, 0, 127] as [Int8]),
        "u8": Tensor([0, 1, 128, 255] as [UInt8]),
        "scalar": Tensor(Double(2.5)),
        "empty": Tensor.zeros(shape: [0, 3]),
    ]
}

/// Expects Python's `describe(array)` output to match `tensor` exactly.
private func expectDescription(
    _ description: Any?, matches tensor: Tensor, _ name: String, sourceLocation: SourceLocation = #_sourceLocation
) {
    guard let description = description as? [String: Any] else {
        Issue.record("python reported nothing for \(name)", sourceLocation: sourceLocation)
        return
    }
    let numpyNames: [DType: String] = [
        .float32: "float32", .float64: "float64", .int32: "int32", .int64: "int64", .bool: "bool", .int8: "int8",
        .uint8: "uint8",
    ]
    #expect(description["dtype"] as? String == numpyNames[tensor.dtype], "\(name)", sourceLocation: sourceLocation)
    #expect(description["shape"] as? [Int] == tensor.shape, "\(name)", sourceLocation: sourceLocation)
    let hex = TensorFileFixtures.bytes(of: tensor).map { String(format: "%02x", $0) }.joined()
    #expect(description["hex"] as? String == hex, "\(name)", sourceLocation: sourceLocation)
}

@Suite("Python interop (numpy, safetensors)", .enabled(if: InteropPython.shouldRun))
struct PythonInteropTests {
    @Test func pythonReadsForgeSafetensors() throws {
        let directory = try TensorFileFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("forge.safetensors")
        var tensors = interopTensors
        tensors["view"] = Tensor((0..<6).map { Int32($0) }, shape: [2, 3]).transposed()
        try SafeTensors.write(tensors, metadata: ["format": "forge", "note": "é \"quoted\""], to: url)
        let script =
            pythonPrelude + """

                path = sys.argv[1]
                loaded = load_file(path)
                expected = arrays()
                expected["view"] = np.arange(6, dtype=np.int32).reshape(2, 3).T
                assert sorted(loaded) == sorted(expected), sorted(loaded)
                for name, a in expected.items():
                    b = loaded[name]
                    assert b.dtype == a.dtype and b.shape == a.shape, (name, b.dtype, b.shape)
                    assert b.tobytes() == np.array(a, order="C").tobytes(), name
                with safe_open(path, framework="np") as f:
                    metadata = f.metadata()
                from safetensors.numpy import save
                import struct
                def layout(blob):
                    n = struct.unpack("<Q", blob[:8])[0]
                    header = json.loads(blob[8:8 + n])
                    return n, list(header), header, blob[8 + n:]
                with open(path, "rb") as f:
                    mine = layout(f.read())
                theirs = layout(save(loaded, metadata=metadata))
                # Same header size, tensor order, entries and data bytes as the reference writer (only the
                # order of metadata keys may differ: the reference keeps them in a hash map).
                assert mine[0] == theirs[0] and mine[2] == theirs[2] and mine[3] == theirs[3], "layout differs"
                assert [k for k in mine[1] if k != "__metadata__"] == [k for k in theirs[1] if k != "__metadata__"]
                print(json.dumps({"tensors": {k: describe(v) for k, v in loaded.items()}, "metadata": metadata}))
                """
        let report = try InteropPython.run(script, arguments: [url.path], in: directory)
        #expect(report["metadata"] as? [String: String] == ["format": "forge", "note": "é \"quoted\""])
        let described = report["tensors"] as? [String: Any]
        #expect(described?.count == tensors.count)
        for (name, tensor) in tensors { expectDescription(described?[name], matches: tensor, name) }
    }

    @Test func forgeReadsPythonSafetensorsAndNumPyFiles() throws {
        let directory = try TensorFileFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let script =
            pythonPrelude + """

                directory = sys.argv[1]
                save_file(arrays(), directory + "/python.safetensors", metadata={"framework": "numpy", "step": "12"})
                for name, a in arrays().items():
                    np.save(directory + "/" + name + ".npy", a)
                grid = np.arange(24, dtype=np.float64).reshape(2, 3, 4) * 0.5
                np.save(directory + "/fortran.npy", np.asfortranarray(grid))
                np.save(directory + "/bigendian.npy", np.arange(-3, 3, dtype=">i4"))
                np.save(directory + "/bigendian_f8.npy", np.array([1.5, -0.25], dtype=">f8"))
                with open(directory + "/fortran.npy", "rb") as f:
                    assert b"'fortran_order': True" in f.read(128)
                print(json.dumps({"ok": True}))
                """
        _ = try InteropPython.run(script, arguments: [directory.path], in: directory)

        let (tensors, metadata) = try SafeTensors.read(from: directory.appendingPathComponent("python.safetensors"))
        #expect(metadata == ["framework": "numpy", "step": "12"])
        #expect(tensors.count == interopTensors.count)
        for (name, tensor) in interopTensors {
            expectSameTensor(tensors[name], tensor, "safetensors \(name)")
            let array = try NumPyFile.read(from: directory.appendingPathComponent("\(name).npy"))
            expectSameTensor(array, tensor, "npy \(name)")
        }
        let fortran = try NumPyFile.read(from: directory.appendingPathComponent("fortran.npy"))
        expectSameTensor(fortran, Tensor((0..<24).map { Double($0) * 0.5 }, shape: [2, 3, 4]), "fortran")
        let bigEndian = try NumPyFile.read(from: directory.appendingPathComponent("bigendian.npy"))
        #expect(bigEndian.scalars(as: Int32.self) == [-3, -2, -1, 0, 1, 2])
        let bigEndianDoubles = try NumPyFile.read(from: directory.appendingPathComponent("bigendian_f8.npy"))
        #expect(bigEndianDoubles.scalars(as: Double.self) == [1.5, -0.25])
    }

    @Test func numpyReadsForgeNumPyFilesAndWritesTheSameBytes() throws {
        let directory = try TensorFileFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var tensors = interopTensors
        tensors["view"] = Tensor((0..<6).map { Int32($0) }, shape: [2, 3]).transposed()
        for (name, tensor) in tensors {
            try NumPyFile.write(tensor, to: directory.appendingPathComponent("\(name).npy"))
        }
        let script =
            pythonPrelude + """

                directory = sys.argv[1]
                expected = arrays()
                expected["view"] = np.arange(6, dtype=np.int32).reshape(2, 3).T
                report = {}
                for name, a in expected.items():
                    path = directory + "/" + name + ".npy"
                    b = np.load(path, allow_pickle=False)
                    assert b.dtype == a.dtype and b.shape == a.shape, (name, b.dtype, b.shape)
                    assert b.tobytes() == np.array(a, order="C").tobytes(), name
                    buffer = io.BytesIO()
                    np.save(buffer, np.array(a, order="C"))
                    with open(path, "rb") as f:
                        assert f.read() == buffer.getvalue(), name + ": bytes differ from numpy.save"
                    report[name] = describe(b)
                print(json.dumps(report))
                """
        let report = try InteropPython.run(script, arguments: [directory.path], in: directory)
        #expect(report.count == tensors.count)
        for (name, tensor) in tensors { expectDescription(report[name], matches: tensor, name) }
    }
}
