extension Tensor {
    /// The same elements with a new shape; one dimension may be `-1` to be inferred.
    ///
    /// Returns a view sharing storage when the layout allows (always for contiguous tensors), a copy
    /// otherwise.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        let resolved = resolveShape(newShape, operation: "reshaped")
        if isContiguous {
            return Tensor(storage: storage, shape: resolved, strides: Shape.contiguousStrides(resolved), offset: offset)
        }
        return contiguous().reshaped(resolved)
    }

    /// The same elements with a new shape given as a list of dimensions; one may be `-1`.
    public func reshaped(_ dimensions: Int...) -> Tensor { reshaped(dimensions) }

    /// Resolves a `-1` in `newShape` and checks the element count matches.
    func resolveShape(_ newShape: [Int], operation: String) -> [Int] {
        let inferred = newShape.indices.filter { newShape[$0] == -1 }
        precondition(inferred.count <= 1, "\(operation): shape \(newShape) infers more than one dimension")
        precondition(
            newShape.allSatisfy { $0 >= -1 }, "\(operation): shape \(newShape) has a negative dimension")
        var resolved = newShape
        if let axis = inferred.first {
            let known = newShape.enumerated().reduce(1) { $1.offset == axis ? $0 : $0 * $1.element }
            precondition(
                known != 0 && count % known == 0,
                "\(operation): cannot reshape \(shape) (\(count) elements) into \(newShape)")
            resolved[axis] = count / known
        }
        precondition(
            Shape.elementCount(resolved) == count,
            "\(operation): cannot reshape \(shape) (\(count) elements) into \(newShape)")
        return resolved
    }

    /// The dimensions `startAxis...endAxis` merged into one.
    public func flattened(startAxis: Int = 0, endAxis: Int = -1) -> Tensor {
        if rank == 0 { return reshaped([1]) }
        let start = Shape.normalizeAxis(startAxis, rank: rank, operation: "flattened")
        let end = Shape.normalizeAxis(endAxis, rank: rank, operation: "flattened")
        precondition(start <= end, "flattened: start axis \(startAxis) is after end axis \(endAxis)")
        let merged = shape[start...end].reduce(1, *)
        return reshaped(Array(shape[..<start]) + [merged] + Array(shape[(end + 1)...]))
    }

    /// A view with the dimensions reordered: dimension `i` of the result is dimension `axes[i]` of `self`.
    public func permuted(_ axes: [Int]) -> Tensor {
        precondition(axes.count == rank, "permuted: \(axes.count) axes for a tensor of shape \(shape)")
        let resolved = axes.map { Shape.normalizeAxis($0, rank: rank, operation: "permuted") }
        precondition(Set(resolved).count == rank, "permuted: \(axes) is not a permutation of the \(rank) axes")
        return Tensor(
            storage: storage, shape: resolved.map { shape[$0] }, strides: resolved.map { strides[$0] },
            offset: offset)
    }

    /// A view with the dimensions reordered, given as a list of axes.
    public func permuted(_ axes: Int...) -> Tensor { permuted(axes) }

    /// A view with two dimensions swapped.
    public func transposed(_ first: Int, _ second: Int) -> Tensor {
        var axes = Array(0..<rank)
        let a = Shape.normalizeAxis(first, rank: rank, operation: "transposed")
        let b = Shape.normalizeAxis(second, rank: rank, operation: "transposed")
        axes.swapAt(a, b)
        return permuted(axes)
    }

    /// The matrix transpose: a view with the last two dimensions swapped (a 0-d or 1-D tensor is returned as is).
    public func transposed() -> Tensor { rank < 2 ? self : transposed(-2, -1) }

    /// A view without the size-1 dimension `axis`, or without every size-1 dimension when `axis` is nil.
    public func squeezed(axis: Int? = nil) -> Tensor {
        var keep = Array(0..<rank)
        if let axis {
            let resolved = Shape.normalizeAxis(axis, rank: rank, operation: "squeezed")
            if shape[resolved] != 1 { return self }
            keep.remove(at: resolved)
        } else {
            keep = keep.filter { shape[$0] != 1 }
        }
        return Tensor(storage: storage, shape: keep.map { shape[$0] }, strides: keep.map { strides[$0] }, offset: offset)
    }

    /// A view with a new size-1 dimension inserted at `axis` (negative counts from the end of the result).
    public func unsqueezed(axis: Int) -> Tensor {
        let resolved = Shape.normalizeAxis(axis, rank: rank + 1, operation: "unsqueezed")
        var newShape = shape
        var newStrides = strides
        let innerStride = resolved < rank ? strides[resolved] * shape[resolved] : 1
        newShape.insert(1, at: resolved)
        newStrides.insert(innerStride, at: resolved)
        return Tensor(storage: storage, shape: newShape, strides: newStrides, offset: offset)
    }

    /// A broadcast view of this tensor with `shape` (size-1 dimensions repeated without copying, new leading
    /// dimensions added; `-1` keeps a dimension's size).
    public func expanded(to newShape: [Int]) -> Tensor {
        precondition(
            newShape.count >= rank, "expanded: cannot expand shape \(shape) to fewer dimensions \(newShape)")
        let lead = newShape.count - rank
        var target = newShape
        for axis in 0..<rank where newShape[axis + lead] == -1 { target[axis + lead] = shape[axis] }
        for axis in 0..<rank {
            precondition(
                shape[axis] == target[axis + lead] || shape[axis] == 1,
                "expanded: shape \(shape) cannot be expanded to \(newShape)")
        }
        Shape.validate(target, operation: "expanded")
        return Tensor(
            storage: storage, shape: target,
            strides: Shape.broadcastStrides(shape: shape, strides: strides, to: target), offset: offset)
    }

    /// A broadcast view of this tensor with the shape of `other`.
    public func expanded(as other: Tensor) -> Tensor { expanded(to: other.shape) }

    /// Broadcasts tensors against each other, returning views that all have the common shape.
    public static func broadcastTensors(_ tensors: [Tensor]) -> [Tensor] {
        guard var common = tensors.first?.shape else { return [] }
        for tensor in tensors.dropFirst() {
            common = Shape.broadcastOrTrap(common, tensor.shape, operation: "broadcastTensors")
        }
        return tensors.map { $0.expanded(to: common) }
    }

    /// A view of `length` elements of dimension `axis` starting at `start`.
    public func narrowed(axis: Int, start: Int, length: Int) -> Tensor {
        let resolved = Shape.normalizeAxis(axis, rank: rank, operation: "narrowed")
        precondition(
            start >= 0 && length >= 0 && start + length <= shape[resolved],
            "narrowed: range \(start)..<\(start + length) is outside dimension \(axis) of size \(shape[resolved])")
        var newShape = shape
        newShape[resolved] = length
        return Tensor(storage: storage, shape: newShape, strides: strides, offset: offset + start * strides[resolved])
    }
}
