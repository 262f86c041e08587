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
