/// Why a ``LinearAlgebra`` routine could not produce a result for the matrices it was given.
///
/// These conditions depend on the values in the matrices — a singular system, a covariance matrix that
/// lost positive definiteness, a NaN that came in with the data — so they are thrown rather than trapped.
/// Operands whose shapes or dtypes disagree are programmer errors and trap with a message instead.
///
/// `batchIndex` says which matrix of a batch `[..., n, n]` failed, counting the batch dimensions in
/// row-major order; it is `nil` when the input was a single matrix.
///
/// ```swift
/// do {
///     let x = try LinearAlgebra.solve(a, b)
/// } catch LinearAlgebraError.singularMatrix(_, let batchIndex, let pivot) {
///     print("matrix \(batchIndex ?? 0) is singular at pivot \(pivot)")
/// }
/// ```
public enum LinearAlgebraError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The matrix is singular: diagonal element `pivot` (zero-based) of its triangular factor is exactly
    /// zero, so the system has no unique solution and the matrix has no inverse.
    case singularMatrix(operation: String, batchIndex: Int?, pivot: Int)
    /// The matrix is not positive definite: its leading minor of order `minorOrder` (1-based, the
    /// top-left `minorOrder × minorOrder` block) is not positive definite, so Cholesky factorization fails.
    case notPositiveDefinite(operation: String, batchIndex: Int?, minorOrder: Int)
    /// The operation needs square matrices `[..., n, n]` but got `shape`.
    case notSquare(operation: String, shape: [Int])
    /// An operand contains NaN or infinity, for which LAPACK's results are meaningless.
    case nonFiniteInput(operation: String, operand: String, batchIndex: Int?)
    /// The iterative algorithm (eigenvalues, singular values) did not converge; `unconverged` is the
    /// number of values that failed to converge, as LAPACK reports it.
    case noConvergence(operation: String, batchIndex: Int?, unconverged: Int)

    /// A stable machine-readable code for the kind of failure, such as `"singular_matrix"`.
    public var code: String {
        switch self {
        case .singularMatrix: "singular_matrix"
        case .notPositiveDefinite: "not_positive_definite"
        case .notSquare: "not_square"
        case .nonFiniteInput: "non_finite_input"
        case .noConvergence: "no_convergence"
        }
    }

    /// The operation that failed, such as `"solve"`.
    public var operation: String {
        switch self {
        case .singularMatrix(let operation, _, _), .notPositiveDefinite(let operation, _, _),
            .notSquare(let operation, _), .nonFiniteInput(let operation, _, _), .noConvergence(let operation, _, _):
            operation
        }
    }

    /// A human-readable explanation naming the operation and, for batches, the matrix.
    public var message: String {
        switch self {
        case .singularMatrix(let operation, let batchIndex, let pivot):
            "\(operation): \(Self.subject(batchIndex)) is singular "
                + "(pivot \(pivot) of its factorization is exactly zero)"
        case .notPositiveDefinite(let operation, let batchIndex, let minorOrder):
            "\(operation): \(Self.subject(batchIndex)) is not positive definite "
                + "(its leading minor of order \(minorOrder) is not)"
        case .notSquare(let operation, let shape):
            "\(operation): expected square matrices [..., n, n], got shape \(shape)"
        case .nonFiniteInput(let operation, let operand, let batchIndex):
            "\(operation): \(operand)\(batchIndex.map { " (matrix \($0) of the batch)" } ?? "") "
                + "contains NaN or infinity"
        case .noConvergence(let operation, let batchIndex, let unconverged):
            "\(operation): the algorithm did not converge for \(Self.subject(batchIndex)) "
                + "(\(unconverged) values unconverged)"
        }
    }

    /// The code and the message, as `"singular_matrix: solve: the matrix is singular (…)"`.
    public var description: String { "\(code): \(message)" }

    private static func subject(_ batchIndex: Int?) -> String {
        batchIndex.map { "matrix \($0) of the batch" } ?? "the matrix"
    }
}
