import Foundation
import Testing

@testable import ForgeVersioning

@Suite("ForgeVersioning content-defined chunking")
struct ChunkingTests {
    @Test("chunks respect the size bounds and cover the input exactly")
    func bounds() {
        let chunker = ContentDefinedChunker(minimumSize: 2048, averageSize: 8192, maximumSize: 32768)
        let data = pseudoRandomBytes(count: 1 << 20, seed: 3)
        let lengths = data.withUnsafeBytes { chunker.chunkLengths(of: $0) }
        #expect(lengths.reduce(0, +) == data.count)
        #expect(lengths.dropLast().allSatisfy { $0 >= 2048 && $0 <= 32768 })
        let mean = Double(data.count) / Double(lengths.count)
        #expect(mean > 4096 && mean < 16384, "mean chunk \(mean) should be near the 8 KiB average")
    }

    @Test("an edit in the middle changes only nearby chunks, even with an insertion")
    func locality() {
        let chunker = ContentDefinedChunker(minimumSize: 2048, averageSize: 8192, maximumSize: 32768)
        let original = pseudoRandomBytes(count: 1 << 20, seed: 5)
        var edited = original
        edited.insert(contentsOf: Data(repeating: 0xAB, count: 100), at: 500_000)
        func chunkIDs(_ data: Data) -> Set<ObjectID> {
            data.withUnsafeBytes { raw in
                var offset = 0
                var ids = Set<ObjectID>()
                for length in chunker.chunkLengths(of: raw) {
                    ids.insert(ObjectID.hashing(UnsafeRawBufferPointer(rebasing: raw[offset..<offset + length])))
                    offset += length
                }
                return ids
            }
        }
        let before = chunkIDs(original)
        let after = chunkIDs(edited)
        let changed = after.subtracting(before).count
        #expect(changed >= 1 && changed <= 3, "\(changed) chunks changed of \(after.count)")
    }

    @Test("re-snapshot of a large file after a 64 KiB in-place edit stores only the changed chunks")
    func resnapshotStoresLittle() throws {
        let temporary = try TemporaryDirectory()
        var big = pseudoRandomBytes(count: 12 << 20, seed: 11)
        try temporary.write(big, at: "data/big.bin")
        let store = try VersionStore(
            at: temporary.appending("store"), create: true, chunkingThreshold: 1 << 20,
            chunker: ContentDefinedChunker(minimumSize: 16 << 10, averageSize: 64 << 10, maximumSize: 256 << 10))
        let first = try store.snapshot(temporary.appending("data"), name: "big")
        #expect(first.newBytes >= 12 << 20)
        big.replaceSubrange(6_000_000..<6_065_536, with: pseudoRandomBytes(count: 65_536, seed: 99))
        try temporary.write(big, at: "data/big.bin")
        let second = try store.snapshot(temporary.appending("data"), name: "big")
        #expect(second.newBytes < 700_000, "stored \(second.newBytes) new bytes for a 64 KiB edit")
        try store.checkout("big@v2", to: temporary.appending("out"))
        #expect(try Data(contentsOf: temporary.appending("out/big.bin")) == big)
    }
}
