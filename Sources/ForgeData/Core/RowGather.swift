import ForgeTensor

/// Copies whole rows (slices along axis 0) of a contiguous tensor into a new tensor.
enum RowGather {
    /// `tensor[indices[0]], tensor[indices[1]], ...` stacked, one `memcpy` per row.
    static func rows(of tensor: Tensor, at indices: [Int]) -> Tensor {
        let rowShape = Array(tensor.shape.dropFirst())
        let rowElements = rowShape.reduce(1, *)
        var result = Tensor.zeros(shape: [indices.count] + rowShape, dtype: tensor.dtype)
        let rowBytes = rowElements * tensor.dtype.byteSize
        switch tensor.dtype {
        case .float32: copy(Float.self, tensor, &result, indices, rowBytes, rowElements)
        case .float64: copy(Double.self, tensor, &result, indices, rowBytes, rowElements)
        case .int32: copy(Int32.self, tensor, &result, indices, rowBytes, rowElements)
        case .int64: copy(Int64.self, tensor, &result, indices, rowBytes, rowElements)
        case .bool: copy(Bool.self, tensor, &result, indices, rowBytes, rowElements)
        case .int8: copy(Int8.self, tensor, &result, indices, rowBytes, rowElements)
        case .uint8: copy(UInt8.self, tensor, &result, indices, rowBytes, rowElements)
        }
        return result
    }

    private static func copy<T: TensorElement>(
        _: T.Type, _ source: Tensor, _ result: inout Tensor, _ indices: [Int], _ rowBytes: Int, _ rowElements: Int
    ) {
        source.withUnsafeBufferPointer(as: T.self) { input in
            result.withUnsafeMutableBufferPointer(as: T.self) { output in
                guard let from = input.baseAddress, let to = output.baseAddress, rowElements > 0 else { return }
                for (position, index) in indices.enumerated() {
                    (to + position * rowElements).update(from: from + index * rowElements, count: rowElements)
                }
            }
        }
    }
}
