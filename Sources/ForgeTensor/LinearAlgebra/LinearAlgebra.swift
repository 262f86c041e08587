/// Dense linear algebra on float32 and float64 matrices, computed by LAPACK (OpenBLAS/LAPACKE on Linux,
/// Accelerate on Apple platforms) — Forge's `numpy.linalg`.
///
/// Every routine takes a single matrix `[n, n]` or a batch of matrices `[..., n, n]` (the batch dimensions
/// of two operands broadcast), of any layout: views and transposes are copied into LAPACK's column-major
/// order internally. Results are new contiguous tensors of the operands' dtype.
///
/// ```swift
/// let a = Tensor(rows: [[4, 1], [1, 3]] as [[Double]])
/// let x = try LinearAlgebra.solve(a, Tensor([1, 2] as [Double]))   // [1/11, 7/11]
/// let l = try LinearAlgebra.cholesky(a)                             // a = l · lᵀ, l lower triangular
/// let (values, vectors) = try LinearAlgebra.symmetricEigen(a)       // ascending, vectors in columns
/// ```
///
/// Matrices that come from data can be singular, lose positive definiteness or contain NaN, so those
/// conditions throw ``LinearAlgebraError``. Operands whose shapes or dtypes disagree, integer operands and
/// tensors of rank < 2 where a matrix is expected are programmer errors and trap with a message.
///
/// NOTE: like NumPy, singularity is detected only when a pivot is *exactly* zero. A matrix that is singular
/// in exact arithmetic but not after rounding (`[[0.1, 0.2, 0.3], [0.4, 0.5, 0.6], [0.7, 0.8, 0.9]]` in
/// float64) yields huge, meaningless values (an inverse of order 1e15) instead of an error; use
/// ``leastSquares(_:_:relativeTolerance:)`` for systems that may be rank-deficient.
public enum LinearAlgebra {}

// MARK: - Operand checks and layout conversion shared by the routines

extension LinearAlgebra {
    /// The LAPACK element type of the operands, which must share one floating-point dtype.
    static func elementType(
        operation: String, _ operands: KeyValuePairs<String, Tensor>
    ) -> any LAPACKScalar.Type {
        let dtype = operands[0].value.dtype
        for (name, tensor) in operands where tensor.dtype != dtype {
            let (firstName, first) = operands[0]
            preconditionFailure(
                "\(operation): \(firstName) \(first.shape) is \(first.dtype) but \(name) \(tensor.shape) is "
                    + "\(tensor.dtype); convert both to one floating-point dtype")
        }
        switch dtype {
        case .float32: return Float.self
        case .float64: return Double.self
        default:
            preconditionFailure(
                "\(operation): dtype \(dtype) is not supported; convert to float32 or float64 with converted(to:)")
        }
    }

    /// The order n of the square matrices in `a`, whose shape must be `[..., n, n]`.
    static func squareOrder(of a: Tensor, operation: String) throws -> Int {
        precondition(
            a.rank >= 2, "\(operation): expected a matrix or a batch of matrices [..., n, n], got shape \(a.shape)")
        guard a.shape[a.rank - 1] == a.shape[a.rank - 2] else {
            throw LinearAlgebraError.notSquare(operation: operation, shape: a.shape)
        }
        return a.shape[a.rank - 1]
    }

    /// The batch index to report in an error about matrix `index`: nil when the input was a single matrix.
    static func batchIndex(_ index: Int, of batchShape: [Int]) -> Int? {
        batchShape.isEmpty ? nil : index
    }

    /// The two operands of `a · x = b` with their batch dimensions broadcast.
    struct System {
        /// `a` expanded to `batchShape + [rows, columns]`.
        var matrices: Tensor
        /// `b` as matrices, expanded to `batchShape + [rows, rightHandSides]`.
        var rightHandSides: Tensor
        /// The broadcast batch dimensions.
        var batchShape: [Int]
        /// Whether `b` was a vector `[rows]`, so the solution is `batchShape + [columns]`.
        var isVector: Bool
        /// The number of matrices in the batch.
        var batchCount: Int { Shape.elementCount(batchShape) }
        /// The number of columns of `b`.
        var rightHandSideCount: Int { rightHandSides.shape[rightHandSides.rank - 1] }

        /// The shape of the solution x, whose matrices have `rows` rows.
        func solutionShape(rows: Int) -> [Int] {
            isVector ? batchShape + [rows] : batchShape + [rows, rightHandSideCount]
        }
    }

