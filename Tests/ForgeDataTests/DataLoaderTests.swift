import ForgeTensor
import Foundation
import Synchronization
import Testing

@testable import ForgeData

/// Adds uniform noise from the loader's generator, so batches expose the transform's randomness.
struct AddUniformNoise: Transform {
    func apply(_ input: Tensor, generator: inout RandomGenerator) -> Tensor {
        input + Tensor.uniform(shape: input.shape, low: 0, high: 1, dtype: input.dtype, generator: &generator)
    }
}

/// Counts batch builds and sleeps in each, to observe workers.
final class CountingDataset: Dataset, @unchecked Sendable {
    let base = rampDataset(4000)
    let built = Atomic<Int>(0)
    var count: Int { base.count }
    subscript(index: Int) -> Example { base[index] }
    func batch(at indices: [Int]) -> Batch {
        built.add(1, ordering: .relaxed)
        Thread.sleep(forTimeInterval: 0.002)
        return base.batch(at: indices)
    }
}

@Suite("ForgeData DataLoader")
struct DataLoaderTests {
    func flatten(_ batches: some Sequence<Batch>) -> [[Float]] {
        batches.map { $0.features.scalars(as: Float.self) }
    }

    @Test func batchesCoverDatasetInOrder() {
        let loader = DataLoader(rampDataset(10), batchSize: 4)
        let batches = Array(loader)
        #expect(batches.map(\.count) == [4, 4, 2])
        #expect(batches[2].features.scalars(as: Float.self) == [8, 80, 9, 90])
        #expect(batches[0].labels.scalars(as: Int64.self) == [0, 1, 2, 0])
        let dropping = DataLoader(rampDataset(10), batchSize: 4, dropLast: true)
        #expect(Array(dropping).count == 2)
        #expect(dropping.batchCount() == 2)
    }

    @Test func shuffleReshufflesEachEpochAndDependsOnlyOnSeed() {
        let loader = DataLoader(rampDataset(40), batchSize: 8, shuffle: true, seed: 9)
        let epoch0 = Array(loader).flatMap(\.indices)
        let epoch1 = Array(loader).flatMap(\.indices)
        #expect(epoch0.sorted() == Array(0..<40))
        #expect(epoch0 != epoch1)
        let again = DataLoader(rampDataset(40), batchSize: 8, shuffle: true, seed: 9)
        #expect(Array(again.batches(epoch: 1)).flatMap(\.indices) == epoch1)
    }

    @Test(arguments: [1, 2, 4])
    func workersDoNotChangeTheBatches(workers: Int) {
        let serial = DataLoader(
            rampDataset(203), batchSize: 16, shuffle: true, seed: 4, transform: AddUniformNoise())
        let threaded = DataLoader(
            rampDataset(203), batchSize: 16, shuffle: true, seed: 4, workers: workers, prefetch: 3,
            transform: AddUniformNoise())
        let expected = flatten(serial.batches(epoch: 2))
        #expect(expected.count == 13)
        #expect(flatten(threaded.batches(epoch: 2)) == expected)
        // The noise really is random per batch: two batches never get the same draw.
        #expect(expected[0] != flatten(serial.batches(epoch: 3))[0])
    }

    @Test func breakingOutStopsWorkersPromptly() async throws {
        let dataset = CountingDataset()
        let loader = DataLoader(dataset, batchSize: 4, workers: 2, prefetch: 3)
        var pipeline: PrefetchPipeline?
        do {
            let iterator = loader.makeIterator()
            pipeline = iterator.pipeline
            for _ in 0..<3 { #expect(iterator.next() != nil) }
        }  // iterator released here, as when a `for` loop breaks
        let deadline = ContinuousClock.now + .seconds(2)
        while pipeline?.liveWorkers != 0 && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        #expect(pipeline?.liveWorkers == 0)
        // 3 consumed + at most 3 ahead + 2 in progress, out of 1000 batches.
        #expect(dataset.built.load(ordering: .relaxed) <= 8)
    }

    @Test func taskCancellationEndsTheLoop() async {
        let dataset = CountingDataset()
        let loader = DataLoader(dataset, batchSize: 4, workers: 2)
        let task = Task.detached { () -> Int in
            var seen = 0
            for _ in loader {
                seen += 1
                if seen == 5 { withUnsafeCurrentTask { $0?.cancel() } }
            }
            return seen
        }
        let seen = await task.value
        #expect(seen == 5)
        #expect(dataset.built.load(ordering: .relaxed) <= 12)
    }
}

@Suite("ForgeData async DataLoader")
struct AsyncDataLoaderTests {
    @Test func asyncBatchesEqualSynchronousOnes() async {
        let loader = DataLoader(
            rampDataset(150), batchSize: 16, shuffle: true, seed: 12, workers: 2, transform: AddUniformNoise())
        var asynchronous: [[Float]] = []
        for await batch in loader.asyncBatches(epoch: 1) { asynchronous.append(batch.features.scalars(as: Float.self)) }
        let synchronous = loader.batches(epoch: 1).map { $0.features.scalars(as: Float.self) }
        #expect(asynchronous.count == 10)
        #expect(asynchronous == synchronous)
    }

    @Test func cancellingTheTaskStopsAsyncWorkers() async throws {
        let dataset = CountingDataset()
        let loader = DataLoader(dataset, batchSize: 4, workers: 2, prefetch: 2)
        let iterator = loader.asyncBatches(epoch: 0).makeAsyncIterator()
        let pipeline = try #require(iterator.pipeline)
        let task = Task {
            var seen = 0
            while await iterator.next() != nil { seen += 1 }
            return seen
        }
        try await Task.sleep(for: .milliseconds(30))
        task.cancel()
        let seen = await task.value
        #expect(seen < 1000)
        let deadline = ContinuousClock.now + .seconds(2)
        while pipeline.liveWorkers != 0 && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        #expect(pipeline.liveWorkers == 0)
        #expect(dataset.built.load(ordering: .relaxed) <= seen + 4)
    }
}
