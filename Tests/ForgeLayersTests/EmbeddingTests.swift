import ForgeAutograd
import ForgeLayers
import ForgeTensor
import Testing

@Suite("Embedding")
struct EmbeddingTests {
    @Test func looksUpRowsInTheIndicesShape() {
        let embedding = Embedding(count: 5, dimension: 3, seed: 1)
        #expect(embedding.namedParameters().map(\.name) == ["weight"])
        let table = embedding.weight.value.scalars(as: Float.self)
        let indices = Tensor([4, 0, 4, 2] as [Int64], shape: [2, 2])
        let output = embedding(indices)
        #expect(output.shape == [2, 2, 3])
        let expected = [4, 0, 4, 2].flatMap { Array(table[$0 * 3..<$0 * 3 + 3]) }
        #expect(output.value.scalars(as: Float.self) == expected)
        #expect(embedding(Tensor([1, 3] as [Int32])).shape == [2, 3])
        // The default initialization is N(0, 1).
        let large = Embedding(count: 200, dimension: 50, seed: 2)
        let (mean, deviation) = moments(large.weight.value)
        #expect(Swift.abs(mean) < 0.03 && Swift.abs(deviation - 1) < 0.03)
    }

    @Test func gradientsAccumulateForRepeatedIndicesAndSkipPadding() throws {
        let embedding = Embedding(count: 4, dimension: 2, paddingIndex: -1, seed: 3)
        #expect(embedding.paddingIndex == 3)
        #expect(embedding.weight.value.scalars(as: Float.self)[6...] == [0, 0])
        let indices = Tensor([1, 3, 1, 0, 3] as [Int64])
        let upstream = Tensor((1...10).map { Float($0) }, shape: [5, 2])
        try (embedding(indices) * upstream).sum().backward()
        // row 0 ← position 3; row 1 ← positions 0 and 2; row 2 ← none; row 3 is padding.
        #expect(embedding.weight.gradient?.scalars(as: Float.self) == [7, 8, 1 + 5, 2 + 6, 0, 0, 0, 0])
    }

    @Test func gradientCheckAgainstCentralDifferences() {
        let indices = Tensor([2, 0, 2, 1, 0, 0] as [Int64], shape: [3, 2])
        var generator = RandomGenerator(seed: 4)
        let table = Tensor.normal(shape: [3, 4], generator: &generator)
        let result = gradientCheck(inputs: [table]) { v in Variable.embedding(v[0], indices: indices) }
        #expect(result.passed, "\(result)")
        // With a padding row, the analytic gradient of that row is zero where the numeric one is not.
        let padded = gradientCheck(inputs: [table]) { v in Variable.embedding(v[0], indices: indices, paddingIndex: 1) }
        #expect(!padded.passed && padded.mismatches.allSatisfy { $0.element / 4 == 1 })
    }
}
