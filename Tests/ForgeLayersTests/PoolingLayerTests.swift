import ForgeAutograd
import ForgeLayers
import ForgeTensor
import Testing

@Suite("Pooling layers")
struct PoolingLayerTests {
    /// 1×1×4×4 input 0…15.
    private var ramp: Tensor { Tensor((0..<16).map { Float($0) }, shape: [1, 1, 4, 4]) }

    @Test func maxPoolTakesWindowMaxima() throws {
        let pool = MaxPool2d(kernelSize: 2)
        #expect(pool.stride == (2, 2) && pool.namedParameters().isEmpty)
        let input = Variable(ramp, requiresGradient: true)
        let output = pool(input)
        #expect(output.value.scalars(as: Float.self) == [5, 7, 13, 15])
        try output.sum().backward()
        #expect(
            input.gradient?.scalars(as: Float.self) == [0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 1, 0, 1])
        let overlapping = MaxPool2d(kernelSize: 3, stride: 1, padding: 1)
        #expect(
            overlapping(Variable(ramp)).value.scalars(as: Float.self) == [
                5, 6, 7, 7, 9, 10, 11, 11, 13, 14, 15, 15, 13, 14, 15, 15,
            ])
    }

    @Test func avgPoolWithAndWithoutPaddingInTheCount() {
        let plain = AvgPool2d(kernelSize: 2)
        #expect(plain(Variable(ramp)).value.scalars(as: Float.self) == [2.5, 4.5, 10.5, 12.5])
        // 3×3 windows, stride 2, padding 1: corner window holds 0,1,4,5 (4 real cells of 9).
        let included = AvgPool2d(kernelSize: 3, stride: 2, padding: 1)
        let excluded = AvgPool2d(kernelSize: 3, stride: 2, padding: 1, countIncludePadding: false)
        #expect(Swift.abs(included(Variable(ramp)).value.scalars(as: Float.self)[0] - 10.0 / 9.0) < 1e-6)
        #expect(excluded(Variable(ramp)).value.scalars(as: Float.self)[0] == 2.5)
        // Second window: rows -1…1, columns 1…3 → 1+2+3+5+6+7 = 24 over 6 real cells.
        #expect(excluded(Variable(ramp)).value.scalars(as: Float.self)[1] == 4)
    }

    @Test func adaptiveAveragePooling() throws {
        let global = AdaptiveAvgPool2d(outputSize: 1)
        #expect(global(Variable(ramp)).value.scalars(as: Float.self) == [7.5])
        // 4 → 3: bins [0,2), [1,3), [2,4) on each axis.
        let three = AdaptiveAvgPool2d(outputSize: (3, 3))
        let output = three(Variable(ramp)).value.scalars(as: Float.self)
        #expect(output == [2.5, 3.5, 4.5, 6.5, 7.5, 8.5, 10.5, 11.5, 12.5])
        let input = Variable(ramp, requiresGradient: true)
        try global(input).sum().backward()
        #expect(input.gradient?.scalars(as: Float.self) == [Float](repeating: 1.0 / 16, count: 16))
    }
}
