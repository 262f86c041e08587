import ForgeAutograd
import ForgeTensor

/// The input projection of a whole sequence `[T, B, G]`, handed to the time steps one slice at a time
/// without a graph node per slice.
///
/// Slicing a variable per step (`narrowed`) would make every step's backward return a gradient the size
/// of the whole sequence — quadratic in the sequence length. Instead every step's fused cell operation
/// adds its slice's gradient into one shared ``Accumulator`` and lists the small ``anchor`` variable as
/// its input. The anchor's own vector-Jacobian product runs after all of them (it is an input of each
/// step, so backward reaches it last) and passes the accumulated `[T, B, G]` gradient to the projection.
struct SequenceSteps {
    /// Collects the per-step gradients of one backward pass. Holds tensors only (no variables), as
    /// vector-Jacobian products must.
    final class Accumulator {
        let shape: [Int]
        let dtype: DType
        private var gradient: Tensor?

        init(shape: [Int], dtype: DType) {
            self.shape = shape
            self.dtype = dtype
        }

        /// Adds `slice` (`B × G` elements, contiguous) to step `time`.
        func add(_ slice: Tensor, time: Int) {
            var total = gradient ?? Tensor.zeros(shape: shape, dtype: dtype)
            gradient = nil  // keep the storage uniquely referenced so the update happens in place
            let width = shape[1] * shape[2]
            if dtype == .float64 {
                accumulate(Double.self, slice, into: &total, offset: time * width, width: width)
            } else {
                accumulate(Float.self, slice, into: &total, offset: time * width, width: width)
            }
            gradient = total
        }

        /// The accumulated gradient, resetting for the next backward pass.
        func take() -> Tensor {
            defer { gradient = nil }
            return gradient ?? Tensor.zeros(shape: shape, dtype: dtype)
        }

        private func accumulate<T: TensorFloatingPoint>(
            _: T.Type, _ slice: Tensor, into total: inout Tensor, offset: Int, width: Int
        ) {
            let source = slice.converted(to: T.dtype)
            source.withUnsafeBufferPointer(as: T.self) { values in
                total.withUnsafeMutableBufferPointer(as: T.self) { target in
                    for index in 0..<width { target[offset + index] += values[index] }
                }
            }
        }
    }

    /// The projection's value `[T, B, G]`.
    let value: Tensor
    /// A one-element variable that every step lists as an input; backward gives the projection its
    /// gradient through it.
    let anchor: Variable
    /// Where the steps put their gradients.
    let accumulator: Accumulator
    /// The zero gradient each step returns for the anchor.
    let anchorGradient: Tensor

    /// Wraps the projected sequence `projection` `[T, B, G]`.
    init(_ projection: Variable) {
        value = projection.value
        let accumulator = Accumulator(shape: projection.shape, dtype: projection.dtype)
        self.accumulator = accumulator
        anchorGradient = Tensor.zeros(shape: [1], dtype: projection.dtype)
        anchor = Variable.record("sequenceSteps", value: anchorGradient, inputs: [projection]) { _ in
            [accumulator.take()]
        }
    }

    /// The slice of step `time`, `[B, G]`.
    func slice(_ time: Int) -> Tensor {
        value.narrowed(axis: 0, start: time, length: 1).reshaped([value.shape[1], value.shape[2]])
    }
}
