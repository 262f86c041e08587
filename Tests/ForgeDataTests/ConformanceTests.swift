import ForgeTensor
import Foundation
import Testing

@testable import ForgeData

/// What every `Dataset` must guarantee: the same example for the same index, and a `batch(at:)`
/// equal to stacking the examples.
func checkDatasetConformance(_ dataset: some Dataset, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(dataset.count > 1, sourceLocation: sourceLocation)
    let indices = [dataset.count - 1, 0, dataset.count / 2, 0]
    let first = indices.map { dataset[$0] }
    let second = indices.map { dataset[$0] }
    for (a, b) in zip(first, second) {
        #expect(a.features.doubleScalars == b.features.doubleScalars, sourceLocation: sourceLocation)
        #expect(a.label.doubleScalars == b.label.doubleScalars, sourceLocation: sourceLocation)
    }
    let batch = dataset.batch(at: indices)
    let stacked = Batch.collate(first, indices: indices)
    #expect(batch.indices == indices, sourceLocation: sourceLocation)
    #expect(batch.features.shape == stacked.features.shape, sourceLocation: sourceLocation)
    #expect(batch.features.doubleScalars == stacked.features.doubleScalars, sourceLocation: sourceLocation)
    #expect(batch.labels.doubleScalars == stacked.labels.doubleScalars, sourceLocation: sourceLocation)
}

/// What every `Transform` must guarantee: the output depends only on the input and the generator.
func checkTransformConformance(
    _ transform: some Transform, input: Tensor, sourceLocation: SourceLocation = #_sourceLocation
) {
    var first = RandomGenerator(seed: 99)
    var second = RandomGenerator(seed: 99)
    let a = transform.apply(input, generator: &first)
    let b = transform.apply(input, generator: &second)
    #expect(a.shape == b.shape, sourceLocation: sourceLocation)
    #expect(a.doubleScalars.map(\.bitPattern) == b.doubleScalars.map(\.bitPattern), sourceLocation: sourceLocation)
    #expect(first == second, sourceLocation: sourceLocation)
}

@Suite("ForgeData protocol conformance")
struct ConformanceTests {
    @Test func everyBuiltInDatasetConforms() throws {
        let ramp = rampDataset(12)
        checkDatasetConformance(ramp)
        checkDatasetConformance(ramp.subset([3, 1, 7, 7]))
        checkDatasetConformance(ConcatenatedDataset([rampDataset(3), rampDataset(4)]))
        checkDatasetConformance(ramp.map { Example(features: $0.features * 3, label: $0.label) })
        checkDatasetConformance(
            try CSVReader.readTable(at: Fixtures.url("iris_test.csv")).dataset(labelColumn: "label"))
        checkDatasetConformance(SyntheticData.twoMoons(count: 10, seed: 1))
        checkDatasetConformance(CountingDataset())
    }

    @Test func everyBuiltInTransformConforms() {
        var generator = RandomGenerator(seed: 3)
        let images = Tensor.uniform(shape: [3, 2, 6, 6], generator: &generator)
        let table = Tensor.uniform(shape: [5, 4], generator: &generator)
        let sequences = Tensor.uniform(shape: [3, 2, 20], generator: &generator)
        checkTransformConformance(Standardize.fit(table), input: table)
        checkTransformConformance(MinMaxScale.fit(table), input: table)
        checkTransformConformance(Impute.fit(table), input: table)
        checkTransformConformance(OneHot(classes: 4), input: Tensor([3, 0, 1] as [Int64]))
        checkTransformConformance(RandomCrop(height: 5, width: 5, padding: 2), input: images)
        checkTransformConformance(RandomHorizontalFlip(), input: images)
        checkTransformConformance(
            RandomAffine(maxRotationDegrees: 20, maxTranslation: 0.1, scaleRange: 0.9...1.1), input: images)
        checkTransformConformance(Cutout(size: 3), input: images)
        checkTransformConformance(GaussianNoise(standardDeviation: 0.1), input: sequences)
        checkTransformConformance(TimeShift(maxShift: 4), input: sequences)
        checkTransformConformance(TimeMask(maxWidth: 5, count: 2), input: sequences)
        checkTransformConformance(Standardize.fit(table).then(GaussianNoise(standardDeviation: 1)), input: table)
        checkTransformConformance(AddUniformNoise(), input: table)
    }
}
