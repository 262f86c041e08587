import ForgeAutograd
import ForgeLayers
import ForgeTensor
import Foundation
import Testing

@Suite("Activation layers")
struct ActivationLayerTests {
    private let input = Tensor([-2, -0.5, 0, 0.5, 2] as [Double])

    private func values(_ layer: some Layer<Variable, Variable>) -> [Double] {
        #expect(layer.namedMembers().isEmpty)
        return layer(Variable(input)).value.scalars(as: Double.self)
    }

    private func expectClose(_ a: [Double], _ b: [Double], _ name: String) {
        #expect(a.count == b.count && zip(a, b).allSatisfy { Swift.abs($0 - $1) < 1e-12 }, "\(name): \(a) vs \(b)")
    }

    @Test func elementWiseActivationsMatchTheirFormulas() {
        let x = input.scalars(as: Double.self)
        expectClose(values(ReLU()), [0, 0, 0, 0.5, 2], "ReLU")
        expectClose(values(LeakyReLU()), [-0.02, -0.005, 0, 0.5, 2], "LeakyReLU")
        expectClose(values(LeakyReLU(negativeSlope: 0.2)), [-0.4, -0.1, 0, 0.5, 2], "LeakyReLU(0.2)")
        expectClose(values(Sigmoid()), x.map { 1 / (1 + Foundation.exp(-$0)) }, "Sigmoid")
        expectClose(values(Tanh()), x.map { Foundation.tanh($0) }, "Tanh")
        expectClose(values(SiLU()), x.map { $0 / (1 + Foundation.exp(-$0)) }, "SiLU")
        // 0.5 · x · (1 + erf(x / √2)) from Python's math.erf
        expectClose(
            values(GELU()),
            [-0.04550026389635842, -0.15426876936299344, 0, 0.34573123063700656, 1.9544997361036416], "GELU")
    }

    @Test func softmaxNormalizesAlongItsAxis() {
        let x = Variable(Tensor(rows: [[1, 2, 3], [0, 0, 0]] as [[Double]]))
        let rows = Softmax()(x).value
        let e = [1.0, 2, 3].map { Foundation.exp($0) }
        let total = e.reduce(0, +)
        let expected = e.map { $0 / total } + [1.0 / 3, 1.0 / 3, 1.0 / 3]
        #expect(zip(rows.scalars(as: Double.self), expected).allSatisfy { Swift.abs($0 - $1) < 1e-12 })
        let columns = Softmax(axis: 0)(x).value.sum(axis: 0).scalars(as: Double.self)
        #expect(columns.allSatisfy { Swift.abs($0 - 1) < 1e-12 })
    }
}
