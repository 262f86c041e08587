// Factorizations of square matrices: Cholesky, the inverse (through LU) and the symmetric eigendecomposition.

extension LinearAlgebra {
    /// The Cholesky factor of symmetric positive-definite matrices: the lower-triangular L with `a = L · Lᵀ`
    /// and a positive diagonal (LAPACK `potrf`), like `numpy.linalg.cholesky`.
    ///
    /// ```swift
    /// let a = Tensor(rows: [[4, 2], [2, 3]] as [[Double]])
    /// let l = try LinearAlgebra.cholesky(a)   // [[2, 0], [1, √2]]
    /// ```
    ///
    /// - Parameter a: symmetric matrices `[..., n, n]`, float32 or float64. Only the lower triangle and the
    ///   diagonal are read; the upper triangle is assumed to mirror them.
    /// - Returns: L, shaped like `a`, with zeros above the diagonal.
    /// - Throws: ``LinearAlgebraError/notPositiveDefinite(operation:batchIndex:minorOrder:)`` when a matrix is
    ///   not positive definite, ``LinearAlgebraError/notSquare(operation:shape:)``, or
    ///   ``LinearAlgebraError/nonFiniteInput(operation:operand:batchIndex:)`` for NaN or infinity.
    public static func cholesky(_ a: Tensor) throws -> Tensor {
        try cholesky(a, as: elementType(operation: "cholesky", ["a": a]))
    }

    /// The inverse of square matrices, by LU factorization (LAPACK `getrf` + `getri`), like
    /// `numpy.linalg.inv`. To solve a system, ``solve(_:_:)`` is faster and more accurate.
    ///
    /// ```swift
    /// let a = Tensor(rows: [[4, 7], [2, 6]] as [[Double]])
    /// let inverse = try LinearAlgebra.inverse(a)   // [[0.6, -0.7], [-0.2, 0.4]]
    /// ```
    ///
    /// - Parameter a: square matrices `[..., n, n]`, float32 or float64.
    /// - Returns: `a⁻¹`, shaped like `a`.
    /// - Throws: ``LinearAlgebraError/singularMatrix(operation:batchIndex:pivot:)`` when a matrix is singular,
    ///   ``LinearAlgebraError/notSquare(operation:shape:)``, or
    ///   ``LinearAlgebraError/nonFiniteInput(operation:operand:batchIndex:)`` for NaN or infinity.
    public static func inverse(_ a: Tensor) throws -> Tensor {
        try inverse(a, as: elementType(operation: "inverse", ["a": a]))
    }

    /// The eigenvalues and eigenvectors of real symmetric matrices (LAPACK `syevd`), like `numpy.linalg.eigh`.
    ///
    /// ```swift
    /// let a = Tensor(rows: [[2, 1], [1, 2]] as [[Double]])
    /// let (values, vectors) = try LinearAlgebra.symmetricEigen(a)   // values [1, 3]
    /// // column j of `vectors` is the unit eigenvector of values[j]: a · v = λ · v
    /// ```
    ///
    /// - Parameter a: symmetric matrices `[..., n, n]`, float32 or float64. Only the lower triangle and the
    ///   diagonal are read.
    /// - Returns: `eigenvalues` `[..., n]` in ascending order, and `eigenvectors` `[..., n, n]` whose column j
    ///   is an orthonormal eigenvector for eigenvalue j (each column's sign is arbitrary, as in LAPACK).
    /// - Throws: ``LinearAlgebraError/noConvergence(operation:batchIndex:unconverged:)`` when the algorithm
    ///   fails to converge, ``LinearAlgebraError/notSquare(operation:shape:)``, or
    ///   ``LinearAlgebraError/nonFiniteInput(operation:operand:batchIndex:)`` for NaN or infinity.
    public static func symmetricEigen(_ a: Tensor) throws -> (eigenvalues: Tensor, eigenvectors: Tensor) {
        try symmetricEigen(a, as: elementType(operation: "symmetricEigen", ["a": a]))
    }

    // MARK: - Implementations

    static func cholesky<T: LAPACKScalar>(_ a: Tensor, as _: T.Type) throws -> Tensor {
        let operation = "cholesky"
        let order = try squareOrder(of: a, operation: operation)
        let factor = Tensor(zeroedShape: a.shape, dtype: T.dtype)  // the upper triangle stays zero
        try withExtendedLifetime(factor) {
            try forEachMatrix(in: a, order: order, operation: operation, readsLowerTriangleOnly: true, as: T.self) {
                batch, index, matrix in
                let info = LAPACK.potrf(n: order, a: matrix, lda: order)
                if info > 0 {
                    throw LinearAlgebraError.notPositiveDefinite(
                        operation: operation, batchIndex: index, minorOrder: info)
                }
                let output = factor.basePointer(as: T.self) + batch * order * order
                for row in 0..<order {
                    for column in 0...row { output[row * order + column] = matrix[column * order + row] }
                }
            }
        }
        return factor
    }

    static func inverse<T: LAPACKScalar>(_ a: Tensor, as _: T.Type) throws -> Tensor {
        let operation = "inverse"
        let order = try squareOrder(of: a, operation: operation)
        let result = Tensor(uninitializedShape: a.shape, dtype: T.dtype)
        let pivots = LAPACKBuffer<LAPACK.Integer>(count: order)
        defer { pivots.deallocate() }
        try withExtendedLifetime(result) {
            try forEachMatrix(in: a, order: order, operation: operation, as: T.self) { batch, index, matrix in
                var info = LAPACK.getrf(n: order, a: matrix, lda: order, pivots: pivots.base)
                if info == 0 { info = LAPACK.getri(n: order, a: matrix, lda: order, pivots: pivots.base) }
                if info > 0 {
                    throw LinearAlgebraError.singularMatrix(operation: operation, batchIndex: index, pivot: info - 1)
                }
                unpackColumnMajor(
                    matrix, rows: order, columns: order, leading: order,
                    into: result.basePointer(as: T.self) + batch * order * order)
            }
        }
        return result
    }

    static func symmetricEigen<T: LAPACKScalar>(
        _ a: Tensor, as _: T.Type
    ) throws -> (eigenvalues: Tensor, eigenvectors: Tensor) {
        let operation = "symmetricEigen"
        let order = try squareOrder(of: a, operation: operation)
        let eigenvalues = Tensor(uninitializedShape: Array(a.shape.dropLast()), dtype: T.dtype)
        let eigenvectors = Tensor(uninitializedShape: a.shape, dtype: T.dtype)
        try withExtendedLifetime((eigenvalues, eigenvectors)) {
            try forEachMatrix(in: a, order: order, operation: operation, readsLowerTriangleOnly: true, as: T.self) {
                batch, index, matrix in
                let info = LAPACK.syevd(
                    n: order, a: matrix, lda: order, eigenvalues: eigenvalues.basePointer(as: T.self) + batch * order)
                if info > 0 {
                    throw LinearAlgebraError.noConvergence(operation: operation, batchIndex: index, unconverged: info)
                }
                // LAPACK leaves eigenvector j in column j; the row-major copy keeps it there.
                unpackColumnMajor(
                    matrix, rows: order, columns: order, leading: order,
                    into: eigenvectors.basePointer(as: T.self) + batch * order * order)
            }
        }
        return (eigenvalues, eigenvectors)
    }
}
