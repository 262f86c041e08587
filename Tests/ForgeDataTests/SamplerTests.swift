import ForgeTensor
import Testing

@testable import ForgeData

@Suite("ForgeData samplers")
struct SamplerTests {
    @Test func sequentialAndRandom() {
        #expect(SequentialSampler().indices(count: 4, epoch: 3) == [0, 1, 2, 3])
        let sampler = RandomSampler(seed: 11)
        let first = sampler.indices(count: 50, epoch: 0)
        #expect(first.sorted() == Array(0..<50))
        #expect(first != Array(0..<50))
        #expect(first == RandomSampler(seed: 11).indices(count: 50, epoch: 0))
        #expect(first != sampler.indices(count: 50, epoch: 1))
        #expect(first != RandomSampler(seed: 12).indices(count: 50, epoch: 0))
    }

    @Test func weightedSamplerFollowsWeights() {
        let sampler = WeightedRandomSampler(weights: [1, 0, 3], sampleCount: 20_000, seed: 5)
        let draws = sampler.indices(count: 3, epoch: 0)
        let counts = (0..<3).map { index in draws.filter { $0 == index }.count }
        #expect(counts[1] == 0)
        #expect(abs(Double(counts[2]) / 20_000 - 0.75) < 0.015)
        #expect(draws == sampler.indices(count: 3, epoch: 0))
        #expect(draws != sampler.indices(count: 3, epoch: 1))
    }

    @Test func batchesAndDropLast() {
        let keep = SamplerBatches(sampler: SequentialSampler(), batchSize: 4)
        #expect(keep.batches(count: 10, epoch: 0) == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]])
        let drop = SamplerBatches(sampler: SequentialSampler(), batchSize: 4, dropLast: true)
        #expect(drop.batches(count: 10, epoch: 0).count == 2)
    }

    @Test func stratifiedBatchesKeepProportions() {
        // 75 % class 0, 25 % class 1: every batch of 8 holds 6 ± 1 of class 0.
        let labels = (0..<96).map { $0 % 4 == 0 ? 1 : 0 }
        let sampler = StratifiedBatchSampler(labels: labels, batchSize: 8, seed: 3)
        let batches = sampler.batches(count: 96, epoch: 0)
        #expect(batches.count == 12)
        #expect(batches.flatMap { $0 }.sorted() == Array(0..<96))
        for batch in batches {
            let zeros = batch.filter { labels[$0] == 0 }.count
            #expect((5...7).contains(zeros), "batch \(batch) has \(zeros) of class 0")
        }
        #expect(batches == sampler.batches(count: 96, epoch: 0))
        #expect(batches != sampler.batches(count: 96, epoch: 1))
    }
}

/// A user-written sampler: every other index, reversed on odd epochs.
struct EveryOtherSampler: Sampler {
    func indices(count: Int, epoch: Int) -> [Int] {
        let picked = Array(stride(from: 0, to: count, by: 2))
        return epoch % 2 == 0 ? picked : picked.reversed()
    }
}

/// A user-written batch sampler: one batch per label value.
struct OneBatchPerLabel: BatchSampler {
    let labels: [Int]
    func batches(count: Int, epoch: Int) -> [[Int]] {
        Set(labels).sorted().map { label in (0..<count).filter { labels[$0] == label } }
    }
}

/// A user-written streaming source: `count` examples generated on the fly.
struct CountingStream: StreamingDataset {
    let count: Int
    final class Stream: ExampleStream {
        var position = 0
        let count: Int
        init(count: Int) { self.count = count }
        func next() throws -> Example? {
            guard position < count else { return nil }
            defer { position += 1 }
            return Example(features: Tensor([Float(position)]), label: Tensor(Int64(position % 2)))
        }
    }
    func makeStream() throws -> any ExampleStream { Stream(count: count) }
}

@Suite("ForgeData custom samplers and sources")
struct CustomExtensionTests {
    @Test func customSamplersDriveTheLoader() {
        let data = rampDataset(9)
        let loader = DataLoader(data, batchSampler: SamplerBatches(sampler: EveryOtherSampler(), batchSize: 2))
        #expect(Array(loader.batches(epoch: 0)).map(\.indices) == [[0, 2], [4, 6], [8]])
        #expect(Array(loader.batches(epoch: 1)).map(\.indices) == [[8, 6], [4, 2], [0]])
        let byLabel = DataLoader(data, batchSampler: OneBatchPerLabel(labels: (0..<9).map { $0 % 3 }), workers: 2)
        let batches = Array(byLabel)
        #expect(batches.map(\.indices) == [[0, 3, 6], [1, 4, 7], [2, 5, 8]])
        #expect(batches[1].labels.scalars(as: Int64.self) == [1, 1, 1])
    }

    @Test func customStreamingSourceBatches() throws {
        let iterator = try StreamingLoader(CountingStream(count: 7), batchSize: 3, dropLast: true).makeIterator(epoch: 0)
        var sizes: [Int] = []
        while let batch = try iterator.next() {
            sizes.append(batch.count)
            #expect(batch.features.shape == [3, 1])
        }
        #expect(sizes == [3, 3])
    }
}
