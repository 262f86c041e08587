// Linear systems: solve (LU), choleskySolve (from a Cholesky factor) and leastSquares (SVD).

extension LinearAlgebra {
    /// Solves the linear system `a · x = b` by LU factorization with partial pivoting (LAPACK `gesv`).
    ///
    /// ```swift
    /// let a = Tensor(rows: [[3, 1], [1, 2]] as [[Double]])
    /// let x = try LinearAlgebra.solve(a, Tensor([9, 8] as [Double]))   // [2, 3]
    /// ```
    ///
    /// - Parameters:
    ///   - a: square matrices `[..., n, n]`, float32 or float64.
    ///   - b: a vector `[n]`, or matrices `[..., n, k]` (one system per column), of `a`'s dtype. The batch
    ///     dimensions of `a` and `b` broadcast; a vector `b` is shared by every matrix of the batch.
    /// - Returns: x, shaped `[..., n]` when `b` is a vector and `[..., n, k]` otherwise.
    /// - Throws: ``LinearAlgebraError/singularMatrix(operation:batchIndex:pivot:)`` when a matrix is singular,
    ///   ``LinearAlgebraError/notSquare(operation:shape:)`` when `a` is not square,
    ///   ``LinearAlgebraError/nonFiniteInput(operation:operand:batchIndex:)`` for NaN or infinity.
    public static func solve(_ a: Tensor, _ b: Tensor) throws -> Tensor {
        try solve(a, b, as: elementType(operation: "solve", ["a": a, "b": b]))
    }

    /// Solves `a · x = b` for a symmetric positive-definite `a` from its Cholesky factor `factor` = L,
    /// where `a = L · Lᵀ` (LAPACK `potrs`); cheaper than ``solve(_:_:)`` when one factor serves many `b`.
    ///
    /// ```swift
    /// let l = try LinearAlgebra.cholesky(covariance)
    /// let x = try LinearAlgebra.choleskySolve(factor: l, b)   // covariance⁻¹ · b
    /// ```
    ///
    /// - Parameters:
    ///   - factor: lower-triangular factors `[..., n, n]` as ``cholesky(_:)`` returns them; only the lower
    ///     triangle and the diagonal are read.
    ///   - b: a vector `[n]` or matrices `[..., n, k]` of the factor's dtype, as in ``solve(_:_:)``.
    /// - Returns: x, shaped `[..., n]` when `b` is a vector and `[..., n, k]` otherwise.
    /// - Throws: ``LinearAlgebraError/singularMatrix(operation:batchIndex:pivot:)`` when a diagonal element of
    ///   the factor is zero, `notSquare` and `nonFiniteInput` as ``solve(_:_:)``.
    public static func choleskySolve(factor: Tensor, _ b: Tensor) throws -> Tensor {
        try choleskySolve(factor: factor, b, as: elementType(operation: "choleskySolve", ["factor": factor, "b": b]))
    }

    /// The least-squares solution x minimizing `‖a · x − b‖₂`, by singular value decomposition (LAPACK
    /// `gelsd`), like `numpy.linalg.lstsq`.
    ///
    /// Over-determined systems (m > n) get the best fit; under-determined (m < n) or rank-deficient ones get
    /// the solution of minimum norm.
    ///
    /// ```swift
    /// // Fit y = w₀·x + w₁ to three points.
    /// let design = Tensor(rows: [[0, 1], [1, 1], [2, 1]] as [[Double]])
    /// let w = try LinearAlgebra.leastSquares(design, Tensor([1, 3, 5] as [Double]))   // [2, 1]
    /// ```
    ///
    /// - Parameters:
    ///   - a: matrices `[..., m, n]`, float32 or float64.
    ///   - b: a vector `[m]` or matrices `[..., m, k]` of `a`'s dtype; batch dimensions broadcast.
    ///   - relativeTolerance: singular values below this fraction of the largest one count as zero when
    ///     deciding the rank; `nil` means machine epsilon × max(m, n), NumPy's default.
    /// - Returns: x, shaped `[..., n]` when `b` is a vector and `[..., n, k]` otherwise.
    /// - Throws: ``LinearAlgebraError/noConvergence(operation:batchIndex:unconverged:)`` when the SVD does not
    ///   converge, ``LinearAlgebraError/nonFiniteInput(operation:operand:batchIndex:)`` for NaN or infinity.
    public static func leastSquares(_ a: Tensor, _ b: Tensor, relativeTolerance: Double? = nil) throws -> Tensor {
        let type = elementType(operation: "leastSquares", ["a": a, "b": b])
        return try leastSquares(a, b, relativeTolerance: relativeTolerance, as: type)
    }

