extension Tensor {
    /// Picks elements from `whenTrue` where `condition` is true and from `whenFalse` elsewhere; all three
    /// broadcast together and the values are promoted to a common dtype.
    public static func `where`(_ condition: Tensor, _ whenTrue: Tensor, _ whenFalse: Tensor) -> Tensor {
        let mask = condition.converted(to: .bool)
        let common = DType.promoted(whenTrue.dtype, whenFalse.dtype)
        let a = whenTrue.converted(to: common)
        let b = whenFalse.converted(to: common)
        func select<T: TensorElement>(_: T.Type) -> Tensor {
            zipElements(mask, a, b, Bool.self, T.self, T.self, to: T.self, operation: "where") { $0 ? $1 : $2 }
        }
        switch common {
        case .float32: return select(Float.self)
        case .float64: return select(Double.self)
        case .int32: return select(Int32.self)
        case .int64: return select(Int64.self)
        case .bool: return select(Bool.self)
        case .int8: return select(Int8.self)
        case .uint8: return select(UInt8.self)
        }
    }

    /// The tensor with `value` wherever the (broadcast) `mask` is true.
    public func maskedFill(_ mask: Tensor, with value: Double) -> Tensor {
        let result = Tensor.where(mask, Tensor.full(shape: [], value: value, dtype: dtype), self)
        precondition(
            result.shape == shape, "maskedFill: mask \(mask.shape) does not broadcast to the tensor's shape \(shape)")
        return result
    }

    /// Elements picked along `axis` by `index`: `result[i][j] = self[index[i][j]][j]` for `axis` 0.
    ///
    /// `index` is an `int64` or `int32` tensor of the same rank whose other dimensions are no larger than
    /// this tensor's; the result has `index`'s shape. Indices may be negative (counted from the end).
    public func gather(axis: Int, index: Tensor) -> Tensor {
        let resolved = Shape.normalizeAxis(axis, rank: rank, operation: "gather")
        precondition(
            index.rank == rank, "gather: index shape \(index.shape) must have the rank of the input \(shape)")
        for dimension in 0..<rank where dimension != resolved {
            precondition(
                index.shape[dimension] <= shape[dimension],
                "gather: index shape \(index.shape) exceeds input shape \(shape) in dimension \(dimension)")
        }
        let positions = index.checkedIndices(operation: "gather", bound: shape[resolved])
        var sourceStrides = strides
        sourceStrides[resolved] = 0
        let axisStride = strides[resolved]
        func pick<T: TensorElement>(_: T.Type) -> Tensor {
            let result = Tensor(uninitializedShape: index.shape, dtype: dtype)
            let loop = StridedLoop(
                shape: index.shape, operandStrides: [result.strides, positions.strides, sourceStrides])
            let inner = loop.innerStrides
            let output = result.basePointer(as: T.self)
            let indices = positions.basePointer(as: Int64.self)
            let input = basePointer(as: T.self)
            withExtendedLifetime((self, positions, result)) {
                loop.run { offsets, length in
                    for i in 0..<length {
                        let position = Int(indices[offsets[1] + i * inner[1]])
                        output[offsets[0] + i * inner[0]] = input[offsets[2] + i * inner[2] + position * axisStride]
                    }
                }
            }
            return result
        }
        switch dtype {
        case .float32: return pick(Float.self)
        case .float64: return pick(Double.self)
        case .int32: return pick(Int32.self)
        case .int64: return pick(Int64.self)
        case .bool: return pick(Bool.self)
        case .int8: return pick(Int8.self)
        case .uint8: return pick(UInt8.self)
        }
    }

    /// The slices along `axis` at the positions in the 1-D `indices` (`int64` or `int32`), in that order.
    public func indexSelect(axis: Int, indices: Tensor) -> Tensor {
        let resolved = Shape.normalizeAxis(axis, rank: rank, operation: "indexSelect")
        precondition(indices.rank == 1, "indexSelect: indices must be 1-D, got shape \(indices.shape)")
        var outputShape = shape
        outputShape[resolved] = indices.count
        var indexShape = [Int](repeating: 1, count: rank)
        indexShape[resolved] = indices.count
        return gather(axis: resolved, index: indices.reshaped(indexShape).expanded(to: outputShape))
    }

