import Foundation
import Testing

@testable import ForgeTensor

// Reference values were computed with NumPy 2.4 (numpy.linalg) in float64 and pasted in; every routine is
// also checked against its defining identity (A·x = b, L·Lᵀ = A, A·A⁻¹ = I, A·v = λ·v) with a naive matmul.

/// The absolute tolerance for a dtype: float32 keeps ~7 digits, float64 ~16.
private func tolerance(_ dtype: DType) -> Double { dtype == .float32 ? 1e-4 : 1e-10 }

/// A tensor of `dtype` from rows of doubles.
private func matrix(_ rows: [[Double]], _ dtype: DType) -> Tensor {
    Tensor(rows: rows).converted(to: dtype)
}

/// A tensor of `dtype` from a vector of doubles.
private func vector(_ values: [Double], _ dtype: DType) -> Tensor {
    Tensor(values).converted(to: dtype)
}

/// The naive product of row-major matrices `[m, k] · [k, n]`, the oracle for the identities.
private func matmul(_ a: [Double], _ b: [Double], m: Int, k: Int, n: Int) -> [Double] {
    var result = [Double](repeating: 0, count: m * n)
    for row in 0..<m {
        for column in 0..<n {
            var sum = 0.0
            for inner in 0..<k { sum += a[row * k + inner] * b[inner * n + column] }
            result[row * n + column] = sum
        }
    }
    return result
}

/// The transpose of a row-major `rows × columns` matrix.
private func transpose(_ a: [Double], rows: Int, columns: Int) -> [Double] {
    var result = [Double](repeating: 0, count: rows * columns)
    for row in 0..<rows {
        for column in 0..<columns { result[column * rows + row] = a[row * columns + column] }
    }
    return result
}

/// Expects `actual` and `expected` to agree element by element within `tolerance`.
private func expectClose(
    _ actual: [Double], _ expected: [Double], tolerance: Double, sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(
        actual.count == expected.count, "\(actual.count) values, expected \(expected.count)",
        sourceLocation: sourceLocation)
    for (index, (a, e)) in zip(actual, expected).enumerated() where !(abs(a - e) <= tolerance) {
        Issue.record(
            "element \(index): \(a) differs from \(e) by more than \(tolerance)", sourceLocation: sourceLocation)
    }
}

private let floatingTypes: [DType] = [.float32, .float64]

@Suite("LinearAlgebra")
struct LinearAlgebraTests {
    // MARK: solve

    @Test("solve: a 3×3 system with a vector and a matrix right-hand side", arguments: floatingTypes)
    func solveKnownSystem(dtype: DType) throws {
        let rows: [[Double]] = [[2, 1, -1], [-3, -1, 2], [-2, 1, 2]]
        let a = matrix(rows, dtype)
        let x = try LinearAlgebra.solve(a, vector([8, -11, -3], dtype))
        #expect(x.shape == [3])
        #expect(x.dtype == dtype)
        expectClose(x.doubleScalars, [2, 3, -1], tolerance: tolerance(dtype))

        let b: [[Double]] = [[8, 1], [-11, 0], [-3, 2]]
        let solution = try LinearAlgebra.solve(a, matrix(b, dtype))
        #expect(solution.shape == [3, 2])
        expectClose(solution.doubleScalars, [2, 2, 3, 0, -1, 3], tolerance: tolerance(dtype))  // NumPy
        let product = matmul(a.doubleScalars, solution.doubleScalars, m: 3, k: 3, n: 2)
        expectClose(product, b.flatMap { $0 }, tolerance: tolerance(dtype) * 10)
    }