    /// Pairs `a` `[..., m, n]` with `b`, which is a vector `[m]` (NumPy 2 rule: only a 1-D `b` is a vector)
    /// or matrices `[..., m, k]`, broadcasting their batch dimensions; traps when the row counts disagree.
    static func system(_ a: Tensor, _ b: Tensor, operation: String) -> System {
        precondition(b.rank >= 1, "\(operation): b must be a vector [m] or matrices [..., m, k], got a scalar")
        let rows = a.shape[a.rank - 2]
        let isVector = b.rank == 1
        let bMatrices = isVector ? b.unsqueezed(axis: 1) : b
        precondition(
            bMatrices.shape[bMatrices.rank - 2] == rows,
            "\(operation): a \(a.shape) has \(rows) rows but b \(b.shape) has \(bMatrices.shape[bMatrices.rank - 2])")
        let aBatch = Array(a.shape.dropLast(2))
        let bBatch = Array(bMatrices.shape.dropLast(2))
        guard let batchShape = Shape.broadcast(aBatch, bBatch) else {
            preconditionFailure(
                "\(operation): the batch dimensions of a \(a.shape) and b \(b.shape) cannot be broadcast together")
        }
        return System(
            matrices: a.expanded(to: batchShape + a.shape.suffix(2)),
            rightHandSides: bMatrices.expanded(to: batchShape + bMatrices.shape.suffix(2)),
            batchShape: batchShape, isVector: isVector)
    }

    /// Calls `body` with each square matrix of `a` (`[..., order, order]`) copied column-major into one scratch
    /// array that `body` may overwrite, after checking it for NaN and infinity.
    ///
    /// - Parameters:
    ///   - readsLowerTriangleOnly: check only the lower triangle and the diagonal, for routines that ignore
    ///     the upper triangle (Cholesky, symmetric eigenvalues).
    ///   - body: receives the batch position, the index to report in errors, and the column-major matrix.
    static func forEachMatrix<T: LAPACKScalar>(
        in a: Tensor, order: Int, operation: String, readsLowerTriangleOnly: Bool = false, as _: T.Type,
        _ body: (_ batch: Int, _ batchIndex: Int?, _ matrix: UnsafeMutablePointer<T>) throws -> Void
    ) throws {
        let batchShape = Array(a.shape.dropLast(2))
        let batchCount = Shape.elementCount(batchShape)
        guard batchCount > 0, order > 0 else { return }
        let source = a.contiguous()
        let matrix = LAPACKBuffer<T>(count: order * order)
        defer { matrix.deallocate() }
        try withExtendedLifetime(source) {
            for batch in 0..<batchCount {
                let index = Self.batchIndex(batch, of: batchShape)
                packColumnMajor(
                    source.basePointer(as: T.self) + batch * order * order, rows: order, columns: order,
                    into: matrix.base, leading: order)
                if readsLowerTriangleOnly {
                    for column in 0..<order {
                        try requireFinite(
                            matrix.base + column * order + column, count: order - column, operation: operation,
                            operand: "a", batchIndex: index)
                    }
                } else {
                    try requireFinite(
                        matrix.base, count: order * order, operation: operation, operand: "a", batchIndex: index)
                }
                try body(batch, index, matrix.base)
            }
        }
    }

    /// Copies the row-major `rows × columns` matrix at `source` into `destination` in column-major order
    /// with leading dimension `leading` (≥ rows).
    @inline(__always)
    static func packColumnMajor<T>(
        _ source: UnsafePointer<T>, rows: Int, columns: Int, into destination: UnsafeMutablePointer<T>, leading: Int
    ) {
        for column in 0..<columns {
            let target = destination + column * leading
            for row in 0..<rows { target[row] = source[row * columns + column] }
        }
    }

    /// Copies the column-major `rows × columns` matrix at `source` (leading dimension `leading`) into
    /// `destination` in row-major order.
    @inline(__always)
    static func unpackColumnMajor<T>(
        _ source: UnsafePointer<T>, rows: Int, columns: Int, leading: Int, into destination: UnsafeMutablePointer<T>
    ) {
        for row in 0..<rows {
            let target = destination + row * columns
            for column in 0..<columns { target[column] = source[column * leading + row] }
        }
    }

    /// Throws ``LinearAlgebraError/nonFiniteInput(operation:operand:batchIndex:)`` unless the `count`
    /// elements at `pointer` are all finite.
    @inline(__always)
    static func requireFinite<T: BinaryFloatingPoint>(
        _ pointer: UnsafePointer<T>, count: Int, operation: String, operand: String, batchIndex: Int?
    ) throws {
        for index in 0..<count where !pointer[index].isFinite {
            throw LinearAlgebraError.nonFiniteInput(operation: operation, operand: operand, batchIndex: batchIndex)
        }
    }
}

/// A scratch array for LAPACK, freed by `deallocate()` (callers `defer` it).
struct LAPACKBuffer<Element> {
    /// The first element.
    let base: UnsafeMutablePointer<Element>

    /// Allocates room for `count` elements (at least one, so LAPACK never sees a null pointer).
    init(count: Int) {
        base = UnsafeMutablePointer<Element>.allocate(capacity: max(count, 1))
    }

    /// Frees the array.
    func deallocate() { base.deallocate() }
}
