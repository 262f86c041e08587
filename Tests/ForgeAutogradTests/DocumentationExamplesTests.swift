import ForgeAutograd
import ForgeTensor
import Testing

/// The code of ForgeAutograd.docc/DebuggingTraining.md, kept compiling and checked here.
@Suite("Autograd documentation examples")
struct AutogradDocumentationExamplesTests {
    @Test func checkAGradientRule() {
        let cube = { (inputs: [Variable]) -> Variable in
            let x = inputs[0]
            return Variable.record("cube", value: x.value * x.value * x.value, inputs: [x]) { g in
                [g * x.value * x.value * 3]
            }
        }
        var generator = RandomGenerator(seed: 0)
        let result = gradientCheck(inputs: [Tensor.normal(shape: [4, 3], generator: &generator)], cube)
        #expect(result.passed)
        #expect(result.description.hasPrefix("gradient check passed"))
    }

    @Test func catchTheFirstNaN() {
        let prediction = Variable(Tensor([1, 2] as [Float]), requiresGradient: true)
        let target = Variable(Tensor([1, 2] as [Float]))
        var report = ""
        do {
            try withAnomalyDetection {
                let loss = (prediction - target).squared().mean().log()
                try loss.backward()
            }
        } catch let anomaly as AnomalyError {
            report = anomaly.description
        } catch {}
        #expect(report.hasPrefix("anomaly: log created at ForgeAutogradTests/DocumentationExamplesTests.swift:"))
        #expect(report.hasSuffix("produced a result of shape [] with 0 NaN and 1 infinite values"))
    }

    @Test func watchTheGradients() throws {
        let weight = Variable(Tensor([3, 4] as [Float]), requiresGradient: true)
        var norms: [Float] = []
        let handle = weight.addGradientHook { gradient in
            norms.append(gradient.squared().sum().sqrt().item(as: Float.self))
            return nil
        }
        try (weight * 2).sum().backward()
        handle.remove()
        try (weight * 2).sum().backward()
        #expect(norms.count == 1)
        #expect(Swift.abs(Double(norms[0]) - 8.0.squareRoot()) < 1e-6)
    }

    @Test func evaluateWithoutRecording() {
        let weight = Variable(Tensor.eye(3), requiresGradient: true)
        let testFeatures = Tensor(rows: [[0, 5, 1], [2, 0, 1]] as [[Float]])
        let predictions = withoutGradient { Variable(testFeatures).matmul(weight).value.argmax(axis: 1) }
        #expect(predictions.scalars(as: Int64.self) == [1, 0])
    }
}
