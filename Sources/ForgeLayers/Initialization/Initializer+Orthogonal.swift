public import ForgeTensor

extension Initializer {
    /// A `rows × columns` matrix with orthonormal rows (when `rows ≤ columns`) or orthonormal columns
    /// (otherwise), times `gain` — PyTorch's `torch.nn.init.orthogonal_`.
    ///
    /// Draws a standard normal matrix, transposed to be at least as tall as wide, and orthonormalizes its
    /// columns by **modified Gram–Schmidt in float64, run twice** ("twice is enough", Giraud et al. 2005)
    /// so the result is orthogonal to rounding error even for square matrices. This is the Q of the QR
    /// factorization with a positive diagonal in R — exactly what PyTorch produces after its sign fix —
    /// so Q is Haar-distributed. (ForgeTensor's LinearAlgebra has no QR; Gram–Schmidt needs none.)
    ///
    /// - Parameters:
    ///   - rows: the number of rows.
    ///   - columns: the number of columns.
    ///   - gain: the scale of the result.
    ///   - dtype: `float32` or `float64`.
    ///   - generator: the random stream.
    public static func orthogonalMatrix(
        rows: Int, columns: Int, gain: Double = 1, dtype: DType = .float32, generator: inout RandomGenerator
    ) -> Tensor {
        precondition(rows > 0 && columns > 0, "Initializer.orthogonal: empty matrix \(rows) × \(columns)")
        let draw = Tensor.normal(shape: [rows, columns], dtype: .float64, generator: &generator)
        let (tall, wide) = (Swift.max(rows, columns), Swift.min(rows, columns))
        // vectors[j * tall + i]: column j of the tall matrix (row j of the drawn one when it is wide).
        var vectors = [Double](repeating: 0, count: tall * wide)
        let values = draw.scalars(as: Double.self)
        for row in 0..<rows {
            for column in 0..<columns {
                if rows >= columns {
                    vectors[column * tall + row] = values[row * columns + column]
                } else {
                    vectors[row * tall + column] = values[row * columns + column]
                }
            }
        }
        vectors.withUnsafeMutableBufferPointer { q in
            for j in 0..<wide {
                let vector = q.baseAddress! + j * tall
                for _ in 0..<2 {
                    for k in 0..<j {
                        let basis = q.baseAddress! + k * tall
                        var dot = 0.0
                        for i in 0..<tall { dot += basis[i] * vector[i] }
                        for i in 0..<tall { vector[i] -= dot * basis[i] }
                    }
                }
                var norm = 0.0
                for i in 0..<tall { norm += vector[i] * vector[i] }
                norm = norm.squareRoot()
                // A standard normal matrix is rank-deficient with probability zero.
                precondition(norm > 0, "Initializer.orthogonal: drew a degenerate matrix; use another seed")
                for i in 0..<tall { vector[i] /= norm }
            }
        }
        var result = [Double](repeating: 0, count: rows * columns)
        for row in 0..<rows {
            for column in 0..<columns {
                let q = rows >= columns ? vectors[column * tall + row] : vectors[row * tall + column]
                result[row * columns + column] = gain * q
            }
        }
        return Tensor(result, shape: [rows, columns]).converted(to: dtype)
    }
}
