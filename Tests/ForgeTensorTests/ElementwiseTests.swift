import Testing

@testable import ForgeTensor

@Suite("Element-wise operations and broadcasting")
struct ElementwiseTests {
    @Test func arithmeticWithBroadcasting() {
        let matrix = Tensor([1, 2, 3, 4, 5, 6] as [Float], shape: [2, 3])
        let row = Tensor([10, 20, 30] as [Float])
        let column = Tensor([100, 200] as [Float], shape: [2, 1])
        #expect((matrix + row).scalars(as: Float.self) == [11, 22, 33, 14, 25, 36])
        #expect((matrix + column).scalars(as: Float.self) == [101, 102, 103, 204, 205, 206])
        #expect((row + column).shape == [2, 3])
        #expect((matrix - 1).scalars(as: Float.self) == [0, 1, 2, 3, 4, 5])
        #expect((2 * matrix).scalars(as: Float.self) == [2, 4, 6, 8, 10, 12])
        #expect((matrix / 2).scalars(as: Float.self) == [0.5, 1, 1.5, 2, 2.5, 3])
        #expect((1 / Tensor([2, 4] as [Float])).scalars(as: Float.self) == [0.5, 0.25])
        #expect((-matrix).scalars(as: Float.self) == [-1, -2, -3, -4, -5, -6])
        #expect(matrix.pow(2).scalars(as: Float.self) == [1, 4, 9, 16, 25, 36])
        #expect(Tensor([4, 9] as [Float]).pow(0.5).scalars(as: Float.self) == [2, 3])
    }

    @Test func broadcastingEdgeCases() {
        // Size-1 dimensions on both sides.
        let a = Tensor((0..<3).map { Float($0) }, shape: [3, 1, 1])
        let b = Tensor((0..<4).map { Float($0) }, shape: [1, 4, 1])
        let c = Tensor((0..<2).map { Float($0) }, shape: [2])
        let sum = a + b + c
        #expect(sum.shape == [3, 4, 2])
        for index in allIndices([3, 4, 2]) {
            #expect(sum.element(at: index, as: Float.self) == Float(index[0] + index[1] + index[2]))
        }
        // Zero-size dimensions broadcast against size 1 and give zero-size results.
        let empty = Tensor.zeros(shape: [0, 1])
        #expect((empty + Tensor.ones(shape: [1, 5])).shape == [0, 5])
        // Scalars (0-d) broadcast everywhere.
        #expect((Tensor(Float(2)) * Tensor.ones(shape: [2, 2])).scalars(as: Float.self) == [2, 2, 2, 2])
    }

    @Test func nonContiguousOperands() {
        var random = TestRandom(seed: 7)
        let base = Tensor(random.floats(60), shape: [3, 4, 5])
        let permuted = base.permuted(2, 0, 1)  // [5, 3, 4]
        let sliced = Tensor(random.floats(5 * 3 * 8), shape: [5, 3, 8])[.all, .all, TensorIndex.range(0, nil, step: 2)]
        let result = permuted * sliced + permuted
        for index in allIndices([5, 3, 4]) {
            let x = permuted.element(at: index, as: Float.self)
            let y = sliced.element(at: index, as: Float.self)
            #expect(result.element(at: index, as: Float.self) == x * y + x)
        }
        let fused = Tensor.multiplyAdd(permuted, sliced, permuted)
        #expect(fused == result)
    }

    @Test func typePromotion() {
        let ints = Tensor([1, 2, 3] as [Int32])
        let floats = Tensor([0.5, 0.5, 0.5] as [Float])
        #expect((ints + floats).dtype == .float32)
        #expect((ints + floats).scalars(as: Float.self) == [1.5, 2.5, 3.5])
        #expect((ints + 1).dtype == .int32)
        #expect((ints * 2).scalars(as: Int32.self) == [2, 4, 6])
        #expect((ints + 0.5).dtype == .float32)
        #expect((ints / 2).dtype == .float32)
        #expect((ints / 2).scalars(as: Float.self) == [0.5, 1, 1.5])
        #expect((ints + Tensor([1, 1, 1] as [Int64])).dtype == .int64)
        #expect((Tensor([1] as [Double]) + floats[0..<1]).dtype == .float64)
        #expect((Tensor([250] as [UInt8]) + 10).scalars(as: UInt8.self) == [4])  // wraps like PyTorch
    }

