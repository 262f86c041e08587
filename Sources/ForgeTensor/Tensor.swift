/// An n-dimensional array of numbers: the value type every Forge module computes with.
///
/// A tensor is a view — a shape, strides and an offset, all counted in elements — into a reference-
/// counted buffer. Views (``reshaped(_:)``, ``transposed(_:_:)``, slicing, ``expanded(to:)``) share the
/// buffer without copying; mutation copies shared storage first, so `Tensor` has value semantics:
///
/// ```swift
/// let a = Tensor([1, 2, 3, 4] as [Float], shape: [2, 2])
/// var b = a.transposed(0, 1)    // a view, no copy
/// b[0, 1] = Tensor(Float(9))      // copies the buffer; `a` is unchanged
/// let c = a.matmul(b) + 1         // BLAS sgemm, then broadcast addition
/// ```
///
/// Elements are row-major when contiguous. Operations that produce new data return contiguous tensors.
public struct Tensor: @unchecked Sendable {
    // NOTE: @unchecked Sendable: the only reference inside is TensorStorage, which is never written
    // while shared (copy-on-write), so a Tensor can cross isolation domains like an Array.

    @usableFromInline var storage: TensorStorage
    /// The size of each dimension.
    public private(set) var shape: [Int]
    /// The distance, in elements, between neighbours along each dimension (0 for broadcast dimensions).
    public private(set) var strides: [Int]
    /// The index, in elements, of the first element inside the storage buffer.
    public private(set) var offset: Int

    /// Wraps existing storage with a layout; the layout must stay inside the buffer.
    init(storage: TensorStorage, shape: [Int], strides: [Int], offset: Int) {
        self.storage = storage
        self.shape = shape
        self.strides = strides
        self.offset = offset
    }

    /// Creates a contiguous tensor with uninitialized elements. Kernels fill every element before use.
    init(uninitializedShape shape: [Int], dtype: DType) {
        Shape.validate(shape, operation: "Tensor")
        let count = Shape.elementCount(shape)
        self.init(
            storage: TensorStorage(dtype: dtype, count: count), shape: shape,
            strides: Shape.contiguousStrides(shape), offset: 0)
    }

    /// Creates a contiguous tensor whose elements are all zero.
    init(zeroedShape shape: [Int], dtype: DType) {
        Shape.validate(shape, operation: "Tensor")
        self.init(
            storage: TensorStorage(zeroedDType: dtype, count: Shape.elementCount(shape)), shape: shape,
            strides: Shape.contiguousStrides(shape), offset: 0)
    }

    /// Creates a tensor from elements in row-major order.
    ///
    /// - Parameters:
    ///   - elements: the values, row-major; their count must equal the product of `shape`.
    ///   - shape: the size of each dimension; defaults to a 1-D tensor of all the elements.
    public init<T: TensorElement>(_ elements: [T], shape: [Int]? = nil) {
        let shape = shape ?? [elements.count]
        Shape.validate(shape, operation: "Tensor.init")
        precondition(
            Shape.elementCount(shape) == elements.count,
            "Tensor.init: \(elements.count) elements cannot fill shape \(shape) (\(Shape.elementCount(shape)) elements)")
        self.init(uninitializedShape: shape, dtype: T.dtype)
        let destination = storage.pointer(as: T.self)
        elements.withUnsafeBufferPointer { source in
            if let base = source.baseAddress { destination.update(from: base, count: source.count) }
        }
    }

    /// Creates a 2-D tensor from nested rows; every row must have the same length.
    public init<T: TensorElement>(rows: [[T]]) {
        let width = rows.first?.count ?? 0
        precondition(rows.allSatisfy { $0.count == width }, "Tensor.init(rows:): rows have different lengths")
        self.init(rows.flatMap { $0 }, shape: [rows.count, width])
    }

    /// Creates a 0-dimensional tensor (a scalar).
    public init<T: TensorElement>(_ scalar: T) {
        self.init([scalar], shape: [])
    }

    /// The element type.
    public var dtype: DType { storage.dtype }

    /// The number of dimensions.
    public var rank: Int { shape.count }

    /// The number of elements (the product of the shape; 1 for a scalar).
    public var count: Int { Shape.elementCount(shape) }

    /// Whether the elements are laid out row-major with no gaps, so the storage can be read linearly.
    public var isContiguous: Bool { Shape.isContiguous(shape: shape, strides: strides) }