    @Test("solve: batches broadcast a shared vector, and transposed views are read correctly")
    func solveBatchAndViews() throws {
        let first: [[Double]] = [[2, 1, -1], [-3, -1, 2], [-2, 1, 2]]
        let second: [[Double]] = [[4, 1, 0], [1, 3, 1], [0, 1, 2]]
        let batch = Tensor(first.flatMap { $0 } + second.flatMap { $0 }, shape: [2, 3, 3])
        let b = Tensor([1, 2, 3] as [Double])
        let x = try LinearAlgebra.solve(batch, b)
        #expect(x.shape == [2, 3])
        let values = x.doubleScalars
        expectClose(matmul(first.flatMap { $0 }, Array(values[0..<3]), m: 3, k: 3, n: 1), [1, 2, 3], tolerance: 1e-10)
        expectClose(matmul(second.flatMap { $0 }, Array(values[3..<6]), m: 3, k: 3, n: 1), [1, 2, 3], tolerance: 1e-10)

        // A transposed view must be solved as Aᵀ, not as the storage order.
        let a = Tensor(rows: first)
        let viaView = try LinearAlgebra.solve(a.transposed(), b)
        let viaCopy = try LinearAlgebra.solve(
            Tensor(transpose(a.doubleScalars, rows: 3, columns: 3), shape: [3, 3]), b)
        expectClose(viaView.doubleScalars, viaCopy.doubleScalars, tolerance: 1e-12)
        expectClose(
            matmul(transpose(a.doubleScalars, rows: 3, columns: 3), viaView.doubleScalars, m: 3, k: 3, n: 1),
            [1, 2, 3], tolerance: 1e-10)
    }

    @Test("solve, determinant and leastSquares follow NumPy on broadcast batches and empty matrices")
    func broadcastAndEmptyShapes() throws {
        // One matrix against a batch of right-hand sides: a [2, 2], b [3, 2, 1] → x [3, 2, 1].
        let a = Tensor(rows: [[2, 0], [0, 4]] as [[Double]])
        let b = Tensor([2, 4, 4, 8, 6, 12] as [Double], shape: [3, 2, 1])
        let x = try LinearAlgebra.solve(a, b)
        #expect(x.shape == [3, 2, 1])
        expectClose(x.doubleScalars, [1, 1, 2, 2, 3, 3], tolerance: 1e-12)

        let empty = Tensor.zeros(shape: [0, 0], dtype: .float64)
        #expect(try LinearAlgebra.solve(empty, Tensor.zeros(shape: [0], dtype: .float64)).shape == [0])
        #expect(try LinearAlgebra.determinant(empty).doubleScalars == [1])  // NumPy: det of 0×0 is 1
        #expect(try LinearAlgebra.inverse(Tensor.zeros(shape: [4, 0, 0])).shape == [4, 0, 0])
        // No equations: the minimum-norm solution is zero.
        let noRows = try LinearAlgebra.leastSquares(
            Tensor.zeros(shape: [0, 2], dtype: .float64), Tensor.zeros(shape: [0], dtype: .float64))
        #expect(noRows.doubleScalars == [0, 0])
    }

