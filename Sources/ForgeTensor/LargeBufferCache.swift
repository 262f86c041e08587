#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// How ForgeTensor manages large tensor buffers.
///
/// A freshly mapped large buffer costs the operating system a page fault and a zeroing pass per page on
/// first touch — for a 40 MB tensor, more time than the arithmetic that fills it. ForgeTensor therefore
/// (1) asks Linux for transparent huge pages on buffers of 4 MB and more, and (2) keeps a bounded number
/// of recently freed large buffers to hand to the next tensor of the same byte size, which is what a
/// training or inference loop allocates step after step. Small buffers go straight to the system
/// allocator.
///
/// ```swift
/// ForgeMemory.cacheLimit = 64 << 20       // keep at most 64 MB of freed buffers
/// ForgeMemory.releaseCachedBuffers()      // give everything cached back to the system now
/// ```
public enum ForgeMemory {
    /// Buffers of at least this many bytes are large: huge-page advised and eligible for reuse.
    public static let largeBufferThreshold = 4 << 20

    /// The most bytes of freed large buffers kept for reuse (default 256 MB; 0 disables the cache).
    public static var cacheLimit: Int {
        get { cache.withLock { $0.limit } }
        set {
            precondition(newValue >= 0, "ForgeMemory.cacheLimit: \(newValue) bytes; use 0 or more")
            let released = cache.withLock { state -> [UnsafeMutableRawPointer] in
                state.limit = newValue
                return state.trim()
            }
            released.forEach { free($0) }
        }
    }

    /// The bytes currently held by the cache.
    public static var cachedBytes: Int { cache.withLock { $0.bytes } }

    /// Frees every cached buffer.
    public static func releaseCachedBuffers() {
        let released = cache.withLock { state -> [UnsafeMutableRawPointer] in
            defer {
                state.buffers = []
                state.bytes = 0
            }
            return state.buffers.map(\.pointer)
        }
        released.forEach { free($0) }
    }

    private struct CacheState: @unchecked Sendable {
        // NOTE: @unchecked: the raw pointers are owned by the cache and only touched under its lock.
        var limit = 256 << 20
        var bytes = 0
        var buffers: [(byteCount: Int, pointer: UnsafeMutableRawPointer)] = []

        /// Drops the oldest buffers until the cache fits its limit; returns them for freeing.
        mutating func trim() -> [UnsafeMutableRawPointer] {
            var released: [UnsafeMutableRawPointer] = []
            while bytes > limit, !buffers.isEmpty {
                let oldest = buffers.removeFirst()
                bytes -= oldest.byteCount
                released.append(oldest.pointer)
            }
            return released
        }
    }

    private static let cache = Mutex(CacheState())
    private static let hugePageSize = 2 << 20

    /// Allocates `byteCount` bytes (64-byte aligned; large buffers 2 MB aligned, huge-page advised, or
    /// reused from the cache). Free with ``deallocate(_:byteCount:)``.
    static func allocate(byteCount: Int) -> UnsafeMutableRawPointer {
        if byteCount >= largeBufferThreshold {
            let reused = cache.withLock { state -> UnsafeMutableRawPointer? in
                guard let index = state.buffers.lastIndex(where: { $0.byteCount == byteCount }) else { return nil }
                state.bytes -= byteCount
                return state.buffers.remove(at: index).pointer
            }
            if let reused { return reused }
        }
        let alignment = byteCount >= largeBufferThreshold ? hugePageSize : 64
        var pointer: UnsafeMutableRawPointer?
        guard posix_memalign(&pointer, alignment, byteCount) == 0, let pointer else {
            preconditionFailure("ForgeMemory: cannot allocate \(byteCount) bytes")
        }
        #if os(Linux)
        if byteCount >= largeBufferThreshold {
            _ = madvise(pointer, byteCount / hugePageSize * hugePageSize, MADV_HUGEPAGE)
        }
        #endif
        return pointer
    }

    /// Returns a buffer from ``allocate(byteCount:)``: large ones to the cache when it has room.
    static func deallocate(_ pointer: UnsafeMutableRawPointer, byteCount: Int) {
        if byteCount >= largeBufferThreshold {
            let kept = cache.withLock { state -> Bool in
                guard state.bytes + byteCount <= state.limit else { return false }
                state.bytes += byteCount
                state.buffers.append((byteCount, pointer))
                return true
            }
            if kept { return }
        }
        free(pointer)
    }
}