    // MARK: - Implementations

    static func solve<T: LAPACKScalar>(_ a: Tensor, _ b: Tensor, as _: T.Type) throws -> Tensor {
        let operation = "solve"
        let order = try squareOrder(of: a, operation: operation)
        let system = system(a, b, operation: operation)
        let columns = system.rightHandSideCount
        guard system.batchCount > 0, order > 0, columns > 0 else {
            return Tensor(zeroedShape: system.solutionShape(rows: order), dtype: T.dtype)
        }
        let matrices = system.matrices.contiguous()
        let rightHandSides = system.rightHandSides.contiguous()
        let solution = Tensor(uninitializedShape: system.batchShape + [order, columns], dtype: T.dtype)
        let matrix = LAPACKBuffer<T>(count: order * order)
        let columnsBuffer = LAPACKBuffer<T>(count: order * columns)
        let pivots = LAPACKBuffer<LAPACK.Integer>(count: order)
        defer {
            matrix.deallocate()
            columnsBuffer.deallocate()
            pivots.deallocate()
        }
        try withExtendedLifetime((matrices, rightHandSides, solution)) {
            for batch in 0..<system.batchCount {
                let index = batchIndex(batch, of: system.batchShape)
                packColumnMajor(
                    matrices.basePointer(as: T.self) + batch * order * order, rows: order, columns: order,
                    into: matrix.base, leading: order)
                try requireFinite(
                    matrix.base, count: order * order, operation: operation, operand: "a", batchIndex: index)
                packColumnMajor(
                    rightHandSides.basePointer(as: T.self) + batch * order * columns, rows: order, columns: columns,
                    into: columnsBuffer.base, leading: order)
                try requireFinite(
                    columnsBuffer.base, count: order * columns, operation: operation, operand: "b", batchIndex: index)
                let info = LAPACK.gesv(
                    n: order, rightHandSides: columns, a: matrix.base, lda: order, pivots: pivots.base,
                    b: columnsBuffer.base, ldb: order)
                if info > 0 {
                    throw LinearAlgebraError.singularMatrix(operation: operation, batchIndex: index, pivot: info - 1)
                }
                unpackColumnMajor(
                    columnsBuffer.base, rows: order, columns: columns, leading: order,
                    into: solution.basePointer(as: T.self) + batch * order * columns)
            }
        }
        return solution.reshaped(system.solutionShape(rows: order))
    }

    static func choleskySolve<T: LAPACKScalar>(factor: Tensor, _ b: Tensor, as _: T.Type) throws -> Tensor {
        let operation = "choleskySolve"
        let order = try squareOrder(of: factor, operation: operation)
        let system = system(factor, b, operation: operation)
        let columns = system.rightHandSideCount
        guard system.batchCount > 0, order > 0, columns > 0 else {
            return Tensor(zeroedShape: system.solutionShape(rows: order), dtype: T.dtype)
        }
        let factors = system.matrices.contiguous()
        let rightHandSides = system.rightHandSides.contiguous()
        let solution = Tensor(uninitializedShape: system.batchShape + [order, columns], dtype: T.dtype)
        let matrix = LAPACKBuffer<T>(count: order * order)
        let columnsBuffer = LAPACKBuffer<T>(count: order * columns)
        defer {
            matrix.deallocate()
            columnsBuffer.deallocate()
        }
        try withExtendedLifetime((factors, rightHandSides, solution)) {
            for batch in 0..<system.batchCount {
                let index = batchIndex(batch, of: system.batchShape)
                packColumnMajor(
                    factors.basePointer(as: T.self) + batch * order * order, rows: order, columns: order,
                    into: matrix.base, leading: order)
                // Only the lower triangle is LAPACK's business; NaN in the (ignored) upper one is not an error.
                for column in 0..<order {
                    try requireFinite(
                        matrix.base + column * order + column, count: order - column, operation: operation,
                        operand: "factor", batchIndex: index)
                    if matrix.base[column * order + column] == 0 {
                        throw LinearAlgebraError.singularMatrix(operation: operation, batchIndex: index, pivot: column)
                    }
                }
                packColumnMajor(
                    rightHandSides.basePointer(as: T.self) + batch * order * columns, rows: order, columns: columns,
                    into: columnsBuffer.base, leading: order)
                try requireFinite(
                    columnsBuffer.base, count: order * columns, operation: operation, operand: "b", batchIndex: index)
                _ = LAPACK.potrs(
                    n: order, rightHandSides: columns, factor: matrix.base, lda: order, b: columnsBuffer.base,
                    ldb: order)
                unpackColumnMajor(
                    columnsBuffer.base, rows: order, columns: columns, leading: order,
                    into: solution.basePointer(as: T.self) + batch * order * columns)
            }
        }
        return solution.reshaped(system.solutionShape(rows: order))
    }

