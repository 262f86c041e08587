import Testing

@testable import ForgeTensor

@Suite("Large buffer management", .serialized)
struct ForgeMemoryTests {
    @Test func freedLargeBuffersAreReusedAndBounded() {
        let previous = ForgeMemory.cacheLimit
        defer { ForgeMemory.cacheLimit = previous }
        ForgeMemory.releaseCachedBuffers()
        let elements = ForgeMemory.largeBufferThreshold / 4 + 16
        var base: UnsafeMutableRawPointer?
        do {
            let first = Tensor.full(shape: [elements], value: 7)
            base = first.storage.base
            #expect(first.sum().item(as: Float.self) == Float(7 * elements))
        }
        #expect(ForgeMemory.cachedBytes >= elements * 4)
        // A new tensor of the same byte size gets the cached buffer; zero-filled creation still zeroes it.
        let second = Tensor.zeros(shape: [elements])
        #expect(second.storage.base == base)
        #expect(second.max().item(as: Float.self) == 0)
        ForgeMemory.cacheLimit = 0
        #expect(ForgeMemory.cachedBytes == 0)
        do { _ = Tensor.ones(shape: [elements]) }
        #expect(ForgeMemory.cachedBytes == 0)
    }
}