    /// A copy of the tensor with `source` added at the positions `index` names along `axis`:
    /// `result[index[i][j]][j] += source[i][j]` for `axis` 0. Repeated indices accumulate.
    public func scatterAdd(axis: Int, index: Tensor, source: Tensor) -> Tensor {
        let resolved = Shape.normalizeAxis(axis, rank: rank, operation: "scatterAdd")
        precondition(
            index.rank == rank && source.rank == rank,
            "scatterAdd: index \(index.shape) and source \(source.shape) must have the rank of the input \(shape)")
        for dimension in 0..<rank {
            precondition(
                index.shape[dimension] <= source.shape[dimension]
                    && (dimension == resolved || index.shape[dimension] <= shape[dimension]),
                "scatterAdd: index \(index.shape) does not fit source \(source.shape) and input \(shape)")
        }
        let positions = index.checkedIndices(operation: "scatterAdd", bound: shape[resolved])
        var result = contiguous()
        result.makeUnique()  // the kernel below writes through raw pointers
        let values = source.converted(to: dtype)
        var targetStrides = result.strides
        targetStrides[resolved] = 0
        let axisStride = result.strides[resolved]
        let loop = StridedLoop(
            shape: index.shape,
            operandStrides: [positions.strides, Array(values.strides), targetStrides])
        let inner = loop.innerStrides
        func accumulate<T: TensorNumeric>(_: T.Type) {
            let indices = positions.basePointer(as: Int64.self)
            let input = values.basePointer(as: T.self)
            let output = result.basePointer(as: T.self)
            withExtendedLifetime((positions, values, result)) {
                // Single-threaded: two source elements may add into the same target.
                loop.forEachRun(in: 0..<loop.count) { offsets, length in
                    for i in 0..<length {
                        let position = Int(indices[offsets[0] + i * inner[0]])
                        let target = offsets[2] + i * inner[2] + position * axisStride
                        output[target] = T.add(output[target], input[offsets[1] + i * inner[1]])
                    }
                }
            }
        }
        switch dtype {
        case .float32: accumulate(Float.self)
        case .float64: accumulate(Double.self)
        case .int32: accumulate(Int32.self)
        case .int64: accumulate(Int64.self)
        case .int8: accumulate(Int8.self)
        case .uint8: accumulate(UInt8.self)
        case .bool: preconditionFailure("scatterAdd: not defined for bool tensors")
        }
        return result
    }

    /// One-hot encoding of integer class indices: a tensor of shape `shape + [classes]`.
    public func oneHot(classes: Int, dtype resultType: DType = .float32) -> Tensor {
        precondition(classes > 0, "oneHot: classes must be positive, got \(classes)")
        let positions = checkedIndices(operation: "oneHot", bound: classes, allowNegative: false).contiguous()
        let result = Tensor.zeros(shape: shape + [classes], dtype: resultType)
        func mark<T: TensorElement>(_: T.Type) {
            let output = result.basePointer(as: T.self)
            let indices = positions.basePointer(as: Int64.self)
            withExtendedLifetime((positions, result)) {
                for row in 0..<positions.count { output[row * classes + Int(indices[row])] = T.one }
            }
        }
        switch resultType {
        case .float32: mark(Float.self)
        case .float64: mark(Double.self)
        case .int32: mark(Int32.self)
        case .int64: mark(Int64.self)
        case .bool: mark(Bool.self)
        case .int8: mark(Int8.self)
        case .uint8: mark(UInt8.self)
        }
        return result
    }

    /// The tensor as `int64` indices with negative values resolved, trapping on any index outside `bound`.
    func checkedIndices(operation: String, bound: Int, allowNegative: Bool = true) -> Tensor {
        precondition(
            dtype == .int64 || dtype == .int32 || dtype == .uint8 || dtype == .int8,
            "\(operation): indices must be an integer tensor, got \(dtype)")
        var positions = converted(to: .int64).contiguous()
        positions.withUnsafeMutableBufferPointer(as: Int64.self) { values in
            for position in values.indices {
                let value = values[position]
                let resolved = value < 0 && allowNegative ? value + Int64(bound) : value
                precondition(
                    resolved >= 0 && resolved < Int64(bound),
                    "\(operation): index \(value) is out of range for a dimension of size \(bound)")
                values[position] = resolved
            }
        }
        return positions
    }
}
