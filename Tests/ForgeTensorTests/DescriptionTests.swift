import Testing

@testable import ForgeTensor

@Suite("Description and equality")
struct DescriptionTests {
    @Test func readableDescriptions() {
        #expect(Tensor([1, 2.5, 3] as [Float]).description == "tensor([1.0000, 2.5000, 3.0000])")
        #expect(Tensor([1, 2, 3, 4] as [Float], shape: [2, 2]).description == "tensor([[1., 2.],\n        [3., 4.]])")
        #expect(Tensor([1, 2] as [Int64]).description == "tensor([1, 2], dtype=int64)")
        #expect(Tensor([true, false] as [Bool]).description == "tensor([true, false], dtype=bool)")
        #expect(Tensor(Float(3)).description == "tensor(3.)")
        #expect(Tensor.zeros(shape: [0, 2]).description == "tensor([], size=[0, 2])")
        #expect(Tensor([1e-6, 1] as [Float]).description == "tensor([1.0000e-06, 1.0000e+00])")
        #expect(Tensor([.nan, .infinity] as [Float]).description == "tensor([nan, inf])")
    }

    @Test func largeTensorsAreSummarized() {
        let big = Tensor.arange(0, 2000)
        #expect(big.description == "tensor([0., 1., 2., ..., 1997., 1998., 1999.])")
        let matrix = Tensor.arange(0, 1200).reshaped(40, 30).description
        #expect(matrix.contains("..."))
        #expect(matrix.split(separator: "\n").count == 7)
    }

    @Test func equalityIgnoresLayout() {
        let a = Tensor([1, 2, 3, 4] as [Float], shape: [2, 2])
        #expect(a.transposed().contiguous() == a.transposed())
        #expect(a != a.transposed())
        #expect(a != a.converted(to: .float64))
        #expect(a != a.reshaped(4))
        #expect(Tensor([Float.nan]) != Tensor([Float.nan]))
        #expect(Tensor([Float.nan]).isApproximatelyEqual(to: Tensor([Float.nan]), nanEqual: true))
        #expect(a.isApproximatelyEqual(to: a + 1e-7))
        #expect(!a.isApproximatelyEqual(to: a + 1e-3))
        #expect(a.isApproximatelyEqual(to: a + 1e-3, absoluteTolerance: 2e-3))
        #expect((a + 0.5).maximumAbsoluteDifference(from: a) == 0.5)
    }
}
