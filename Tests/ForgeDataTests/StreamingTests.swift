import ForgeTensor
import Foundation
import Testing

@testable import ForgeData

@Suite("ForgeData streaming datasets")
struct StreamingTests {
    @Test func csvStreamMatchesTheTableReader() throws {
        let url = try Fixtures.url("iris_train.csv")
        let loader = StreamingLoader(CSVStreamingDataset(url: url, labelColumn: "label"), batchSize: 50)
        let iterator = try loader.makeIterator(epoch: 0)
        var batches: [Batch] = []
        while let batch = try iterator.next() { batches.append(batch) }
        #expect(batches.map(\.count) == [50, 50, 20])
        let reference = try CSVReader.readTable(at: url).dataset(labelColumn: "label")
        #expect(batches.flatMap { $0.features.scalars(as: Float.self) } == reference.features.scalars(as: Float.self))
        #expect(batches.flatMap { $0.labels.scalars(as: Int64.self) } == reference.labels.scalars(as: Int64.self))
    }

    @Test func shuffleBufferIsSeededAndKeepsEveryExample() throws {
        let source = DatasetStream(rampDataset(100))
        func order(seed: UInt64, epoch: Int) throws -> [Float] {
            let iterator = try StreamingLoader(source, batchSize: 16, shuffleBuffer: 20, seed: seed).makeIterator(
                epoch: epoch)
            var values: [Float] = []
            while let batch = try iterator.next() {
                values += batch.features.scalars(as: Float.self).enumerated().filter { $0.offset % 2 == 0 }.map(
                    \.element)
            }
            return values
        }
        let first = try order(seed: 1, epoch: 0)
        #expect(first.sorted() == (0..<100).map(Float.init))
        #expect(first != (0..<100).map(Float.init))
        #expect(try order(seed: 1, epoch: 0) == first)
        #expect(try order(seed: 1, epoch: 1) != first)
        // A buffer of 20 cannot move an example more than 19 places earlier.
        for (position, value) in first.enumerated() { #expect(Int(value) <= position + 19) }
    }

    @Test func malformedStreamRowsAreLocated() throws {
        let url = try Fixtures.temporaryFile(text: "label,a,b\n1,2,3\n0,4\n", name: "stream.csv")
        let iterator = try StreamingLoader(CSVStreamingDataset(url: url, labelColumn: "label"), batchSize: 4)
            .makeIterator(epoch: 0)
        do {
            _ = try iterator.next()
            Issue.record("short row accepted")
        } catch let error as ForgeDataError {
            #expect(error.code == .wrongFieldCount && error.line == 3 && error.column == 3)
        }
        let bad = try Fixtures.temporaryFile(text: "label,a\n1.5,2\n", name: "stream.csv")
        let labels = try StreamingLoader(CSVStreamingDataset(url: bad, labelColumn: "label"), batchSize: 4)
            .makeIterator(epoch: 0)
        #expect(throws: ForgeDataError.self) { _ = try labels.next() }
        #expect(throws: ForgeDataError.self) { _ = try CSVStreamingDataset(url: bad, labelColumn: "y").makeStream() }
    }
}
