import ForgeAutograd
import ForgeLayers
import ForgeTensor
import Foundation
import Testing

/// Writes, with NumPy and `safetensors.numpy`, the `state_dict`s PyTorch's
/// `nn.LSTM(3, 4, num_layers=2, batch_first=True)`, `nn.GRU(3, 4, batch_first=True)` and
/// `nn.TransformerEncoderLayer(4, 2, dim_feedforward=8, batch_first=True)` have (same keys, shapes,
/// layouts), and computes their outputs with NumPy transcriptions of PyTorch's documented equations
/// (LSTM gates i, f, g, o; GRU r, z, n with r inside the hidden term; post-norm encoder, ReLU, eval mode,
/// a key padding mask).
private let pythonScript = """
    import json, sys
    import numpy as np
    from safetensors.numpy import save_file

    rng = np.random.default_rng(7)
    f32 = lambda a: np.asarray(a, dtype=np.float32)
    u = lambda *shape: f32(rng.uniform(-0.5, 0.5, shape))
    sig = lambda v: 1 / (1 + np.exp(-v))
    d64 = lambda s: {k: v.astype(np.float64) for k, v in s.items()}

    lstm = {}
    for l, inputs in enumerate([3, 4]):
        lstm[f"weight_ih_l{l}"] = u(16, inputs); lstm[f"weight_hh_l{l}"] = u(16, 4)
        lstm[f"bias_ih_l{l}"] = u(16); lstm[f"bias_hh_l{l}"] = u(16)
    save_file(lstm, sys.argv[1])
    gru = {"weight_ih_l0": u(12, 3), "weight_hh_l0": u(12, 4), "bias_ih_l0": u(12), "bias_hh_l0": u(12)}
    save_file(gru, sys.argv[2])
    encoder = {
        "self_attn.in_proj_weight": u(12, 4), "self_attn.in_proj_bias": u(12),
        "self_attn.out_proj.weight": u(4, 4), "self_attn.out_proj.bias": u(4),
        "linear1.weight": u(8, 4), "linear1.bias": u(8), "linear2.weight": u(4, 8), "linear2.bias": u(4),
        "norm1.weight": f32(1 + rng.uniform(-0.3, 0.3, 4)), "norm1.bias": u(4),
        "norm2.weight": f32(1 + rng.uniform(-0.3, 0.3, 4)), "norm2.bias": u(4),
    }
    save_file(encoder, sys.argv[3])
    x = f32(rng.normal(0, 1, (2, 5, 3))).astype(np.float64)   # [B, T, 3], batch first
    tokens = f32(rng.normal(0, 1, (2, 5, 4))).astype(np.float64)

    s = d64(lstm)
    inp, hs, cs = x, [], []
    for l in range(2):
        h = np.zeros((2, 4)); c = np.zeros((2, 4)); outs = []
        for t in range(5):
            g = inp[:, t] @ s[f"weight_ih_l{l}"].T + s[f"bias_ih_l{l}"] + h @ s[f"weight_hh_l{l}"].T + s[f"bias_hh_l{l}"]
            i, f, gg, o = np.split(g, 4, axis=1)
            c = sig(f) * c + sig(i) * np.tanh(gg)
            h = sig(o) * np.tanh(c)
            outs.append(h)
        inp = np.stack(outs, 1); hs.append(h); cs.append(c)
    lstm_out, lstm_h, lstm_c = inp, np.stack(hs), np.stack(cs)

    s = d64(gru)
    h = np.zeros((2, 4)); outs = []
    for t in range(5):
        gx = x[:, t] @ s["weight_ih_l0"].T + s["bias_ih_l0"]
        gh = h @ s["weight_hh_l0"].T + s["bias_hh_l0"]
        r = sig(gx[:, 0:4] + gh[:, 0:4]); z = sig(gx[:, 4:8] + gh[:, 4:8])
        n = np.tanh(gx[:, 8:12] + r * gh[:, 8:12])
        h = (1 - z) * n + z * h
        outs.append(h)
    gru_out = np.stack(outs, 1)

    s = d64(encoder)
    padding = np.array([[0, 0, 0, 0, 0], [0, 0, 0, 1, 1]], dtype=bool)
    def attention(v):
        W, b = s["self_attn.in_proj_weight"], s["self_attn.in_proj_bias"]
        split = lambda t: t.reshape(2, 5, 2, 2).transpose(0, 2, 1, 3)
        q, k, val = (split(v @ W[4 * i:4 * i + 4].T + b[4 * i:4 * i + 4]) for i in range(3))
        scores = q @ k.transpose(0, 1, 3, 2) / np.sqrt(2) + np.where(padding, -np.inf, 0)[:, None, None, :]
        p = np.exp(scores - scores.max(-1, keepdims=True)); p /= p.sum(-1, keepdims=True)
        o = (p @ val).transpose(0, 2, 1, 3).reshape(2, 5, 4)
        return o @ s["self_attn.out_proj.weight"].T + s["self_attn.out_proj.bias"]
    def norm(v, name):
        m = v.mean(-1, keepdims=True); var = v.var(-1, keepdims=True)
        return (v - m) / np.sqrt(var + 1e-5) * s[name + ".weight"] + s[name + ".bias"]
    y = norm(tokens + attention(tokens), "norm1")
    feed = np.maximum(y @ s["linear1.weight"].T + s["linear1.bias"], 0) @ s["linear2.weight"].T + s["linear2.bias"]
    y = norm(y + feed, "norm2")

    flat = lambda a: a.ravel().tolist()
    print(json.dumps({
        "x": flat(x), "tokens": flat(tokens), "lstm_out": flat(lstm_out), "lstm_h": flat(lstm_h), "lstm_c": flat(lstm_c),
        "gru_out": flat(gru_out), "encoder_out": flat(y),
    }))
    """

