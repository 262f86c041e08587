import ForgeAutograd
import ForgeLayers
import ForgeTensor
import Testing

final class TwoLayer: Module, Layer {
    let hidden = Linear(inputFeatures: 4, outputFeatures: 3, seed: 1)
    let output = Linear(inputFeatures: 3, outputFeatures: 2, bias: false, seed: 2)
    let statistics = Buffer(Tensor.zeros(shape: [3]))
    let extra: [Linear] = [Linear(inputFeatures: 2, outputFeatures: 2, seed: 3)]
    let missing: Linear? = nil
    let scale = 2.0

    func forward(_ x: Variable) -> Variable { output(hidden(x).relu()) }
}

@Suite("Module discovery and naming")
struct ModuleTests {
    @Test func dottedNamesFollowDeclarationOrder() {
        let model = TwoLayer()
        #expect(model.namedParameters().map(\.name) == ["hidden.weight", "hidden.bias", "output.weight", "extra.0.weight", "extra.0.bias"])
        #expect(model.namedBuffers().map(\.name) == ["statistics"])
        #expect(model.namedChildren().map(\.name) == ["hidden", "output", "extra.0"])
        #expect(model.namedModules().map(\.name) == ["", "hidden", "output", "extra.0"])
        #expect(model.parameterCount() == 12 + 3 + 6 + 4 + 2)
    }

    @Test func trainEvalFreezeAndHooks() throws {
        let model = TwoLayer()
        model.eval()
        #expect(!model.isTraining && !model.hidden.isTraining)
        model.train()
        #expect(model.extra[0].isTraining)
        model.freeze()
        #expect(model.parameterCount(trainableOnly: true) == 0)
        model.unfreeze()
        var seenShape: [Int] = []
        let handle = model.hidden.addForwardHook { _, _, output in seenShape = (output as? Variable)?.shape ?? [] }
        let y = model(Variable(Tensor.ones(shape: [5, 4])))
        #expect(y.shape == [5, 2])
        #expect(seenShape == [5, 3])
        handle.remove()
        seenShape = []
        _ = model(Variable(Tensor.ones(shape: [1, 4])))
        #expect(seenShape.isEmpty)
        #expect(model.summary.contains("hidden: Linear  weight [3, 4], bias [3]"))
    }

    @Test func linearMatchesItsDefinitionAndTrains() throws {
        let layer = Linear(inputFeatures: 3, outputFeatures: 2, seed: 7)
        let x = Tensor([1, 2, 3, -1, 0, 1] as [Float], shape: [2, 3])
        let expected = x.matmul(layer.weight.value.transposed()) + layer.bias!.value
        let y = layer(Variable(x))
        #expect(y.value.isApproximatelyEqual(to: expected, absoluteTolerance: 1e-6))
        let bound = Float(1 / 3.0.squareRoot())
        #expect(layer.weight.value.abs().max().item(as: Float.self) <= bound)
        try y.sum().backward()
        #expect(layer.bias?.gradient?.scalars(as: Float.self) == [2, 2])
        #expect(layer.weight.gradient?.scalars(as: Float.self) == [0, 2, 4, 0, 2, 4])
    }
}
