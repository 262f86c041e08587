import ForgeTensor
import Testing

/// The code shown in ForgeTensor.docc/GettingStarted.md, kept here so it always compiles and does what
/// the article says.
@Suite("Documentation examples")
struct DocumentationExamplesTests {
    @Test func gettingStartedCompute() {
        let features = Tensor([1, 2, 3, 4, 5, 6] as [Float], shape: [2, 3])
        let bias = Tensor.zeros(shape: [3])
        var generator = RandomGenerator(seed: 42)
        let weight = Tensor.normal(shape: [3, 4], standardDeviation: 0.1, generator: &generator)

        let centered = features - features.mean(axis: 0, keepingDimensions: true)
        let scores = (features + bias).matmul(weight)
        let probabilities = scores.softmax(axis: -1)
        let predictions = probabilities.argmax(axis: 1)

        #expect(centered.scalars(as: Float.self) == [-1.5, -1.5, -1.5, 1.5, 1.5, 1.5])
        #expect(scores.shape == [2, 4])
        #expect(probabilities.sum(axis: 1).isApproximatelyEqual(to: Tensor([1, 1] as [Float]), absoluteTolerance: 1e-6))
        #expect(predictions.dtype == .int64)
        #expect(predictions.shape == [2])
    }

    @Test func gettingStartedViews() {
        let grid = Tensor.arange(0, 12).reshaped(3, 4)
        var corner = grid[0..<2, 0..<2]
        corner[0, 0] = Tensor(Float(99))
        #expect(grid.element(at: [0, 0], as: Float.self) == 0)
        #expect(corner.scalars(as: Float.self) == [99, 1, 4, 5])
    }
}
