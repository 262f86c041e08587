import ForgeAutograd
import ForgeLayers
import ForgeTensor
import Foundation
import Testing

// The code of the DocC articles in Sources/ForgeLayers/ForgeLayers.docc, kept compiling and checked here.

/// A gated linear unit: `value(x) · sigmoid(gate(x))` ("Writing a custom layer").
final class GatedLinear: Module, Layer {
    let value: Linear
    let gate: Linear
    let scale = Variable(Tensor(Float(1)), requiresGradient: true)

    init(features: Int, generator: inout RandomGenerator) {
        value = Linear(inputFeatures: features, outputFeatures: features, generator: &generator)
        gate = Linear(inputFeatures: features, outputFeatures: features, generator: &generator)
        super.init()
    }

    func forward(_ x: Variable) -> Variable {
        value(x) * gate(x).sigmoid() * scale
    }
}

/// Explicitly named members ("Writing a custom layer").
final class Affine: Module, Layer {
    let multiplier: Variable
    let offset: Variable

    init(features: Int) {
        multiplier = Variable(Tensor.ones(shape: [features]), requiresGradient: true)
        offset = Variable(Tensor.zeros(shape: [features]), requiresGradient: true)
        super.init()
    }

    override func namedMembers() -> [(name: String, member: ModuleMember)] {
        [("weight", .parameter(multiplier)), ("bias", .parameter(offset))]
    }

    func forward(_ x: Variable) -> Variable { x * multiplier + offset }
}

extension Variable {
    /// `x / (1 + |x|)`, whose derivative is `1 / (1 + |x|)²`.
    func softsign() -> Variable {
        let denominator = value.abs() + 1
        return Variable.record("softsign", value: value / denominator, inputs: [self]) { gradient in
            [gradient / denominator.squared()]
        }
    }
}

/// The model of the landing page and "Checkpoints and resuming".
private func makeClassifier(seed: UInt64) -> Sequential {
    var generator = RandomGenerator(seed: seed)
    return Sequential {
        Conv2d(inputChannels: 1, outputChannels: 4, kernelSize: 3, generator: &generator)
        BatchNorm2d(features: 4)
        ReLU()
        Flatten()
        Linear(inputFeatures: 4 * 6 * 6, outputFeatures: 10, generator: &generator)
    }
}

@Suite("Documentation examples")
struct DocumentationExampleTests {
    @Test func customLayerArticle() {
        var generator = RandomGenerator(seed: 0)
        let layer = GatedLinear(features: 8, generator: &generator)
        #expect(
            layer.namedParameters().map(\.name) == ["value.weight", "value.bias", "gate.weight", "gate.bias", "scale"])
        let y = layer(Variable(Tensor.ones(shape: [4, 8])))
        #expect(y.shape == [4, 8])

        layer.value.weight.initialize(with: .orthogonal(), generator: &generator)
        layer.gate.weight.initialize(with: .kaimingUniform(nonlinearity: .relu), generator: &generator)
        let w = layer.value.weight.value.converted(to: .float64)
        #expect(maximumDifference(w.matmul(w.transposed()), Tensor.eye(8, dtype: .float64)) < 1e-5)

        let affine = Affine(features: 8)
        #expect(affine.stateDict().keys.sorted() == ["bias", "weight"])
        let sequence = Sequential([layer, affine, ReLU()])
        #expect(sequence(Variable(Tensor.ones(shape: [2, 8]))).shape == [2, 8])
    }

    @Test func customOperationArticle() {
        var generator = RandomGenerator(seed: 1)
        let check = gradientCheck(inputs: [Tensor.normal(shape: [3, 4], generator: &generator)]) { x in
            x[0].softsign()
        }
        #expect(check.passed, "\(check)")
        #expect(Variable(Tensor([-3, 1] as [Float])).softsign().value.scalars(as: Float.self) == [-0.75, 0.5])
    }

    @Test func checkpointArticle() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("forge-doc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let checkpointURL = directory.appendingPathComponent("model.safetensors")

        let model = makeClassifier(seed: 0)
        try model.save(to: checkpointURL, metadata: ["epoch": "12"])
        let restored = makeClassifier(seed: 1)
        try restored.load(contentsOf: checkpointURL)
        #expect(restored.stateDict()["4.weight"].map { maximumDifference($0, model.stateDict()["4.weight"]!) } == 0)

        var weights = model.stateDict()
        weights["1.running_var"] = nil
        weights["5.weight"] = Tensor.zeros(shape: [1])
        weights["4.weight"] = Tensor.zeros(shape: [10, 100])
        var caught: StateDictError?
        do {
            try model.load(stateDict: weights)
        } catch let error as StateDictError {
            caught = error
        }
        #expect(caught?.report.missingKeys == ["1.running_var"])
        #expect(caught?.report.unexpectedKeys == ["5.weight"])
        #expect(caught?.report.shapeMismatches.map(\.description) == ["4.weight: expected [10, 144], found [10, 100]"])

        let report = try model.load(stateDict: weights, strict: false)
        #expect(report.loadedKeys.count == 7 && report.missingKeys == ["1.running_var"])
    }
}
