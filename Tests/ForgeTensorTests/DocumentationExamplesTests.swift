import ForgeTensor
import Foundation
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

    @Test func gettingStartedFilesAndLinearAlgebra() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("forge-docs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let weight = Tensor([1, 2, 3, 4] as [Float], shape: [2, 2])
        let bias = Tensor([0.5, -0.5] as [Float])
        let url = directory.appendingPathComponent("weights.safetensors")
        try SafeTensors.write(["weight": weight, "bias": bias], metadata: ["epoch": "3"], to: url)
        let (tensors, metadata) = try SafeTensors.read(from: url)
        #expect(tensors["weight"] == weight && tensors["bias"] == bias)
        #expect(metadata == ["epoch": "3"])
        let features = Tensor.arange(0, 6).reshaped(2, 3)
        try NumPyFile.write(features, to: directory.appendingPathComponent("features.npy"))
        #expect(try NumPyFile.read(from: directory.appendingPathComponent("features.npy")) == features)

        let design = Tensor(rows: [[1, 0], [1, 1], [1, 2]] as [[Double]])
        let targets = Tensor([1, 3, 5] as [Double])
        let coefficients = try LinearAlgebra.leastSquares(design, targets)
        #expect(coefficients.isApproximatelyEqual(to: Tensor([1, 2] as [Double]), absoluteTolerance: 1e-12))
        let covariance = Tensor(rows: [[4, 2], [2, 3]] as [[Double]])
        let factor = try LinearAlgebra.cholesky(covariance)
        #expect(factor.matmul(factor.transposed()).isApproximatelyEqual(to: covariance, absoluteTolerance: 1e-12))
    }
}