    @Test("solve: a singular matrix throws singularMatrix naming the zero pivot", arguments: floatingTypes)
    func solveSingular(dtype: DType) {
        // LU with partial pivoting: rows swap, then U[1, 1] = 2 − 0.5 · 4 = 0 exactly.
        let singular = matrix([[1, 2], [2, 4]], dtype)
        #expect(throws: LinearAlgebraError.singularMatrix(operation: "solve", batchIndex: nil, pivot: 1)) {
            try LinearAlgebra.solve(singular, vector([1, 1], dtype))
        }
    }

    @Test("solve: the error names the failing matrix of a batch")
    func solveSingularInBatch() {
        let batch = Tensor([1, 0, 0, 1, 1, 2, 2, 4] as [Double], shape: [2, 2, 2])
        #expect(throws: LinearAlgebraError.singularMatrix(operation: "solve", batchIndex: 1, pivot: 1)) {
            try LinearAlgebra.solve(batch, Tensor([1, 1] as [Double]))
        }
    }

    @Test("non-square matrices and NaN inputs throw typed errors")
    func invalidInputs() {
        let wide = Tensor(rows: [[1, 2, 3], [4, 5, 6]] as [[Double]])
        #expect(throws: LinearAlgebraError.notSquare(operation: "inverse", shape: [2, 3])) {
            try LinearAlgebra.inverse(wide)
        }
        #expect(throws: LinearAlgebraError.notSquare(operation: "determinant", shape: [2, 3])) {
            try LinearAlgebra.determinant(wide)
        }
        let withNaN = Tensor(rows: [[1, .nan], [0, 1]] as [[Float]])
        #expect(throws: LinearAlgebraError.nonFiniteInput(operation: "solve", operand: "a", batchIndex: nil)) {
            try LinearAlgebra.solve(withNaN, Tensor([1, 1] as [Float]))
        }
        #expect(throws: LinearAlgebraError.nonFiniteInput(operation: "solve", operand: "b", batchIndex: nil)) {
            try LinearAlgebra.solve(Tensor.eye(2), Tensor([1, .infinity] as [Float]))
        }
    }

    @Test("errors carry a stable code and a message naming the operation")
    func errorDescriptions() {
        let error = LinearAlgebraError.notPositiveDefinite(operation: "cholesky", batchIndex: 2, minorOrder: 3)
        #expect(error.code == "not_positive_definite")
        #expect(error.operation == "cholesky")
        #expect(
            error.description
                == "not_positive_definite: cholesky: matrix 2 of the batch is not positive definite "
                + "(its leading minor of order 3 is not)")
    }

    // MARK: Cholesky

    @Test("cholesky: the classic 3×3 factor, lower triangular, with L·Lᵀ = A", arguments: floatingTypes)
    func choleskyKnownFactor(dtype: DType) throws {
        let rows: [[Double]] = [[4, 12, -16], [12, 37, -43], [-16, -43, 98]]
        let l = try LinearAlgebra.cholesky(matrix(rows, dtype))
        #expect(l.shape == [3, 3])
        expectClose(l.doubleScalars, [2, 0, 0, 6, 1, 0, -8, 5, 3], tolerance: tolerance(dtype))
        let values = l.doubleScalars
        #expect(values[1] == 0 && values[2] == 0 && values[5] == 0)  // exactly zero above the diagonal
        let reconstructed = matmul(values, transpose(values, rows: 3, columns: 3), m: 3, k: 3, n: 3)
        expectClose(reconstructed, rows.flatMap { $0 }, tolerance: tolerance(dtype) * 100)
    }

    @Test("cholesky: a matrix that is not positive definite throws with the failing minor", arguments: floatingTypes)
    func choleskyNotPositiveDefinite(dtype: DType) {
        // Eigenvalues 3 and −1: the 1×1 minor is fine, the 2×2 one is not.
        #expect(throws: LinearAlgebraError.notPositiveDefinite(operation: "cholesky", batchIndex: nil, minorOrder: 2)) {
            try LinearAlgebra.cholesky(matrix([[1, 2], [2, 1]], dtype))
        }
        #expect(throws: LinearAlgebraError.notPositiveDefinite(operation: "cholesky", batchIndex: nil, minorOrder: 1)) {
            try LinearAlgebra.cholesky(matrix([[-1, 0], [0, 1]], dtype))
        }
    }

    @Test("choleskySolve: solves A·x = b from the factor, matching solve", arguments: floatingTypes)
    func choleskySolveMatchesSolve(dtype: DType) throws {
        let a = matrix([[4, 12, -16], [12, 37, -43], [-16, -43, 98]], dtype)
        let b = vector([1, 2, 3], dtype)
        let l = try LinearAlgebra.cholesky(a)
        let x = try LinearAlgebra.choleskySolve(factor: l, b)
        #expect(x.shape == [3])
        let direct = try LinearAlgebra.solve(a, b)
        // Exact solution (NumPy agrees to 1e-13): [343/12, −23/3, 4/3].
        expectClose(
            direct.doubleScalars, [343.0 / 12, -23.0 / 3, 4.0 / 3],
            tolerance: tolerance(dtype) * 100)
        expectClose(x.doubleScalars, direct.doubleScalars, tolerance: tolerance(dtype) * 100)
        #expect(throws: LinearAlgebraError.singularMatrix(operation: "choleskySolve", batchIndex: nil, pivot: 1)) {
            try LinearAlgebra.choleskySolve(factor: matrix([[1, 0], [3, 0]], dtype), vector([1, 1], dtype))
        }
    }

    // MARK: inverse

    @Test("inverse: known 4×4 inverse and A·A⁻¹ = I", arguments: floatingTypes)
    func inverseKnownMatrix(dtype: DType) throws {
        let rows: [[Double]] = [[5, -2, 1, 0.5], [1, 4, -1, 2], [0, 3, 6, -1], [2, -1, 1, 7]]
        let inverse = try LinearAlgebra.inverse(matrix(rows, dtype))
        let expected: [Double] = [  // NumPy
            0.19801980198019803, 0.0957095709570957, -0.009900990099009903, -0.0429042904290429,
            -0.019801980198019802, 0.19519094766619516, 0.04384724186704384, -0.04809052333804809,
            0, -0.09523809523809523, 0.14285714285714285, 0.04761904761904761,
            -0.05940594059405941, 0.014144271570014142, -0.011315417256011314, 0.14144271570014144,
        ]
        expectClose(inverse.doubleScalars, expected, tolerance: tolerance(dtype))
        let identity = matmul(rows.flatMap { $0 }, inverse.doubleScalars, m: 4, k: 4, n: 4)
        expectClose(identity, Tensor.eye(4, dtype: .float64).doubleScalars, tolerance: tolerance(dtype) * 10)
        #expect(throws: LinearAlgebraError.singularMatrix(operation: "inverse", batchIndex: nil, pivot: 1)) {
            try LinearAlgebra.inverse(matrix([[1, 2], [2, 4]], dtype))
        }
    }

    // MARK: determinants

    @Test("determinant: known 2×2 and 3×3 values, batched, and 0 for a singular matrix", arguments: floatingTypes)
    func determinantKnownValues(dtype: DType) throws {
        let twoByTwo = try LinearAlgebra.determinant(matrix([[4, 3], [6, 3]], dtype))
        #expect(twoByTwo.shape == [])
        expectClose(twoByTwo.doubleScalars, [-6], tolerance: tolerance(dtype))
        let threeByThree = try LinearAlgebra.determinant(matrix([[6, 1, 1], [4, -2, 5], [2, 8, 7]], dtype))
        expectClose(threeByThree.doubleScalars, [-306], tolerance: tolerance(dtype) * 1000)
        let fourByFour = try LinearAlgebra.determinant(
            matrix([[5, -2, 1, 0.5], [1, 4, -1, 2], [0, 3, 6, -1], [2, -1, 1, 7]], dtype))
        expectClose(fourByFour.doubleScalars, [1060.5], tolerance: tolerance(dtype) * 10000)  // NumPy

        let batch = Tensor([4, 3, 6, 3, 1, 2, 2, 4, 0, 1, 1, 0] as [Double], shape: [3, 2, 2]).converted(to: dtype)
        let determinants = try LinearAlgebra.determinant(batch)
        #expect(determinants.shape == [3])
        expectClose(determinants.doubleScalars, [-6, 0, -1], tolerance: tolerance(dtype))
    }

    @Test("logDeterminant: sign and log|det| like numpy.linalg.slogdet", arguments: floatingTypes)
    func logDeterminantKnownValues(dtype: DType) throws {
        let (sign, logAbsolute) = try LinearAlgebra.logDeterminant(matrix([[4, 3], [6, 3]], dtype))
        expectClose(sign.doubleScalars, [-1], tolerance: 0)
        expectClose(logAbsolute.doubleScalars, [1.791759469228055], tolerance: tolerance(dtype))  // log 6

        let large = try LinearAlgebra.logDeterminant(
            matrix([[5, -2, 1, 0.5], [1, 4, -1, 2], [0, 3, 6, -1], [2, -1, 1, 7]], dtype))
        expectClose(large.sign.doubleScalars, [1], tolerance: 0)
        expectClose(large.logAbsoluteDeterminant.doubleScalars, [6.966495774004737], tolerance: tolerance(dtype))

        let singular = try LinearAlgebra.logDeterminant(matrix([[1, 2], [2, 4]], dtype))
        #expect(singular.sign.doubleScalars == [0])
        #expect(singular.logAbsoluteDeterminant.doubleScalars == [-.infinity])

        // 0.1 · I₄₀₀: the determinant underflows to 0, its logarithm does not.
        let scaled = Tensor.eye(400, dtype: dtype) * 0.1
        let tiny = try LinearAlgebra.logDeterminant(scaled)
        expectClose(tiny.sign.doubleScalars, [1], tolerance: 0)
        expectClose(tiny.logAbsoluteDeterminant.doubleScalars, [400 * log(0.1)], tolerance: tolerance(dtype) * 100)
    }

    // MARK: symmetric eigendecomposition

    @Test("symmetricEigen: ascending eigenvalues, orthonormal eigenvectors with A·v = λ·v", arguments: floatingTypes)
    func symmetricEigenKnownMatrix(dtype: DType) throws {
        let rows: [[Double]] = [[4, 1, 2], [1, 3, 0], [2, 0, 5]]
        let (values, vectors) = try LinearAlgebra.symmetricEigen(matrix(rows, dtype))
        #expect(values.shape == [3])
        #expect(vectors.shape == [3, 3])
        expectClose(
            values.doubleScalars, [1.8548973087995761, 3.4760236029181333, 6.669079088282287],
            tolerance: tolerance(dtype))  // NumPy
        let v = vectors.doubleScalars
        // Vᵀ·V = I: the columns are orthonormal.
        expectClose(
            matmul(transpose(v, rows: 3, columns: 3), v, m: 3, k: 3, n: 3),
            Tensor.eye(3, dtype: .float64).doubleScalars, tolerance: tolerance(dtype))
        // A·V = V·diag(λ), column by column.
        let av = matmul(rows.flatMap { $0 }, v, m: 3, k: 3, n: 3)
        let lambdas = values.doubleScalars
        let vLambda = (0..<9).map { v[$0] * lambdas[$0 % 3] }
        expectClose(av, vLambda, tolerance: tolerance(dtype) * 10)
        // Up to sign, the columns match NumPy's eigenvectors.
        let numpyVectors: [Double] = [
            -0.6793130619863363, -0.374361954783072, -0.6311789687764832,
            0.5932333119173852, -0.7864356987513781, -0.1720265367929077,
            0.4319814827585529, 0.4912962635115686, -0.7563200248659909,
        ]
        for column in 0..<3 {
            let dot = (0..<3).reduce(0.0) { $0 + v[$1 * 3 + column] * numpyVectors[$1 * 3 + column] }
            #expect(abs(abs(dot) - 1) < tolerance(dtype), "column \(column): |v · v_numpy| = \(abs(dot))")
        }
    }

    @Test("symmetricEigen: reads only the lower triangle, like numpy.linalg.eigh")
    func symmetricEigenLowerTriangle() throws {
        // Tridiagonal [[2, -1, 0], [-1, 2, -1], [0, -1, 2]]: eigenvalues 2 − √2, 2, 2 + √2.
        let lowerOnly = Tensor(rows: [[2, 99, 99], [-1, 2, 99], [0, -1, 2]] as [[Double]])
        let (values, _) = try LinearAlgebra.symmetricEigen(lowerOnly)
        expectClose(values.doubleScalars, [2 - 2.0.squareRoot(), 2, 2 + 2.0.squareRoot()], tolerance: 1e-12)
    }

    // MARK: least squares

    @Test("leastSquares: over-determined fit matches the normal equations and NumPy", arguments: floatingTypes)
    func leastSquaresOverDetermined(dtype: DType) throws {
        let design: [Double] = [1, 0.5, 2, -1, 3, 1.5, 4, 0, 5, 2]
        let targets: [Double] = [2.1, 3.9, 7.2, 7.8, 11.1]
        let a = Tensor(design, shape: [5, 2]).converted(to: dtype)
        let x = try LinearAlgebra.leastSquares(a, vector(targets, dtype))
        #expect(x.shape == [2])
        expectClose(x.doubleScalars, [2.031006160164271, 0.4995893223819303], tolerance: tolerance(dtype))  // NumPy

        // Normal equations (AᵀA) x = Aᵀb, solved in float64.
        let transposed = transpose(design, rows: 5, columns: 2)
        let gram = Tensor(matmul(transposed, design, m: 2, k: 5, n: 2), shape: [2, 2])
        let moment = Tensor(matmul(transposed, targets, m: 2, k: 5, n: 1))
        let normal = try LinearAlgebra.solve(gram, moment)
        expectClose(x.doubleScalars, normal.doubleScalars, tolerance: tolerance(dtype))

        // Several right-hand sides at once give the same columns.
        let twoColumns = Tensor(zip(targets, targets.map { 2 * $0 }).flatMap { [$0, $1] }, shape: [5, 2])
        let both = try LinearAlgebra.leastSquares(a, twoColumns.converted(to: dtype))
        #expect(both.shape == [2, 2])
        let fitted = both.doubleScalars
        expectClose([fitted[0], fitted[2]], normal.doubleScalars, tolerance: tolerance(dtype))
        expectClose([fitted[1], fitted[3]], normal.doubleScalars.map { 2 * $0 }, tolerance: tolerance(dtype) * 2)
    }

    @Test(
        "leastSquares: under-determined and rank-deficient systems give the minimum-norm solution",
        arguments: floatingTypes)
    func leastSquaresMinimumNorm(dtype: DType) throws {
        let under = try LinearAlgebra.leastSquares(matrix([[1, 2, 2]], dtype), vector([3], dtype))
        #expect(under.shape == [3])
        expectClose(under.doubleScalars, [1.0 / 3, 2.0 / 3, 2.0 / 3], tolerance: tolerance(dtype))  // NumPy

        // Two identical columns: any x₀ + x₁ = 1 fits; the minimum-norm one splits evenly.
        let deficient = try LinearAlgebra.leastSquares(
            matrix([[1, 1], [2, 2], [3, 3]], dtype), vector([1, 2, 3], dtype))
        expectClose(deficient.doubleScalars, [0.5, 0.5], tolerance: tolerance(dtype))
    }

    // MARK: documentation examples

    @Test("the examples in the doc comments give the values they claim")
    func documentationExamples() throws {
        let a = Tensor(rows: [[4, 1], [1, 3]] as [[Double]])
        expectClose(
            try LinearAlgebra.solve(a, Tensor([1, 2] as [Double])).doubleScalars, [1.0 / 11, 7.0 / 11],
            tolerance: 1e-12)
        let system = Tensor(rows: [[3, 1], [1, 2]] as [[Double]])
        expectClose(
            try LinearAlgebra.solve(system, Tensor([9, 8] as [Double])).doubleScalars, [2, 3], tolerance: 1e-12)
        let design = Tensor(rows: [[0, 1], [1, 1], [2, 1]] as [[Double]])
        expectClose(
            try LinearAlgebra.leastSquares(design, Tensor([1, 3, 5] as [Double])).doubleScalars, [2, 1],
            tolerance: 1e-12)
        expectClose(
            try LinearAlgebra.cholesky(Tensor(rows: [[4, 2], [2, 3]] as [[Double]])).doubleScalars,
            [2, 0, 1, 2.0.squareRoot()], tolerance: 1e-12)
        expectClose(
            try LinearAlgebra.inverse(Tensor(rows: [[4, 7], [2, 6]] as [[Double]])).doubleScalars,
            [0.6, -0.7, -0.2, 0.4], tolerance: 1e-12)
        let pair = Tensor(rows: [[2, 1], [1, 2]] as [[Double]])
        expectClose(try LinearAlgebra.symmetricEigen(pair).eigenvalues.doubleScalars, [1, 3], tolerance: 1e-12)
        let (sign, logDet) = try LinearAlgebra.logDeterminant(pair)
        expectClose(sign.doubleScalars + logDet.doubleScalars, [1, log(3)], tolerance: 1e-12)
        let determinant = try LinearAlgebra.determinant(Tensor(rows: [[4, 3], [6, 3]] as [[Double]]))
        #expect(abs(determinant.item(as: Double.self) - -6) < 1e-12)

        // LinearAlgebraError's example: pattern-match the case to read the pivot.
        var caught: (Int?, Int)?
        do {
            _ = try LinearAlgebra.solve(Tensor(rows: [[1, 2], [2, 4]] as [[Double]]), Tensor([1, 1] as [Double]))
        } catch LinearAlgebraError.singularMatrix(_, let batchIndex, let pivot) {
            caught = (batchIndex, pivot)
        }
        #expect(caught?.0 == nil && caught?.1 == 1)
    }
}
