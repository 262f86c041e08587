import Testing

@testable import ForgeTensor

@Suite("Reductions and softmax")
struct ReductionTests {
    let x = Tensor([1, 2, 3, 4, 5, 6] as [Float], shape: [2, 3])

    @Test func sumsOverAxes() {
        #expect(x.sum().item(as: Float.self) == 21)
        #expect(x.sum(axis: 0).scalars(as: Float.self) == [5, 7, 9])
        #expect(x.sum(axis: 1).scalars(as: Float.self) == [6, 15])
        #expect(x.sum(axis: -1, keepingDimensions: true).shape == [2, 1])
        #expect(x.sum(axes: [0, 1], keepingDimensions: true).shape == [1, 1])
        #expect(x.transposed().sum(axis: 1).scalars(as: Float.self) == [5, 7, 9])
        #expect(Tensor([1, 2, 3] as [Int32]).sum().dtype == .int64)
        #expect(Tensor([true, true, false] as [Bool]).sum().item(as: Int64.self) == 2)
        #expect(x.product(axis: 1).scalars(as: Float.self) == [6, 120])
        #expect(x.product(axes: [1]).scalars(as: Float.self) == [6, 120])
    }

    @Test func threeDimensionalAgainstNaiveLoops() {
        var random = TestRandom(seed: 11)
        let values = random.doubles(4 * 5 * 6)
        let t = Tensor(values, shape: [4, 5, 6]).permuted(1, 0, 2)  // [5, 4, 6], non-contiguous
        let reduced = t.sum(axes: [0, 2])
        for j in 0..<4 {
            var expected = 0.0
            for i in 0..<5 { for k in 0..<6 { expected += values[j * 30 + i * 6 + k] } }
            #expect(Swift.abs(reduced.element(at: [j], as: Double.self) - expected) < 1e-12)
        }
        let maxima = t.max(axis: 2)
        for i in 0..<5 {
            for j in 0..<4 {
                let row = (0..<6).map { values[j * 30 + i * 6 + $0] }
                #expect(maxima.element(at: [i, j], as: Double.self) == row.max())
                #expect(t.argmax(axis: 2).element(at: [i, j], as: Int64.self) == Int64(row.firstIndex(of: row.max()!)!))
                #expect(t.argmin(axis: 2).element(at: [i, j], as: Int64.self) == Int64(row.firstIndex(of: row.min()!)!))
            }
        }
    }

    @Test func meanVarianceStandardDeviation() {
        #expect(x.mean().item(as: Float.self) == 3.5)
        #expect(x.mean(axis: 0).scalars(as: Float.self) == [2.5, 3.5, 4.5])
        // NumPy: np.var([1,2,3,4,5,6], ddof=1) = 3.5, ddof=0 = 2.9166666
        #expect(Swift.abs(x.variance().item(as: Float.self) - 3.5) < 1e-6)
        #expect(Swift.abs(x.variance(correction: 0).item(as: Float.self) - 2.916_666_7) < 1e-6)
        #expect(x.variance(axes: [1]).isApproximatelyEqual(to: Tensor([1, 1] as [Float])))
        #expect(Swift.abs(x.standardDeviation().item(as: Float.self) - 1.870_828_7) < 1e-6)
        #expect(Tensor([1, 2] as [Int64]).mean().dtype == .float32)
    }

    @Test func minMaxArgWithNaN() {
        let t = Tensor([3, .nan, 7, -1] as [Float])
        #expect(t.max().item(as: Float.self).isNaN)
        #expect(t.argmax().item(as: Int64.self) == 1)
        #expect(Tensor([3, 9, 9, -1] as [Float]).argmax().item(as: Int64.self) == 1)
        #expect(Tensor([3, 9, -4, -4] as [Float]).argmin().item(as: Int64.self) == 2)
        #expect(Tensor([5, -2, 8] as [Int32]).min().item(as: Int32.self) == -2)
        #expect(x.max(axis: 1, keepingDimensions: true).scalars(as: Float.self) == [3, 6])
        #expect(x.argmax(axis: 0, keepingDimensions: true).shape == [1, 3])
    }

    @Test func wholeTensorSumIsAccurateAndThreadIndependent() {
        // 2^20 copies of 0.1: a naive float32 running sum drifts by percent; blocked sums stay close.
        let count = 1 << 20
        let t = Tensor.full(shape: [count], value: 0.1)
        let single = ForgeThreads.withLimit(1) { t.sum().item(as: Float.self) }
        let double = ForgeThreads.withLimit(2) { t.sum().item(as: Float.self) }
        #expect(single == double)
        #expect(Swift.abs(Double(single) - Double(Float(0.1)) * Double(count)) / Double(count) < 1e-5)
    }

    @Test func logSumExpIsStable() {
        let t = Tensor([1000, 1000, -.infinity] as [Float])
        #expect(Swift.abs(t.logSumExp().item(as: Float.self) - (1000 + Float.log(2))) < 1e-3)
        let allNegative = Tensor([-Float.infinity, -.infinity] as [Float])
        #expect(allNegative.logSumExp().item(as: Float.self) == -.infinity)
    }

    @Test func softmaxMatchesDefinition() {
        let logits = Tensor([1, 2, 3, 1000, 1001, 1002] as [Float], shape: [2, 3])
        let expected: [Float] = [0.090_030_57, 0.244_728_47, 0.665_240_96]
        let probabilities = logits.softmax(axis: 1).scalars(as: Float.self)
        for (index, value) in probabilities.enumerated() { #expect(Swift.abs(value - expected[index % 3]) < 1e-6) }
        let logProbabilities = logits.logSoftmax(axis: -1).scalars(as: Float.self)
        for (index, value) in logProbabilities.enumerated() {
            #expect(Swift.abs(value - Float.log(expected[index % 3])) < 3e-5)
        }
        // Along a non-last axis the composite path must agree with the row kernel on the transpose.
        let alongColumns = logits.transposed().softmax(axis: 0)
        #expect(alongColumns.isApproximatelyEqual(to: logits.softmax(axis: 1).transposed(), absoluteTolerance: 1e-6))
        let logColumns = logits.transposed().logSoftmax(axis: 0)
        #expect(logColumns.isApproximatelyEqual(to: logits.logSoftmax(axis: 1).transposed(), absoluteTolerance: 1e-4))
        let masked = Tensor([0, -.infinity] as [Float]).softmax().scalars(as: Float.self)
        #expect(masked == [1, 0])
    }
}
