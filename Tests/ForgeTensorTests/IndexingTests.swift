import Testing

@testable import ForgeTensor

@Suite("Gather, scatter, masks and one-hot")
struct IndexingTests {
    let x = Tensor([1, 2, 3, 4, 5, 6] as [Float], shape: [2, 3])

    @Test func gatherAlongAxes() {
        // torch.gather(x, 1, [[2, 0], [1, 1]]) = [[3, 1], [5, 5]]
        let picked = x.gather(axis: 1, index: Tensor(rows: [[2, 0], [1, 1]] as [[Int64]]))
        #expect(picked.scalars(as: Float.self) == [3, 1, 5, 5])
        // torch.gather(x, 0, [[1, 0, 1]]) = [[4, 2, 6]]
        #expect(x.gather(axis: 0, index: Tensor(rows: [[1, 0, 1]] as [[Int32]])).scalars(as: Float.self) == [4, 2, 6])
        #expect(x.gather(axis: 1, index: Tensor(rows: [[-1], [-3]] as [[Int64]])).scalars(as: Float.self) == [3, 4])
        // Picking class scores, as a cross-entropy loss does.
        let labels = Tensor([2, 0] as [Int64]).unsqueezed(axis: 1)
        #expect(x.transposed().transposed().gather(axis: 1, index: labels).scalars(as: Float.self) == [3, 4])
    }

    @Test func indexSelectRowsAndColumns() {
        #expect(x.indexSelect(axis: 0, indices: Tensor([1, 1, 0] as [Int64])).scalars(as: Float.self) == [4, 5, 6, 4, 5, 6, 1, 2, 3])
        #expect(x.indexSelect(axis: 1, indices: Tensor([2, 0] as [Int32])).scalars(as: Float.self) == [3, 1, 6, 4])
    }

    @Test func scatterAddAccumulatesRepeats() {
        let base = Tensor.zeros(shape: [3])
        let result = base.scatterAdd(
            axis: 0, index: Tensor([0, 2, 0, 0] as [Int64]), source: Tensor([1, 2, 3, 4] as [Float]))
        #expect(result.scalars(as: Float.self) == [8, 0, 2])
        #expect(base.scalars(as: Float.self) == [0, 0, 0])
        // torch.zeros(2, 3).scatter_add(1, [[0, 1, 0], [2, 2, 2]], ones) = [[2, 1, 0], [0, 0, 3]]
        let two = Tensor.zeros(shape: [2, 3]).scatterAdd(
            axis: 1, index: Tensor(rows: [[0, 1, 0], [2, 2, 2]] as [[Int64]]), source: Tensor.ones(shape: [2, 3]))
        #expect(two.scalars(as: Float.self) == [2, 1, 0, 0, 0, 3])
    }

    @Test func oneHotEncoding() {
        let encoded = Tensor([2, 0, 1] as [Int64]).oneHot(classes: 3)
        #expect(encoded.shape == [3, 3])
        #expect(encoded.scalars(as: Float.self) == [0, 0, 1, 1, 0, 0, 0, 1, 0])
        #expect(Tensor([1] as [Int32]).oneHot(classes: 2, dtype: .int64).scalars(as: Int64.self) == [0, 1])
    }

    @Test func whereAndMaskedFill() {
        let mask = x .> 3
        #expect(Tensor.where(mask, x, Tensor(Float(0))).scalars(as: Float.self) == [0, 0, 0, 4, 5, 6])
        #expect(x.maskedFill(mask, with: -1).scalars(as: Float.self) == [1, 2, 3, -1, -1, -1])
        let causal = Tensor(rows: [[false, true], [false, false]] as [[Bool]])
        let scores = Tensor.ones(shape: [2, 2, 2]).maskedFill(causal, with: -.infinity)
        #expect(scores.softmax().scalars(as: Float.self) == [1, 0, 0.5, 0.5, 1, 0, 0.5, 0.5])
    }
}
