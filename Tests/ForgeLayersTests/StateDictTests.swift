import ForgeAutograd
import ForgeLayers
import ForgeTensor
import Foundation
import Testing

/// The model of the PyTorch interop test: `nn.Sequential(Conv2d(1,4,3), BatchNorm2d(4), ReLU(), Flatten(), Linear(144,10))`.
func makeInteropModel(seed: UInt64) -> Sequential {
    var generator = RandomGenerator(seed: seed)
    return Sequential {
        Conv2d(inputChannels: 1, outputChannels: 4, kernelSize: 3, generator: &generator)
        BatchNorm2d(features: 4)
        ReLU()
        Flatten()
        Linear(inputFeatures: 4 * 6 * 6, outputFeatures: 10, generator: &generator)
    }
}

private func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("forge-layers-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

@Suite("State dicts and checkpoints")
struct StateDictTests {
    @Test func keysAreDottedPyTorchNames() {
        let model = makeInteropModel(seed: 0)
        let state = model.stateDict()
        #expect(
            state.keys.sorted() == [
                "0.bias", "0.weight", "1.bias", "1.num_batches_tracked", "1.running_mean", "1.running_var", "1.weight",
                "4.bias", "4.weight",
            ])
        #expect(state["0.weight"]?.shape == [4, 1, 3, 3])
        #expect(state["1.num_batches_tracked"]?.dtype == .int64)
        #expect(state["4.weight"]?.shape == [10, 144])
    }

    @Test func stateDictIsASnapshot() throws {
        let layer = Linear(inputFeatures: 2, outputFeatures: 1, seed: 0)
        let state = layer.stateDict()
        let before = state["weight"]!.scalars(as: Float.self)
        layer.weight.value += 1
        #expect(state["weight"]!.scalars(as: Float.self) == before)
    }

    @Test func loadingCopiesValuesIntoTheSameParameters() throws {
        let source = makeInteropModel(seed: 1)
        _ = source(Variable(Tensor.ones(shape: [2, 1, 8, 8])))  // moves the running statistics
        let target = makeInteropModel(seed: 2)
        let weight = target.parameters()[0]
        let report = try target.load(stateDict: source.stateDict())
        #expect(report.isExact && report.loadedKeys.count == 9)
        #expect(target.parameters()[0] === weight)
        for (name, tensor) in source.stateDict() {
            #expect(target.stateDict()[name].map { maximumDifference($0, tensor) } == 0, "\(name)")
        }
        #expect(target.stateDict()["1.num_batches_tracked"]?.item(as: Int64.self) == 1)
    }

    @Test func strictLoadingNamesEveryProblemAndChangesNothing() throws {
        let model = makeInteropModel(seed: 3)
        let original = model.stateDict()
        var state = makeInteropModel(seed: 4).stateDict()
        state["1.running_var"] = nil
        state["5.weight"] = Tensor.zeros(shape: [2])
        state["4.weight"] = Tensor.zeros(shape: [10, 100])
        do {
            try model.load(stateDict: state)
            Issue.record("strict loading accepted a mismatched state dict")
        } catch let error as StateDictError {
            #expect(error.report.missingKeys == ["1.running_var"])
            #expect(error.report.unexpectedKeys == ["5.weight"])
            #expect(
                error.report.shapeMismatches == [.init(key: "4.weight", expected: [10, 144], found: [10, 100])])
            #expect(error.description.contains("missing keys: 1.running_var"))
            #expect(error.description.contains("4.weight: expected [10, 144], found [10, 100]"))
        }
        for (name, tensor) in model.stateDict() {
            #expect(maximumDifference(tensor, original[name]!) == 0, "\(name) changed")
        }
    }

    @Test func nonStrictLoadingLoadsWhatMatches() throws {
        let model = makeInteropModel(seed: 5)
        let original = model.stateDict()
        let donor = makeInteropModel(seed: 6).stateDict()
        let state = ["0.weight": donor["0.weight"]!, "4.bias": Tensor.zeros(shape: [3]), "extra": Tensor(Float(1))]
        let report = try model.load(stateDict: state, strict: false)
        #expect(report.loadedKeys == ["0.weight"])
        #expect(report.unexpectedKeys == ["extra"])
        #expect(report.shapeMismatches.map(\.key) == ["4.bias"])
        #expect(report.missingKeys.count == 7 && report.missingKeys.contains("1.running_mean"))
        #expect(!report.isExact)
        #expect(maximumDifference(model.stateDict()["0.weight"]!, donor["0.weight"]!) == 0)
        #expect(maximumDifference(model.stateDict()["4.bias"]!, original["4.bias"]!) == 0)
    }

    @Test func loadingConvertsDTypes() throws {
        let layer = Linear(inputFeatures: 2, outputFeatures: 1, seed: 0)
        try layer.load(stateDict: [
            "weight": Tensor([0.5, -1.5] as [Double], shape: [1, 2]), "bias": Tensor([2] as [Double]),
        ])
        #expect(layer.weight.dtype == .float32 && layer.weight.value.scalars(as: Float.self) == [0.5, -1.5])
        let norm = BatchNorm1d(features: 1)
        try norm.load(stateDict: norm.stateDict().merging(["num_batches_tracked": Tensor(Int32(7))]) { $1 })
        #expect(
            norm.numBatchesTracked?.value.dtype == .int64 && norm.numBatchesTracked?.value.item(as: Int64.self) == 7)
    }

    @Test func safetensorsRoundTrip() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("model.safetensors")
        let model = makeInteropModel(seed: 7)
        _ = model(Variable(Tensor.ones(shape: [3, 1, 8, 8])))
        try model.save(to: url, metadata: ["epoch": "3"])
        let restored = makeInteropModel(seed: 8)
        try restored.load(contentsOf: url)
        model.eval()
        restored.eval()
        var generator = RandomGenerator(seed: 9)
        let input = Variable(Tensor.normal(shape: [2, 1, 8, 8], generator: &generator))
        #expect(maximumDifference(model(input).value, restored(input).value) == 0)
        #expect(try SafeTensors.read(from: url).metadata == ["epoch": "3"])
    }

    @Test func fileErrorsAreTypedAndNameTheFile() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let model = makeInteropModel(seed: 10)
        let missing = directory.appendingPathComponent("absent.safetensors")
        #expect(throws: TensorFileError.self) { try model.load(contentsOf: missing) }
        let garbage = directory.appendingPathComponent("garbage.safetensors")
        try Data([1, 2, 3]).write(to: garbage)
        #expect(throws: TensorFileError.self) { try model.load(contentsOf: garbage) }
        let other = directory.appendingPathComponent("linear.safetensors")
        try Linear(inputFeatures: 2, outputFeatures: 2, seed: 0).save(to: other)
        do {
            try model.load(contentsOf: other)
            Issue.record("loaded a Linear checkpoint into a Sequential")
        } catch let error as StateDictError {
            #expect(error.path == other.path)
            #expect(error.report.unexpectedKeys == ["bias", "weight"])
        }
    }
}
