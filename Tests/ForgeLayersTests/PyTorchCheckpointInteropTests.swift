import ForgeAutograd
import ForgeLayers
import ForgeTensor
import Foundation
import Testing

/// Builds, in NumPy, the `state_dict` PyTorch's
/// `nn.Sequential(nn.Conv2d(1, 4, 3), nn.BatchNorm2d(4), nn.ReLU(), nn.Flatten(), nn.Linear(144, 10))` has —
/// same keys, shapes and dtypes, including the int64 scalar `num_batches_tracked` — saves it with
/// `safetensors.numpy.save_file`, and computes that model's evaluation-mode output for a fixed input
/// with a NumPy reference forward pass.
private let pythonScript = """
    import json, sys
    import numpy as np
    from safetensors.numpy import save_file

    rng = np.random.default_rng(1234)
    f32 = lambda a: np.asarray(a, dtype=np.float32)
    state = {
        "0.weight": f32(rng.uniform(-1 / 3, 1 / 3, (4, 1, 3, 3))),
        "0.bias": f32(rng.uniform(-1 / 3, 1 / 3, (4,))),
        "1.weight": f32(rng.uniform(0.5, 1.5, (4,))),
        "1.bias": f32(rng.normal(0, 0.2, (4,))),
        "1.running_mean": f32(rng.normal(0, 0.3, (4,))),
        "1.running_var": f32(rng.uniform(0.5, 2.0, (4,))),
        "1.num_batches_tracked": np.array(57, dtype=np.int64),
        "4.weight": f32(rng.uniform(-1 / 12, 1 / 12, (10, 144))),
        "4.bias": f32(rng.uniform(-1 / 12, 1 / 12, (10,))),
    }
    save_file(state, sys.argv[1])
    x = f32(rng.normal(0, 1, (2, 1, 8, 8))).astype(np.float64)
    s = {k: v.astype(np.float64) for k, v in state.items()}

    conv = np.zeros((2, 4, 6, 6))
    for a in range(3):
        for b in range(3):
            conv += s["0.weight"][None, :, 0, a, b, None, None] * x[:, 0:1, a:a + 6, b:b + 6]
    conv += s["0.bias"][None, :, None, None]
    c = lambda v: v[None, :, None, None]
    norm = (conv - c(s["1.running_mean"])) / np.sqrt(c(s["1.running_var"]) + 1e-5) * c(s["1.weight"]) + c(s["1.bias"])
    hidden = np.maximum(norm, 0).reshape(2, 144)
    out = hidden @ s["4.weight"].T + s["4.bias"]
    print(json.dumps({"input": x.ravel().tolist(), "output": out.ravel().tolist()}))
    """

@Suite("PyTorch checkpoint interop (numpy, safetensors)", .enabled(if: InteropPython.shouldRun))
struct PyTorchCheckpointInteropTests {
    @Test func pytorchStateDictLoadsAndGivesTheSameOutput() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "forge-interop-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("pytorch.safetensors")
        let result = try InteropPython.run(pythonScript, arguments: [url.path], in: directory)
        let input = try #require(result["input"] as? [Double])
        let expected = try #require(result["output"] as? [Double])

        let model = makeInteropModel(seed: 99)
        let report = try model.load(contentsOf: url)
        #expect(report.isExact && report.loadedKeys.count == 9)
        #expect(model.stateDict()["1.num_batches_tracked"]?.item(as: Int64.self) == 57)
        model.eval()
        let output = withoutGradient { model(Variable(Tensor(input.map { Float($0) }, shape: [2, 1, 8, 8]))) }
        #expect(output.shape == [2, 10])
        #expect(maximumDifference(output.value, Tensor(expected, shape: [2, 10])) < 1e-4)
    }
}
