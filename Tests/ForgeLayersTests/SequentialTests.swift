import ForgeAutograd
import ForgeLayers
import ForgeTensor
import Testing

/// A user-written layer, to show Sequential takes any `Layer<Variable, Variable>`.
final class Scale: Module, Layer {
    let factor: Variable

    init(_ factor: Float) {
        self.factor = Variable(Tensor(factor), requiresGradient: true)
        super.init()
    }

    func forward(_ input: Variable) -> Variable { input * factor }
}

/// A model that stores a Sequential under a property name, as `features.0.weight` in PyTorch.
final class SmallNetwork: Module, Layer {
    let features = Sequential {
        Conv2d(inputChannels: 1, outputChannels: 2, kernelSize: 3, padding: 1, seed: 1)
        BatchNorm2d(features: 2)
        ReLU()
        MaxPool2d(kernelSize: 2)
    }
    let classifier = Sequential([Flatten(), Linear(inputFeatures: 8, outputFeatures: 3, seed: 2)])

    func forward(_ input: Variable) -> Variable { classifier(features(input)) }
}

@Suite("Sequential and Flatten")
struct SequentialTests {
    @Test func namesLayersByPosition() {
        let model = SmallNetwork()
        #expect(
            model.namedParameters().map(\.name) == [
                "features.0.weight", "features.0.bias", "features.1.weight", "features.1.bias",
                "classifier.1.weight", "classifier.1.bias",
            ])
        #expect(
            model.namedBuffers().map(\.name) == [
                "features.1.running_mean", "features.1.running_var", "features.1.num_batches_tracked",
            ])
        #expect(model.features.count == 4)
        #expect(model.features[2] is ReLU)
        let output = model(Variable(Tensor.ones(shape: [5, 1, 4, 4])))
        #expect(output.shape == [5, 3])
        model.eval()
        #expect(!model.features[1].isTraining)
    }

    @Test func chainsInOrderAndRunsHooks() throws {
        let first = Scale(2)
        let model = Sequential([first, Scale(3), Tanh()])
        var seen: [Float] = []
        model[1].addForwardHook { _, _, output in seen = (output as? Variable)?.value.scalars(as: Float.self) ?? [] }
        let x = Variable(Tensor([0.1, -0.05] as [Float]))
        let y = model(x)
        #expect(seen.count == 2 && Swift.abs(seen[0] - 0.6) < 1e-6)
        #expect(maximumDifference(y.value, Tensor([0.6, -0.3] as [Float]).tanh()) < 1e-6)
        try y.sum().backward()
        #expect(first.factor.gradient != nil)
    }

    @Test func builderSupportsConditionsAndLoops() {
        let deep = true
        let model = Sequential {
            for width in [4, 3] { Linear(inputFeatures: 4, outputFeatures: width, seed: UInt64(width)) }
            if deep { ReLU() } else { Tanh() }
            if !deep { Sigmoid() }
        }
        #expect(model.count == 3)
        #expect(model.namedParameters().map(\.name) == ["0.weight", "0.bias", "1.weight", "1.bias"])
        #expect(model[2] is ReLU)
    }

    @Test func flattenMergesTheRequestedAxes() throws {
        let x = Variable(Tensor((0..<24).map { Float($0) }, shape: [2, 3, 2, 2]), requiresGradient: true)
        #expect(Flatten()(x).shape == [2, 12])
        #expect(Flatten(startAxis: 0, endAxis: 1)(x).shape == [6, 2, 2])
        #expect(Flatten(startAxis: 2)(x).shape == [2, 3, 4])
        let y = Flatten()(x)
        #expect(y.value.scalars(as: Float.self) == (0..<24).map { Float($0) })
        try y.sum().backward()
        #expect(x.gradient?.shape == [2, 3, 2, 2])
    }
}
