import ForgeAutograd
import ForgeLayers
import ForgeTensor
import Testing

@Suite("Batch normalization")
struct BatchNormTests {
    /// `[4, 2]`: channel 0 is 1, 2, 3, 4 (mean 2.5, biased variance 1.25); channel 1 is 0, 0, 2, 2 (mean 1, variance 1).
    private let batch = Tensor(rows: [[1, 0], [2, 0], [3, 2], [4, 2]] as [[Float]])

    @Test func namesMatchPyTorch() {
        let norm = BatchNorm2d(features: 3)
        #expect(norm.namedParameters().map(\.name) == ["weight", "bias"])
        #expect(norm.namedBuffers().map(\.name) == ["running_mean", "running_var", "num_batches_tracked"])
        #expect(norm.numBatchesTracked?.value.dtype == .int64 && norm.numBatchesTracked?.value.shape == [])
        #expect(norm.weight?.value.scalars(as: Float.self) == [1, 1, 1])
        #expect(norm.runningVariance?.value.scalars(as: Float.self) == [1, 1, 1])
        let bare = BatchNorm1d(features: 2, affine: false, trackRunningStatistics: false)
        #expect(bare.namedMembers().isEmpty)
    }

    @Test func trainingNormalizesWithBatchStatisticsAndUpdatesRunningOnes() {
        let norm = BatchNorm1d(features: 2)
        let output = norm(Variable(batch)).value.doubleScalars
        let (mean, variance) = ([2.5, 1.0], [1.25, 1.0])
        let x = batch.doubleScalars
        for index in 0..<8 {
            let c = index % 2
            let expected = (x[index] - mean[c]) / (variance[c] + 1e-5).squareRoot()
            #expect(Swift.abs(output[index] - expected) < 1e-6, "element \(index)")
        }
        // running = 0.9 · initial + 0.1 · batch, with the unbiased variance (× 4/3).
        #expect(maximumDifference(norm.runningMean!.value, Tensor([0.25, 0.1] as [Float])) < 1e-7)
        #expect(
            maximumDifference(norm.runningVariance!.value, Tensor([0.9 + 0.1 * 5 / 3, 0.9 + 0.1 * 4 / 3] as [Float]))
                < 1e-6)
        #expect(norm.numBatchesTracked?.value.item(as: Int64.self) == 1)
        _ = norm(Variable(batch))
        #expect(norm.numBatchesTracked?.value.item(as: Int64.self) == 2)
        #expect(maximumDifference(norm.runningMean!.value, Tensor([0.475, 0.19] as [Float])) < 1e-6)
    }

    @Test func evaluationUsesRunningStatisticsAndAffineParameters() {
        let norm = BatchNorm1d(features: 2, epsilon: 1e-3)
        norm.runningMean!.value = Tensor([1, -1] as [Float])
        norm.runningVariance!.value = Tensor([4, 0.25] as [Float])
        norm.weight!.value = Tensor([2, 3] as [Float])
        norm.bias!.value = Tensor([0.5, -0.5] as [Float])
        norm.eval()
        let output = norm(Variable(batch)).value.doubleScalars
        let x = batch.doubleScalars
        let (mean, variance, gamma, beta) = ([1.0, -1], [4.0, 0.25], [2.0, 3], [0.5, -0.5])
        for index in 0..<8 {
            let c = index % 2
            let expected = (x[index] - mean[c]) / (variance[c] + 1e-3).squareRoot() * gamma[c] + beta[c]
            #expect(Swift.abs(output[index] - expected) < 1e-5, "element \(index)")
        }
        #expect(norm.numBatchesTracked?.value.item(as: Int64.self) == 0, "evaluation must not update statistics")
    }

    @Test func cumulativeAverageWithoutMomentum() {
        let norm = BatchNorm1d(features: 2, momentum: nil)
        _ = norm(Variable(batch))
        #expect(maximumDifference(norm.runningMean!.value, Tensor([2.5, 1] as [Float])) < 1e-6)
        _ = norm(Variable(batch + 2))
        #expect(maximumDifference(norm.runningMean!.value, Tensor([3.5, 2] as [Float])) < 1e-6)
        #expect(maximumDifference(norm.runningVariance!.value, Tensor([5.0 / 3, 4.0 / 3] as [Float])) < 1e-6)
    }

    @Test func batchNorm2dPerChannelOverBatchAndSpace() {
        var generator = RandomGenerator(seed: 31)
        let input = Tensor.normal(shape: [3, 2, 4, 5], mean: 2, standardDeviation: 3, generator: &generator)
        let norm = BatchNorm2d(features: 2)
        let output = norm(Variable(input)).value
        let perChannel = output.permuted([1, 0, 2, 3]).reshaped([2, 60]).converted(to: .float64)
        #expect(maximumDifference(perChannel.mean(axis: 1), Tensor([0, 0] as [Double])) < 1e-5)
        #expect(maximumDifference(perChannel.variance(axes: [1], correction: 0), Tensor([1, 1] as [Double])) < 1e-4)
        // Without running statistics, evaluation also normalizes with the batch's.
        let untracked = BatchNorm2d(features: 2, trackRunningStatistics: false)
        untracked.eval()
        #expect(maximumDifference(untracked(Variable(input)).value, output) < 1e-6)
    }

    @Test func gradientCheckTrainingMode() {
        var generator = RandomGenerator(seed: 32)
        let input = Tensor.normal(shape: [3, 2, 2, 3], generator: &generator)
        let weight = Tensor.uniform(shape: [2], low: 0.5, high: 1.5, generator: &generator)
        let bias = Tensor.normal(shape: [2], generator: &generator)
        let result = gradientCheck(inputs: [input, weight, bias]) { v in
            Variable.batchNormalized(v[0], weight: v[1], bias: v[2], statistics: nil, epsilon: 1e-5).output
        }
        #expect(result.passed, "\(result)")
        let bare = gradientCheck(inputs: [Tensor.normal(shape: [5, 3], generator: &generator)]) { v in
            Variable.batchNormalized(v[0], weight: nil, bias: nil, statistics: nil, epsilon: 1e-5).output
        }
        #expect(bare.passed, "\(bare)")
    }

    @Test func gradientCheckEvaluationMode() {
        var generator = RandomGenerator(seed: 33)
        let input = Tensor.normal(shape: [2, 3, 4], generator: &generator)
        let statistics = (
            mean: Tensor([0.5, -0.2, 0.1] as [Double]), variance: Tensor([1.5, 0.7, 2.0] as [Double])
        )
        let result = gradientCheck(
            inputs: [
                input, Tensor.normal(shape: [3], generator: &generator),
                Tensor.normal(shape: [3], generator: &generator),
            ]
        ) { v in
            Variable.batchNormalized(v[0], weight: v[1], bias: v[2], statistics: statistics, epsilon: 1e-5).output
        }
        #expect(result.passed, "\(result)")
    }

    @Test func layerGradientsMatchComposedOperations() throws {
        var generator = RandomGenerator(seed: 34)
        let input = Tensor.normal(shape: [4, 3, 2, 2], generator: &generator)
        let norm = BatchNorm2d(features: 3)
        norm.weight!.value = Tensor([0.5, 1, 2] as [Float])
        let x = Variable(input, requiresGradient: true)
        let projection = Tensor.normal(shape: [4, 3, 2, 2], generator: &generator)
        try (norm(x) * projection).sum().backward()
        // The same computation from primitive differentiable operations.
        let y = Variable(input, requiresGradient: true)
        let gamma = Variable(Tensor([0.5, 1, 2] as [Float]).reshaped([1, 3, 1, 1]), requiresGradient: true)
        let mean = y.mean(axes: [0, 2, 3], keepingDimensions: true)
        let centered = y - mean
        let variance = centered.squared().mean(axes: [0, 2, 3], keepingDimensions: true)
        try ((centered * (variance + 1e-5).rsqrt() * gamma) * projection).sum().backward()
        #expect(maximumDifference(x.gradient!, y.gradient!) < 1e-5)
        #expect(maximumDifference(norm.weight!.gradient!, gamma.gradient!.reshaped([3])) < 1e-4)
    }
}
