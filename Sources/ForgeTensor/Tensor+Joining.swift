extension Tensor {
    /// Copies `source` (broadcast to `destination`'s shape, same dtype) into the elements `destination`
    /// views. The caller owns `destination`'s storage exclusively; no copy-on-write happens here.
    package static func copyElements(from source: Tensor, into destination: Tensor) {
        precondition(source.dtype == destination.dtype, "copyElements: dtype \(source.dtype) into \(destination.dtype)")
        let loop = StridedLoop(
            shape: destination.shape,
            operandStrides: [
                destination.strides,
                Shape.broadcastStrides(shape: source.shape, strides: source.strides, to: destination.shape),
            ])
        let inner = loop.innerStrides
        func copy<T: TensorElement>(_: T.Type) {
            let target = destination.basePointer(as: T.self)
            let origin = source.basePointer(as: T.self)
            withExtendedLifetime((source, destination)) {
                loop.run { offsets, length in
                    let o = target + offsets[0]
                    let x = origin + offsets[1]
                    if inner[0] == 1 && inner[1] == 1 {
                        o.update(from: x, count: length)
                    } else {
                        for i in 0..<length { o[i * inner[0]] = x[i * inner[1]] }
                    }
                }
            }
        }
        switch source.dtype {
        case .float32: copy(Float.self)
        case .float64: copy(Double.self)
        case .int32: copy(Int32.self)
        case .int64: copy(Int64.self)
        case .bool: copy(Bool.self)
        case .int8: copy(Int8.self)
        case .uint8: copy(UInt8.self)
        }
    }

    /// The tensors joined along an existing `axis`; every other dimension must match. Dtypes are promoted.
    ///
    /// ```swift
    /// let both = Tensor.concatenated([a, b], axis: 0)   // [2, 3] and [4, 3] → [6, 3]
    /// ```
    public static func concatenated(_ tensors: [Tensor], axis: Int = 0) -> Tensor {
        precondition(!tensors.isEmpty, "concatenated: needs at least one tensor")
        let first = tensors[0]
        precondition(first.rank > 0, "concatenated: cannot join 0-d tensors; use stacked")
        let resolved = Shape.normalizeAxis(axis, rank: first.rank, operation: "concatenated")
        var total = 0
        var common = first.dtype
        for tensor in tensors {
            var expected = first.shape
            expected[resolved] = tensor.rank == first.rank ? tensor.shape[resolved] : -1
            precondition(
                tensor.shape == expected,
                "concatenated: shapes \(first.shape) and \(tensor.shape) differ outside axis \(axis)")
            total += tensor.shape[resolved]
            common = DType.promoted(common, tensor.dtype)
        }
        var outputShape = first.shape
        outputShape[resolved] = total
        let result = Tensor(uninitializedShape: outputShape, dtype: common)
        var start = 0
        for tensor in tensors {
            let length = tensor.shape[resolved]
            copyElements(
                from: tensor.converted(to: common), into: result.narrowed(axis: resolved, start: start, length: length))
            start += length
        }
        return result
    }

    /// The tensors, all of one shape, joined along a new `axis`.
    public static func stacked(_ tensors: [Tensor], axis: Int = 0) -> Tensor {
        precondition(!tensors.isEmpty, "stacked: needs at least one tensor")
        let shape = tensors[0].shape
        precondition(tensors.allSatisfy { $0.shape == shape }, "stacked: tensors have different shapes \(tensors.map(\.shape))")
        let resolved = Shape.normalizeAxis(axis, rank: shape.count + 1, operation: "stacked")
        return concatenated(tensors.map { $0.unsqueezed(axis: resolved) }, axis: resolved)
    }

    /// Views of consecutive pieces along `axis` with the given sizes, which must add up to the dimension.
    public func split(sizes: [Int], axis: Int = 0) -> [Tensor] {
        let resolved = Shape.normalizeAxis(axis, rank: rank, operation: "split")
        precondition(
            sizes.allSatisfy { $0 >= 0 } && sizes.reduce(0, +) == shape[resolved],
            "split: sizes \(sizes) do not add up to dimension \(axis) of shape \(shape)")
        var start = 0
        return sizes.map { size in
            defer { start += size }
            return narrowed(axis: resolved, start: start, length: size)
        }
    }

    /// Views of pieces of `size` along `axis` (the last piece may be smaller).
    public func split(size: Int, axis: Int = 0) -> [Tensor] {
        precondition(size > 0, "split: size must be positive, got \(size)")
        let length = shape[Shape.normalizeAxis(axis, rank: rank, operation: "split")]
        let sizes = stride(from: 0, to: length, by: size).map { Swift.min(size, length - $0) }
        return split(sizes: sizes, axis: axis)
    }

    /// At most `count` views of nearly equal size along `axis`, as PyTorch's `chunk`.
    public func chunked(_ count: Int, axis: Int = 0) -> [Tensor] {
        precondition(count > 0, "chunked: count must be positive, got \(count)")
        let length = shape[Shape.normalizeAxis(axis, rank: rank, operation: "chunked")]
        return split(size: Swift.max(1, (length + count - 1) / count), axis: axis)
    }
}
