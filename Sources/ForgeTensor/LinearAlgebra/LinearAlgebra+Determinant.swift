// Determinants from the LU factorization: det(a) = (−1)^(row swaps) · ∏ U[i, i].

extension LinearAlgebra {
    /// The determinant of square matrices, from their LU factorization (LAPACK `getrf`), like
    /// `numpy.linalg.det`. A singular matrix has determinant 0; that is not an error.
    ///
    /// ```swift
    /// let a = Tensor(rows: [[4, 3], [6, 3]] as [[Double]])
    /// let det = try LinearAlgebra.determinant(a).item(as: Double.self)   // -6
    /// ```
    ///
    /// NOTE: the product of n pivots overflows or underflows easily (det(0.1 · I₄₀₀) = 1e-400); use
    /// ``logDeterminant(_:)`` for large matrices or likelihoods.
    ///
    /// - Parameter a: square matrices `[..., n, n]`, float32 or float64.
    /// - Returns: the determinants, shaped like `a` without its last two dimensions (0-d for one matrix).
    /// - Throws: ``LinearAlgebraError/notSquare(operation:shape:)``, or
    ///   ``LinearAlgebraError/nonFiniteInput(operation:operand:batchIndex:)`` for NaN or infinity.
    public static func determinant(_ a: Tensor) throws -> Tensor {
        try determinant(a, as: elementType(operation: "determinant", ["a": a]))
    }

    /// The sign and the natural logarithm of the absolute value of the determinant, like
    /// `numpy.linalg.slogdet`: `det(a) = sign · exp(logAbsoluteDeterminant)`, without overflow.
    ///
    /// A singular matrix gives sign 0 and a logarithm of −∞.
    ///
    /// ```swift
    /// let covariance = Tensor(rows: [[2, 1], [1, 2]] as [[Double]])
    /// let (sign, logDet) = try LinearAlgebra.logDeterminant(covariance)   // 1, log 3
    /// ```
    ///
    /// - Parameter a: square matrices `[..., n, n]`, float32 or float64.
    /// - Returns: `sign` (−1, 0 or 1) and `logAbsoluteDeterminant`, both shaped like `a` without its last two
    ///   dimensions, of `a`'s dtype.
    /// - Throws: ``LinearAlgebraError/notSquare(operation:shape:)``, or
    ///   ``LinearAlgebraError/nonFiniteInput(operation:operand:batchIndex:)`` for NaN or infinity.
    public static func logDeterminant(_ a: Tensor) throws -> (sign: Tensor, logAbsoluteDeterminant: Tensor) {
        try logDeterminant(a, as: elementType(operation: "logDeterminant", ["a": a]))
    }

    // MARK: - Implementations

    static func determinant<T: LAPACKScalar>(_ a: Tensor, as _: T.Type) throws -> Tensor {
        let batchShape = Array(a.shape.dropLast(2))
        var determinants = [T](repeating: T.one, count: Shape.elementCount(batchShape))  // det of 0×0 is 1
        try forEachLUFactorization(of: a, operation: "determinant", as: T.self) { batch, factors, order, sign in
            guard let sign else {
                determinants[batch] = T.zero
                return
            }
            var product = sign
            for index in 0..<order { product *= factors[index * order + index] }
            determinants[batch] = product
        }
        return Tensor(determinants, shape: batchShape)
    }

    static func logDeterminant<T: LAPACKScalar>(
        _ a: Tensor, as _: T.Type
    ) throws -> (sign: Tensor, logAbsoluteDeterminant: Tensor) {
        let batchShape = Array(a.shape.dropLast(2))
        let batchCount = Shape.elementCount(batchShape)
        var signs = [T](repeating: T.one, count: batchCount)
        var logarithms = [T](repeating: T.zero, count: batchCount)
        try forEachLUFactorization(of: a, operation: "logDeterminant", as: T.self) { batch, factors, order, sign in
            guard var sign else {
                signs[batch] = T.zero
                logarithms[batch] = -T.infinity
                return
            }
            var logarithm = T.zero
            for index in 0..<order {
                let pivot = factors[index * order + index]
                if pivot < 0 { sign = -sign }
                logarithm += T.log(Swift.abs(pivot))
            }
            signs[batch] = sign
            logarithms[batch] = logarithm
        }
        return (Tensor(signs, shape: batchShape), Tensor(logarithms, shape: batchShape))
    }

    /// Calls `body` with each matrix's LU factors (column-major, U on and above the diagonal), its order, and
    /// the sign of the row permutation — or `nil` for the sign when U has an exactly zero pivot (singular).
    private static func forEachLUFactorization<T: LAPACKScalar>(
        of a: Tensor, operation: String, as _: T.Type,
        _ body: (_ batch: Int, _ factors: UnsafeMutablePointer<T>, _ order: Int, _ permutationSign: T?) -> Void
    ) throws {
        let order = try squareOrder(of: a, operation: operation)
        let pivots = LAPACKBuffer<LAPACK.Integer>(count: order)
        defer { pivots.deallocate() }
        try forEachMatrix(in: a, order: order, operation: operation, as: T.self) { batch, _, matrix in
            let info = LAPACK.getrf(n: order, a: matrix, lda: order, pivots: pivots.base)
            guard info == 0 else { return body(batch, matrix, order, nil) }
            var sign = T.one
            // getrf swapped row i with row pivots[i] (1-based); every real swap flips the sign.
            for index in 0..<order where Int(pivots.base[index]) != index + 1 { sign = -sign }
            body(batch, matrix, order, sign)
        }
    }
}
