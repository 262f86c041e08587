import ForgeAutograd
import ForgeLayers
import ForgeTensor
import Testing

@Suite("LayerNorm")
struct LayerNormTests {
    @Test func normalizesOverTrailingDimensionsLikeTheDefinition() {
        let x = randomNormal([2, 3, 4], seed: 1, scale: 3) + 1.5
        let norm = LayerNorm(normalizedShape: [3, 4])
        norm.weight!.value = randomNormal([3, 4], seed: 2).converted(to: .float32)
        norm.bias!.value = randomNormal([3, 4], seed: 3).converted(to: .float32)
        let y = norm(Variable(x.converted(to: .float32)))
        let mean = x.mean(axes: [1, 2], keepingDimensions: true)
        let variance = x.variance(axes: [1, 2], correction: 0, keepingDimensions: true)
        let expected =
            (x - mean) / (variance + 1e-5).sqrt() * norm.weight!.value.converted(to: .float64)
            + norm.bias!.value.converted(to: .float64)
        #expect(y.shape == [2, 3, 4])
        #expect(close(y.value, expected, tolerance: 1e-5))
        #expect(norm.namedParameters().map(\.name) == ["weight", "bias"])
        #expect(norm.weight!.value.scalars(as: Float.self).count == 12)
    }

    @Test func defaultsAreOnesZerosAndEpsilon() {
        let norm = LayerNorm(features: 5)
        #expect(norm.weight!.value.scalars(as: Float.self) == [1, 1, 1, 1, 1])
        #expect(norm.bias!.value.scalars(as: Float.self) == [0, 0, 0, 0, 0])
        #expect(norm.epsilon == 1e-5)
        // A constant row normalizes to 0 (variance 0 + eps).
        let y = norm(Variable(Tensor.full(shape: [2, 5], value: 3)))
        #expect(y.value.scalars(as: Float.self).allSatisfy { $0 == 0 })
        #expect(LayerNorm(normalizedShape: [5], elementwiseAffine: false).parameters().isEmpty)
    }

    @Test func fusedGradientPassesGradientCheck() {
        let result = gradientCheck(
            inputs: [randomNormal([3, 2, 4], seed: 4), randomNormal([2, 4], seed: 5), randomNormal([2, 4], seed: 6)]
        ) { v in
            Variable.layerNorm(v[0], normalizedShape: [2, 4], weight: v[1], bias: v[2])
        }
        #expect(result.passed, "\(result)")
        let plain = gradientCheck(inputs: [randomNormal([5, 3], seed: 7)]) { v in
            Variable.layerNorm(v[0], normalizedShape: [3], epsilon: 1e-3)
        }
        #expect(plain.passed, "\(plain)")
        let scaleOnly = gradientCheck(inputs: [randomNormal([4, 3], seed: 8), randomNormal([3], seed: 9)]) { v in
            Variable.layerNorm(v[0], normalizedShape: [3], weight: v[1])
        }
        #expect(scaleOnly.passed, "\(scaleOnly)")
        let shiftOnly = gradientCheck(inputs: [randomNormal([4, 3], seed: 10), randomNormal([3], seed: 11)]) { v in
            Variable.layerNorm(v[0], normalizedShape: [3], bias: v[1])
        }
        #expect(shiftOnly.passed, "\(shiftOnly)")
    }

    @Test("a shape mismatch traps naming the op and shapes")
    func shapeMismatchTraps() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = LayerNorm(features: 4)(Variable(Tensor.zeros(shape: [2, 3])))
        }
        let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(message.contains("layerNorm: input [2, 3] (float32) does not end in the normalized shape [4]"))
    }
}

@Suite("Dropout")
struct DropoutTests {
    @Test func trainingZeroesAboutPAndScalesSurvivors() throws {
        let dropout = Dropout(probability: 0.25, seed: 7)
        let x = Variable(Tensor.ones(shape: [100, 100]), requiresGradient: true)
        let y = dropout(x)
        let values = y.value.scalars(as: Float.self)
        let zeros = values.filter { $0 == 0 }.count
        #expect(Swift.abs(Double(zeros) / 10_000 - 0.25) < 0.02)
        #expect(values.allSatisfy { $0 == 0 || Swift.abs($0 - 4.0 / 3.0) < 1e-6 })
        try y.sum().backward()
        #expect(x.gradient!.scalars(as: Float.self) == values)
    }

    @Test func evaluationIsIdentityAndSeedsReproduce() {
        let x = Variable(randomNormal([8, 8], seed: 1).converted(to: .float32))
        let first = Dropout(probability: 0.5, seed: 3)
        let second = Dropout(probability: 0.5, seed: 3)
        let a1 = first(x).value, a2 = first(x).value
        #expect(a1 == second(x).value)
        #expect(a2 == second(x).value)
        #expect(a1 != a2)  // the generator advances each call
        first.eval()
        #expect(first(x) === x)
        #expect(Dropout(probability: 1, seed: 0)(x).value.scalars(as: Float.self).allSatisfy { $0 == 0 })
        #expect(first.parameters().isEmpty)
    }
}
