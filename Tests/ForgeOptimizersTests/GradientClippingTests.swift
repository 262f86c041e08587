import ForgeAutograd
import ForgeOptimizers
import ForgeTensor
import Foundation
import Testing

@Suite("Gradient clipping")
struct GradientClippingTests {
    /// Parameters with gradients [3, 4] (float32), [12] (float64) and one without a gradient.
    func parameters() -> [Variable] {
        let a = Variable(Tensor.zeros(shape: [2]), requiresGradient: true)
        a.gradient = Tensor([3, 4] as [Float])
        let b = Variable(Tensor.zeros(shape: [1], dtype: .float64), requiresGradient: true)
        b.gradient = Tensor([-12] as [Double])
        let c = Variable(Tensor.zeros(shape: [3]), requiresGradient: true)
        return [a, b, c]
    }

    @Test func clipsByGlobalNormLikeClipGradNorm() {
        let parameters = parameters()
        let norm = GradientClipping.clipByNorm(parameters, maximumNorm: 6.5)
        #expect(norm == 13)  // √(9 + 16 + 144)
        let coefficient = 6.5 / (13 + 1e-6)
        #expect(parameters[0].gradient?.scalars(as: Float.self) == [Float(3 * coefficient), Float(4 * coefficient)])
        #expect(abs((parameters[1].gradient?.doubleScalars[0] ?? 0) + 12 * coefficient) < 1e-15)
        #expect(parameters[2].gradient == nil)
    }

    @Test func leavesSmallGradientsAndReportsOtherNorms() {
        let parameters = parameters()
        #expect(GradientClipping.clipByNorm(parameters, maximumNorm: 100) == 13)
        #expect(parameters[0].gradient?.scalars(as: Float.self) == [3, 4])
        #expect(GradientClipping.clipByNorm(parameters, maximumNorm: 100, normType: .infinity) == 12)
        #expect(GradientClipping.clipByNorm(parameters, maximumNorm: 100, normType: 1) == 19)
        let three = GradientClipping.clipByNorm(parameters, maximumNorm: 100, normType: 3)
        #expect(abs(three - pow3(27 + 64 + 1728)) < 1e-12)
        let clipped = GradientClipping.clipByNorm(parameters, maximumNorm: 1.2, normType: .infinity)
        #expect(clipped == 12)
        #expect(abs((parameters[1].gradient?.doubleScalars[0] ?? 0) + 12 * 1.2 / (12 + 1e-6)) < 1e-14)
    }

    @Test func clipsByValue() {
        let parameters = parameters()
        GradientClipping.clipByValue(parameters, maximumValue: 3.5)
        #expect(parameters[0].gradient?.scalars(as: Float.self) == [3, 3.5])
        #expect(parameters[1].gradient?.doubleScalars == [-3.5])
        #expect(parameters[2].gradient == nil)
    }

    @Test func clippingDoesNotChangeSharedGradients() {
        let parameter = Variable(Tensor.zeros(shape: [2]), requiresGradient: true)
        let original = Tensor([30, 40] as [Float])
        parameter.gradient = original
        GradientClipping.clipByNorm([parameter], maximumNorm: 5)
        #expect(original.scalars(as: Float.self) == [30, 40])
        #expect(parameter.gradient?.isApproximatelyEqual(to: Tensor([3, 4] as [Float]), absoluteTolerance: 1e-5) == true)
    }
}

/// The real cube root of `x`.
func pow3(_ x: Double) -> Double { Foundation.pow(x, 1.0 / 3.0) }
