import CForgeMath
import ForgeTensor

// Pointer access for the fused update kernels. Each kernel nests these calls, reads the gradient and
// writes the parameter and its state in one loop. State tensors are created contiguous and owned by
// one optimizer only, so `withUnsafeMutableBufferPointer` neither copies nor allocates in steady
// state; the parameter's value is copied only if something else (a live autograd graph) still
// shares its storage.

extension Tensor {
    /// Calls `body` with a pointer to the elements, row-major (made unique and contiguous first).
    @inline(__always)
    mutating func withMutablePointer<T: TensorElement, R>(as _: T.Type, _ body: (UnsafeMutablePointer<T>) -> R) -> R {
        withUnsafeMutableBufferPointer(as: T.self) { buffer in
            // Kernels only run on tensors with at least one element, which always have a base address.
            body(buffer.baseAddress.unsafelyUnwrapped)
        }
    }

    /// Calls `body` with a read-only pointer to the elements, row-major (copying a view first).
    @inline(__always)
    func withPointer<T: TensorElement, R>(as _: T.Type, _ body: (UnsafePointer<T>) -> R) -> R {
        withUnsafeBufferPointer(as: T.self) { buffer in
            body(buffer.baseAddress.unsafelyUnwrapped)
        }
    }
}

extension Optional where Wrapped == Tensor {
    /// Calls `body` with a pointer to the wrapped tensor's elements, or with nil when there is none.
    @inline(__always)
    mutating func withMutablePointer<T: TensorElement, R>(as _: T.Type, _ body: (UnsafeMutablePointer<T>?) -> R) -> R {
        if let result = self?.withMutablePointer(as: T.self, { body($0) }) { return result }
        return body(nil)
    }
}

extension Tensor {
    /// A contiguous tensor shaped and typed like `value`, every element `fill`.
    static func filled(like value: Tensor, with fill: Double) -> Tensor {
        Tensor.full(shape: value.shape, value: fill, dtype: value.dtype)
    }
}

/// The correctly rounded square root, in a form loops vectorize (see CForgeMath.h): identical results
/// to `squareRoot()`, without the C library call that keeps `squareRoot()` loops scalar on Linux.
@inline(__always)
func vectorizableSquareRoot<T: TensorFloatingPoint>(_ x: T) -> T {
    if T.self == Float.self {
        return unsafeBitCast(forge_square_root_float(unsafeBitCast(x, to: Float.self)), to: T.self)
    }
    if T.self == Double.self {
        return unsafeBitCast(forge_square_root_double(unsafeBitCast(x, to: Double.self)), to: T.self)
    }
    return x.squareRoot()
}

/// `pointer` as a pointer to `U`, for handing a generic kernel's buffer to a C function once the
/// element type is known to be `U` (the caller checks `T.self == U.self`).
@inline(__always)
func rebound<T, U>(_ pointer: UnsafeMutablePointer<T>) -> UnsafeMutablePointer<U> {
    UnsafeMutableRawPointer(pointer).assumingMemoryBound(to: U.self)
}

/// `pointer` as a pointer to `U` (read-only variant of the above).
@inline(__always)
func rebound<T, U>(_ pointer: UnsafePointer<T>) -> UnsafePointer<U> {
    UnsafeRawPointer(pointer).assumingMemoryBound(to: U.self)
}
