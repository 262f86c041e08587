extension Tensor {
    /// The tensor with its elements converted to `target`; returns `self` when the dtype already matches.
    ///
    /// Floating-point to integer conversion truncates toward zero and saturates at the integer type's
    /// bounds (NaN becomes 0); any non-zero value becomes `true` as `bool`; integer narrowing wraps.
    public func converted(to target: DType) -> Tensor {
        if target == dtype { return self }
        if dtype == .float32 && target == .float64 { return Tensor.mapElements(self, FloatToDoubleOperation.self, operation: "converted") }
        if dtype == .float64 && target == .float32 { return Tensor.mapElements(self, DoubleToFloatOperation.self, operation: "converted") }
        func from<S: TensorElement>(_: S.Type) -> Tensor {
            func to<D: TensorElement>(_: D.Type) -> Tensor {
                if S.dtype.isFloatingPoint || D.dtype.isFloatingPoint || D.dtype == .bool {
                    return mapElements(S.self, to: D.self) { D(convertingDouble: $0.doubleValue) }
                }
                return mapElements(S.self, to: D.self) { D(convertingInt64: $0.int64Value) }
            }
            switch target {
            case .float32: return to(Float.self)
            case .float64: return to(Double.self)
            case .int32: return to(Int32.self)
            case .int64: return to(Int64.self)
            case .bool: return to(Bool.self)
            case .int8: return to(Int8.self)
            case .uint8: return to(UInt8.self)
            }
        }
        switch dtype {
        case .float32: return from(Float.self)
        case .float64: return from(Double.self)
        case .int32: return from(Int32.self)
        case .int64: return from(Int64.self)
        case .bool: return from(Bool.self)
        case .int8: return from(Int8.self)
        case .uint8: return from(UInt8.self)
        }
    }

    /// A contiguous copy of the elements (or `self` when already contiguous and starting at the buffer's
    /// first element with no unused tail).
    public func contiguous() -> Tensor {
        if isContiguous && offset == 0 && storage.count == count { return self }
        switch dtype {
        case .float32: return Tensor.mapElements(self, CopyOperation<Float>.self, operation: "contiguous")
        case .float64: return Tensor.mapElements(self, CopyOperation<Double>.self, operation: "contiguous")
        case .int32: return Tensor.mapElements(self, CopyOperation<Int32>.self, operation: "contiguous")
        case .int64: return Tensor.mapElements(self, CopyOperation<Int64>.self, operation: "contiguous")
        case .bool: return Tensor.mapElements(self, CopyOperation<Bool>.self, operation: "contiguous")
        case .int8: return Tensor.mapElements(self, CopyOperation<Int8>.self, operation: "contiguous")
        case .uint8: return Tensor.mapElements(self, CopyOperation<UInt8>.self, operation: "contiguous")
        }
    }

    /// Copies the elements of `source` (broadcast to this tensor's shape and converted to its dtype) into
    /// this tensor's elements, in place.
    public mutating func assign(_ source: Tensor) {
        let value = source.converted(to: dtype)
        func copy<T: TensorElement>(_: T.Type) {
            updateElements(with: value, T.self, T.self, operation: "assign") { _, new in new }
        }
        switch dtype {
        case .float32: copy(Float.self)
        case .float64: copy(Double.self)
        case .int32: copy(Int32.self)
        case .int64: copy(Int64.self)
        case .bool: copy(Bool.self)
        case .int8: copy(Int8.self)
        case .uint8: copy(UInt8.self)
        }
    }
}
