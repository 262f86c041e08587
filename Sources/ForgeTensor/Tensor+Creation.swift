extension Tensor {
    /// A tensor of `shape` whose elements are all zero.
    public static func zeros(shape: [Int], dtype: DType = .float32) -> Tensor {
        Tensor(zeroedShape: shape, dtype: dtype)
    }

    /// A tensor of `shape` whose elements are all one.
    public static func ones(shape: [Int], dtype: DType = .float32) -> Tensor {
        full(shape: shape, value: 1, dtype: dtype)
    }

    /// A tensor of `shape` with every element equal to `value` (converted to `dtype`).
    public static func full(shape: [Int], value: Double, dtype: DType = .float32) -> Tensor {
        let result = Tensor(uninitializedShape: shape, dtype: dtype)
        func fill<T: TensorElement>(_: T.Type) {
            result.storage.pointer(as: T.self).initialize(repeating: T(convertingDouble: value), count: result.count)
        }
        switch dtype {
        case .float32: fill(Float.self)
        case .float64: fill(Double.self)
        case .int32: fill(Int32.self)
        case .int64: fill(Int64.self)
        case .bool: fill(Bool.self)
        case .int8: fill(Int8.self)
        case .uint8: fill(UInt8.self)
        }
        return result
    }

    /// Zeros with the shape and dtype of `other`.
    public static func zeros(like other: Tensor) -> Tensor { zeros(shape: other.shape, dtype: other.dtype) }

    /// Ones with the shape and dtype of `other`.
    public static func ones(like other: Tensor) -> Tensor { ones(shape: other.shape, dtype: other.dtype) }

    /// The values `start, start + step, …` below `end` (above it for a negative step), as a 1-D tensor.
    public static func arange(
        _ start: Double = 0, _ end: Double, step: Double = 1, dtype: DType = .float32
    ) -> Tensor {
        precondition(step != 0, "arange: step must not be zero")
        precondition(start.isFinite && end.isFinite && step.isFinite, "arange: bounds and step must be finite")
        let count = Swift.max(0, Int(((end - start) / step).rounded(.up)))
        return generated(count: count, dtype: dtype) { start + Double($0) * step }
    }

    /// `count` evenly spaced values from `start` to `end`, both included, as a 1-D tensor.
    public static func linspace(_ start: Double, _ end: Double, count: Int, dtype: DType = .float32) -> Tensor {
        precondition(count >= 0, "linspace: count \(count) is negative")
        if count == 1 { return generated(count: 1, dtype: dtype) { _ in start } }
        let step = (end - start) / Double(count - 1)
        // Fill from both ends so the last value is exactly `end`, as NumPy does.
        return generated(count: count, dtype: dtype) { index in
            index < count / 2 ? start + Double(index) * step : end - Double(count - 1 - index) * step
        }
    }

    /// The identity matrix of `rows` × `columns` (square by default).
    public static func eye(_ rows: Int, columns: Int? = nil, dtype: DType = .float32) -> Tensor {
        let columns = columns ?? rows
        let result = zeros(shape: [rows, columns], dtype: dtype)
        func fill<T: TensorElement>(_: T.Type) {
            let pointer = result.storage.pointer(as: T.self)
            for index in 0..<Swift.min(rows, columns) { pointer[index * columns + index] = T.one }
        }
        switch dtype {
        case .float32: fill(Float.self)
        case .float64: fill(Double.self)
        case .int32: fill(Int32.self)
        case .int64: fill(Int64.self)
        case .bool: fill(Bool.self)
        case .int8: fill(Int8.self)
        case .uint8: fill(UInt8.self)
        }
        return result
    }

    /// A 1-D tensor of `count` elements, element `i` being `value(i)` converted to `dtype`.
    static func generated(count: Int, dtype: DType, _ value: (Int) -> Double) -> Tensor {
        let result = Tensor(uninitializedShape: [count], dtype: dtype)
        func fill<T: TensorElement>(_: T.Type) {
            let pointer = result.storage.pointer(as: T.self)
            for index in 0..<count { pointer[index] = T(convertingDouble: value(index)) }
        }
        switch dtype {
        case .float32: fill(Float.self)
        case .float64: fill(Double.self)
        case .int32: fill(Int32.self)
        case .int64: fill(Int64.self)
        case .bool: fill(Bool.self)
        case .int8: fill(Int8.self)
        case .uint8: fill(UInt8.self)
        }
        return result
    }
}