@Suite("PyTorch state dicts for sequence models (numpy, safetensors)", .enabled(if: InteropPython.shouldRun))
struct SequenceModelInteropTests {
    @Test func pytorchStateDictsLoadIntoLSTMGRUAndEncoderWithTheSameOutputs() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("forge-seq-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let files = ["lstm", "gru", "encoder"].map { directory.appendingPathComponent("\($0).safetensors") }
        let result = try InteropPython.run(pythonScript, arguments: files.map(\.path), in: directory)
        func tensor(_ key: String, _ shape: [Int]) throws -> Tensor {
            Tensor(try #require(result[key] as? [Double]), shape: shape)
        }
        let x = Variable(try tensor("x", [2, 5, 3]).converted(to: .float32))

        let lstm = LSTM(inputSize: 3, hiddenSize: 4, layerCount: 2, batchFirst: true, seed: 99)
        #expect(try lstm.load(contentsOf: files[0]).isExact)
        let lstmResult = withoutGradient { lstm(x) }
        #expect(close(lstmResult.output.value, try tensor("lstm_out", [2, 5, 4]), tolerance: 1e-5))
        #expect(close(lstmResult.hidden.value, try tensor("lstm_h", [2, 2, 4]), tolerance: 1e-5))
        #expect(close(lstmResult.cell.value, try tensor("lstm_c", [2, 2, 4]), tolerance: 1e-5))

        let gru = GRU(inputSize: 3, hiddenSize: 4, batchFirst: true, seed: 99)
        #expect(try gru.load(contentsOf: files[1]).isExact)
        #expect(close(withoutGradient { gru(x) }.output.value, try tensor("gru_out", [2, 5, 4]), tolerance: 1e-5))

        let encoder = TransformerEncoderLayer(
            modelDimension: 4, headCount: 2, feedForwardDimension: 8, batchFirst: true, seed: 99)
        #expect(try encoder.load(contentsOf: files[2]).isExact)
        encoder.eval()
        let padding = Tensor([false, false, false, false, false, false, false, false, true, true], shape: [2, 5])
        let tokens = Variable(try tensor("tokens", [2, 5, 4]).converted(to: .float32))
        let encoded = withoutGradient { encoder(tokens, attentionMask: nil, keyPaddingMask: padding) }
        #expect(close(encoded.value, try tensor("encoder_out", [2, 5, 4]), tolerance: 1e-4))
    }
}