    @Test func unaryMathAgainstReference() {
        let values: [Double] = [-3, -0.5, 0, 0.25, 1, 4]
        let x = Tensor(values)
        func check(_ result: Tensor, _ reference: (Double) -> Double, tolerance: Double = 1e-12) {
            let got = result.scalars(as: Double.self)
            for (index, value) in values.enumerated() {
                let expected = reference(value)
                if expected.isNaN {
                    #expect(got[index].isNaN)
                } else if expected.isInfinite {
                    #expect(got[index] == expected)
                } else {
                    #expect(Swift.abs(got[index] - expected) <= tolerance, "at \(value): \(got[index]) vs \(expected)")
                }
            }
        }
        check(x.abs(), { Swift.abs($0) })
        check(x.exp(), { Double.exp($0) })
        check(x.log(), { Double.log($0) })
        check(x.log1p(), { Double.log1p($0) })
        check(x.sqrt(), { $0.squareRoot() })
        check(x.tanh(), { Double.tanh($0) })
        check(x.sin(), { Double.sin($0) })
        check(x.cos(), { Double.cos($0) })
        check(x.sigmoid(), { 1 / (1 + Double.exp(-$0)) })
        check(x.relu(), { Swift.max($0, 0) })
        check(x.squared(), { $0 * $0 })
        check(x.sign(), { $0 > 0 ? 1 : ($0 < 0 ? -1 : 0) })
        check(x.clamped(min: -1, max: 1), { Swift.min(Swift.max($0, -1), 1) })
        // GELU(x) = x·Φ(x); values from PyTorch's exact gelu.
        let gelu = Tensor([-3, -0.5, 0, 1, 2] as [Float]).gelu().scalars(as: Float.self)
        let expected: [Float] = [-0.004_049_7, -0.154_268_7, 0, 0.841_344_7, 1.954_5]
        for (got, want) in zip(gelu, expected) { #expect(Swift.abs(got - want) < 1e-4) }
        let r = Tensor([4, 16] as [Float]).rsqrt().scalars(as: Float.self)
        #expect(r == [0.5, 0.25])
    }

    @Test func sigmoidIsStableForLargeInputs() {
        let s = Tensor([-1000, -50, 50, 1000] as [Float]).sigmoid().scalars(as: Float.self)
        #expect(s[0] == 0)
        #expect(s[1] > 0 && s[1] < 1e-20)
        #expect(s[2] == 1)
        #expect(s[3] == 1)
        #expect(!s.contains { $0.isNaN })
    }

    @Test func minimumMaximumPropagateNaN() {
        let a = Tensor([1, .nan, 3] as [Float])
        let b = Tensor([2, 0, .nan] as [Float])
        let low = Tensor.minimum(a, b).scalars(as: Float.self)
        let high = Tensor.maximum(a, b).scalars(as: Float.self)
        #expect(low[0] == 1 && low[1].isNaN && low[2].isNaN)
        #expect(high[0] == 2 && high[1].isNaN && high[2].isNaN)
        #expect(Tensor.maximum(Tensor([1, 5] as [Int64]), Tensor([3, 2] as [Int64])).scalars(as: Int64.self) == [3, 5])
    }

    @Test func comparisonsAndLogic() {
        let a = Tensor([1, 2, 3] as [Float])
        let b = Tensor([3, 2, 1] as [Float])
        #expect((a .== b).scalars(as: Bool.self) == [false, true, false])
        #expect((a .!= b).scalars(as: Bool.self) == [true, false, true])
        #expect((a .< b).scalars(as: Bool.self) == [true, false, false])
        #expect((a .<= b).scalars(as: Bool.self) == [true, true, false])
        #expect((a .> 1).scalars(as: Bool.self) == [false, true, true])
        #expect((a .>= 2).scalars(as: Bool.self) == [false, true, true])
        #expect(((a .> 1) .& (b .> 1)).scalars(as: Bool.self) == [false, true, false])
        #expect(((a .> 2) .| (b .> 2)).scalars(as: Bool.self) == [true, false, true])
        #expect((.!(a .> 1)).scalars(as: Bool.self) == [true, false, false])
        #expect(Tensor([1, .nan] as [Float]).isNaN().scalars(as: Bool.self) == [false, true])
        #expect(Tensor([1, .infinity] as [Float]).isFinite().scalars(as: Bool.self) == [true, false])
    }

    @Test func inPlaceOperators() {
        var x = Tensor([1, 2, 3, 4] as [Float], shape: [2, 2])
        x += Tensor([10, 20] as [Float])
        #expect(x.scalars(as: Float.self) == [11, 22, 13, 24])
        x -= 1
        x *= 2
        x /= Tensor([2, 4] as [Float], shape: [2, 1])
        #expect(x.scalars(as: Float.self) == [10, 21, 6, 11.5])
        var view = Tensor((0..<6).map { Float($0) }, shape: [2, 3]).transposed()
        view += 1
        #expect(view.scalars(as: Float.self) == [1, 4, 2, 5, 3, 6])
    }

    @Test func largeTensorsUseThreadsDeterministically() {
        var random = TestRandom(seed: 3)
        let count = 300_000
        let a = Tensor(random.floats(count))
        let b = Tensor(random.floats(count))
        let (single, singleSum) = ForgeThreads.withLimit(1) { (Tensor.multiplyAdd(a, b, a), (a * b).sum()) }
        let (double, doubleSum) = ForgeThreads.withLimit(2) { (Tensor.multiplyAdd(a, b, a), (a * b).sum()) }
        #expect(single == double)
        #expect(singleSum == doubleSum)
        let x = a.scalars(as: Float.self)
        let y = b.scalars(as: Float.self)
        let z = double.scalars(as: Float.self)
        for index in stride(from: 0, to: count, by: 997) { #expect(z[index] == x[index] * y[index] + x[index]) }
    }
}
