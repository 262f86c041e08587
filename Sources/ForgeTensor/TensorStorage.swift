/// The reference-counted buffer behind one or more ``Tensor`` values.
///
/// Storage is 64-byte aligned and owned exclusively by this object. Tensors share storage when one is
/// a view of another; a mutation first copies shared storage (copy-on-write), so a tensor never
/// changes because another one was mutated.
@usableFromInline
final class TensorStorage: @unchecked Sendable {
    // NOTE: @unchecked Sendable is sound because Tensor only writes to storage it uniquely references
    // (checked with isKnownUniquelyReferenced before every mutation); shared storage is read-only.

    /// The element type of the buffer.
    let dtype: DType
    /// The number of elements the buffer holds.
    let count: Int
    /// The start of the buffer.
    let base: UnsafeMutableRawPointer

    /// Allocates uninitialized storage for `count` elements of `dtype`.
    init(dtype: DType, count: Int) {
        precondition(count >= 0, "TensorStorage: negative element count \(count)")
        self.dtype = dtype
        self.count = count
        self.base = ForgeMemory.allocate(byteCount: Swift.max(count * dtype.byteSize, 1))
    }

    /// Allocates storage for `count` elements of `dtype`, every byte set to zero.
    convenience init(zeroedDType dtype: DType, count: Int) {
        self.init(dtype: dtype, count: count)
        base.initializeMemory(as: UInt8.self, repeating: 0, count: count * dtype.byteSize)
    }

    deinit {
        ForgeMemory.deallocate(base, byteCount: Swift.max(count * dtype.byteSize, 1))
    }

    /// The number of bytes the buffer holds.
    var byteCount: Int { count * dtype.byteSize }

    /// A typed pointer to the first element; `T` must match ``dtype``.
    @inline(__always)
    func pointer<T: TensorElement>(as _: T.Type) -> UnsafeMutablePointer<T> {
        base.assumingMemoryBound(to: T.self)
    }

    /// A byte-for-byte copy of this storage.
    func copy() -> TensorStorage {
        let result = TensorStorage(dtype: dtype, count: count)
        result.base.copyMemory(from: base, byteCount: byteCount)
        return result
    }
}