    /// Returns the element at `indices` (one index per dimension, negative indices count from the end).
    ///
    /// `T` must match ``dtype``; use ``converted(to:)`` first otherwise.
    public func element<T: TensorElement>(at indices: [Int], as _: T.Type = T.self) -> T {
        checkDType(T.self, operation: "element(at:)")
        return storage.pointer(as: T.self)[linearIndex(of: indices, operation: "element(at:)")]
    }

    /// Sets the element at `indices`, copying shared storage first.
    public mutating func setElement<T: TensorElement>(_ value: T, at indices: [Int]) {
        checkDType(T.self, operation: "setElement(_:at:)")
        let index = linearIndex(of: indices, operation: "setElement(_:at:)")
        makeUnique()
        storage.pointer(as: T.self)[index] = value
    }

    /// The single element of a tensor with one element, of any shape.
    public func item<T: TensorElement>(as _: T.Type = T.self) -> T {
        precondition(count == 1, "item: tensor of shape \(shape) has \(count) elements, not 1")
        checkDType(T.self, operation: "item")
        return storage.pointer(as: T.self)[offset]
    }

    /// The elements in row-major order, as a Swift array of `T` (which must match ``dtype``).
    public func scalars<T: TensorElement>(as _: T.Type = T.self) -> [T] {
        checkDType(T.self, operation: "scalars")
        let source = contiguous()
        let pointer = source.storage.pointer(as: T.self) + source.offset
        return Array(UnsafeBufferPointer(start: pointer, count: source.count))
    }

    /// The elements converted to `Double`, row-major, whatever the dtype.
    public var doubleScalars: [Double] { converted(to: .float64).scalars(as: Double.self) }

    // MARK: - Internals shared by the kernels

    /// Traps with a message naming `operation` unless `T` is this tensor's element type.
    @inline(__always)
    func checkDType<T: TensorElement>(_: T.Type, operation: String) {
        precondition(T.dtype == dtype, "\(operation): tensor has dtype \(dtype), accessed as \(T.dtype)")
    }

    /// The storage index of the element at `indices`.
    func linearIndex(of indices: [Int], operation: String) -> Int {
        precondition(
            indices.count == rank, "\(operation): \(indices.count) indices for a tensor of shape \(shape)")
        var index = offset
        for (axis, position) in indices.enumerated() {
            let size = shape[axis]
            let resolved = position < 0 ? position + size : position
            precondition(
                resolved >= 0 && resolved < size,
                "\(operation): index \(position) is out of range for dimension \(axis) of size \(size) (shape \(shape))")
            index += resolved * strides[axis]
        }
        return index
    }

    /// Copies the storage when it is shared or when this tensor is a broadcast view, so it can be written.
    mutating func makeUnique() {
        if strides.contains(0) && count > 1 {
            self = contiguous()  // a broadcast view aliases elements; writing needs real ones
            return
        }
        if !isKnownUniquelyReferenced(&storage) {
            storage = storage.copy()
        }
    }

    /// A pointer to the first element of this view, for kernels that honour ``strides``.
    @inline(__always)
    func basePointer<T: TensorElement>(as _: T.Type) -> UnsafeMutablePointer<T> {
        storage.pointer(as: T.self) + offset
    }

    /// Calls `body` with a read-only buffer over the elements in row-major order (copying views first).
    ///
    /// For modules built on ForgeTensor that need raw access in hot loops.
    public func withUnsafeBufferPointer<T: TensorElement, R>(
        as _: T.Type, _ body: (UnsafeBufferPointer<T>) throws -> R
    ) rethrows -> R {
        checkDType(T.self, operation: "withUnsafeBufferPointer")
        let source = isContiguous ? self : contiguous()
        return try withExtendedLifetime(source.storage) {
            try body(UnsafeBufferPointer(start: source.basePointer(as: T.self), count: source.count))
        }
    }

    /// Calls `body` with a mutable buffer over the elements in row-major order, making the tensor
    /// contiguous and its storage unique first.
    public mutating func withUnsafeMutableBufferPointer<T: TensorElement, R>(
        as _: T.Type, _ body: (UnsafeMutableBufferPointer<T>) throws -> R
    ) rethrows -> R {
        checkDType(T.self, operation: "withUnsafeMutableBufferPointer")
        if !isContiguous { self = contiguous() }
        makeUnique()
        return try withExtendedLifetime(storage) {
            try body(UnsafeMutableBufferPointer(start: basePointer(as: T.self), count: count))
        }
    }
}
