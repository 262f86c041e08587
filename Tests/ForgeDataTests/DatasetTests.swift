import ForgeTensor
import Testing

@testable import ForgeData

/// A small dataset with features `[i, 10 i]` and label `i % 3`.
func rampDataset(_ count: Int) -> TensorDataset {
    let features = (0..<count).flatMap { [Float($0), Float($0 * 10)] }
    let labels = (0..<count).map { Int64($0 % 3) }
    return TensorDataset(features: Tensor(features, shape: [count, 2]), labels: Tensor(labels, shape: [count]))
}

@Suite("ForgeData datasets")
struct DatasetTests {
    @Test func tensorDatasetRowsAndBatch() {
        let data = rampDataset(5)
        #expect(data.count == 5)
        #expect(data[3].features.scalars(as: Float.self) == [3, 30])
        #expect(data[3].label.item(as: Int64.self) == 0)
        let batch = data.batch(at: [4, 1])
        #expect(batch.features.shape == [2, 2])
        #expect(batch.features.scalars(as: Float.self) == [4, 40, 1, 10])
        #expect(batch.labels.scalars(as: Int64.self) == [1, 1])
        #expect(batch.indices == [4, 1])
    }

    @Test func defaultCollateMatchesFastPath() {
        struct Slow: Dataset {
            let base: TensorDataset
            var count: Int { base.count }
            subscript(index: Int) -> Example { base[index] }
        }
        let data = rampDataset(7)
        let slow = Slow(base: data).batch(at: [6, 0, 2])
        let fast = data.batch(at: [6, 0, 2])
        #expect(slow.features.scalars(as: Float.self) == fast.features.scalars(as: Float.self))
        #expect(slow.labels.scalars(as: Int64.self) == fast.labels.scalars(as: Int64.self))
    }

    @Test func subsetConcatenationAndMapping() {
        let data = rampDataset(6)
        let subset = data.subset([5, 2])
        #expect(subset.count == 2)
        #expect(subset[0].features.scalars(as: Float.self) == [5, 50])
        #expect(subset.batch(at: [1]).features.scalars(as: Float.self) == [2, 20])

        let joined = ConcatenatedDataset([rampDataset(2), rampDataset(0), rampDataset(3)])
        #expect(joined.count == 5)
        #expect(joined[1].features.scalars(as: Float.self) == [1, 10])
        #expect(joined[2].features.scalars(as: Float.self) == [0, 0])
        #expect(joined[4].features.scalars(as: Float.self) == [2, 20])

        let doubled = data.map { Example(features: $0.features * 2, label: $0.label) }
        #expect(doubled[2].features.scalars(as: Float.self) == [4, 40])
        #expect(doubled.materialized().features.shape == [6, 2])
    }
}