    static func leastSquares<T: LAPACKScalar>(
        _ a: Tensor, _ b: Tensor, relativeTolerance: Double?, as _: T.Type
    ) throws -> Tensor {
        let operation = "leastSquares"
        precondition(
            a.rank >= 2, "\(operation): expected a matrix or a batch of matrices [..., m, n], got shape \(a.shape)")
        precondition(
            relativeTolerance?.isFinite ?? true,
            "\(operation): relativeTolerance must be finite, got \(relativeTolerance ?? 0)")
        let system = system(a, b, operation: operation)
        let (rows, unknowns) = (a.shape[a.rank - 2], a.shape[a.rank - 1])
        let columns = system.rightHandSideCount
        // No equations or no unknowns: the minimum-norm solution is zero.
        guard system.batchCount > 0, rows > 0, unknowns > 0, columns > 0 else {
            return Tensor(zeroedShape: system.solutionShape(rows: unknowns), dtype: T.dtype)
        }
        // gelsd reads b from, and writes x to, one array with max(m, n) rows.
        let leading = max(rows, unknowns)
        let tolerance = relativeTolerance.map { T(convertingDouble: $0) } ?? T.ulpOfOne * T(leading)
        let matrices = system.matrices.contiguous()
        let rightHandSides = system.rightHandSides.contiguous()
        let solution = Tensor(uninitializedShape: system.batchShape + [unknowns, columns], dtype: T.dtype)
        let matrix = LAPACKBuffer<T>(count: rows * unknowns)
        let columnsBuffer = LAPACKBuffer<T>(count: leading * columns)
        let singularValues = LAPACKBuffer<T>(count: min(rows, unknowns))
        defer {
            matrix.deallocate()
            columnsBuffer.deallocate()
            singularValues.deallocate()
        }
        try withExtendedLifetime((matrices, rightHandSides, solution)) {
            for batch in 0..<system.batchCount {
                let index = batchIndex(batch, of: system.batchShape)
                packColumnMajor(
                    matrices.basePointer(as: T.self) + batch * rows * unknowns, rows: rows, columns: unknowns,
                    into: matrix.base, leading: rows)
                try requireFinite(
                    matrix.base, count: rows * unknowns, operation: operation, operand: "a", batchIndex: index)
                columnsBuffer.base.initialize(repeating: T.zero, count: leading * columns)
                packColumnMajor(
                    rightHandSides.basePointer(as: T.self) + batch * rows * columns, rows: rows, columns: columns,
                    into: columnsBuffer.base, leading: leading)
                try requireFinite(
                    columnsBuffer.base, count: leading * columns, operation: operation, operand: "b", batchIndex: index)
                let (info, _) = LAPACK.gelsd(
                    m: rows, n: unknowns, rightHandSides: columns, a: matrix.base, lda: rows, b: columnsBuffer.base,
                    ldb: leading, singularValues: singularValues.base, rcond: tolerance)
                if info > 0 {
                    throw LinearAlgebraError.noConvergence(operation: operation, batchIndex: index, unconverged: info)
                }
                unpackColumnMajor(
                    columnsBuffer.base, rows: unknowns, columns: columns, leading: leading,
                    into: solution.basePointer(as: T.self) + batch * unknowns * columns)
            }
        }
        return solution.reshaped(system.solutionShape(rows: unknowns))
    }
}
