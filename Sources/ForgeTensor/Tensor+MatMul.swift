/// How BLAS should read one matrix operand without copying it.
struct BLASMatrixLayout {
    /// Whether BLAS reads the stored matrix transposed.
    let transposed: Bool
    /// The leading dimension BLAS steps rows (or columns, when transposed) by.
    let leadingDimension: Int

    /// The layout for a matrix view of `rows` × `columns` with element strides `rowStride`/`columnStride`,
    /// or nil when the view has no BLAS-compatible layout and must be copied.
    init?(rows: Int, columns: Int, rowStride: Int, columnStride: Int) {
        // A dimension of size 1 places no constraint on its stride.
        if columns == 1 || columnStride == 1 {
            let leading = rows == 1 ? max(columns, 1) : rowStride
            if leading >= max(columns, 1) {
                transposed = false
                leadingDimension = leading
                return
            }
        }
        if rows == 1 || rowStride == 1 {
            let leading = columns == 1 ? max(rows, 1) : columnStride
            if leading >= max(rows, 1) {
                transposed = true
                leadingDimension = leading
                return
            }
        }
        return nil
    }
}

extension Tensor {
    /// The matrix product, following NumPy's `matmul` rules.
    ///
    /// - 1-D × 1-D is the dot product (a 0-d tensor);
    /// - 2-D × 2-D is the matrix product `[m, k] × [k, n] → [m, n]`;
    /// - a 1-D operand is treated as a row (left) or column (right) vector and that dimension is dropped;
    /// - higher ranks are stacks of matrices whose leading (batch) dimensions broadcast.
    ///
    /// `float32` and `float64` run on BLAS (`sgemm`/`dgemm`); transposed views are passed to BLAS as
    /// transpose flags, not copied. Integer tensors use a plain loop.
    ///
    /// ```swift
    /// let logits = features.matmul(weight.transposed())   // [batch, in] × [in, out]ᵀ, no copy
    /// ```
    public func matmul(_ other: Tensor) -> Tensor {
        precondition(rank >= 1 && other.rank >= 1, "matmul: \(shape) × \(other.shape): operands must have rank ≥ 1")
        let left = rank == 1 ? unsqueezed(axis: 0) : self
        let right = other.rank == 1 ? other.unsqueezed(axis: -1) : other
        let m = left.shape[left.rank - 2]
        let k = left.shape[left.rank - 1]
        let n = right.shape[right.rank - 1]
        precondition(
            right.shape[right.rank - 2] == k,
            "matmul: \(shape) × \(other.shape): inner dimensions \(k) and \(right.shape[right.rank - 2]) differ")
        let leftBatch = Array(left.shape.dropLast(2))
        let rightBatch = Array(right.shape.dropLast(2))
        guard let batch = Shape.broadcast(leftBatch, rightBatch) else {
            preconditionFailure(
                "matmul: \(shape) × \(other.shape): batch dimensions \(leftBatch) and \(rightBatch) cannot be broadcast")
        }
        var common = DType.promoted(dtype, other.dtype)
        if common == .bool { common = .int64 }
        var result = Tensor.batchedMatrixProduct(
            left.converted(to: common), right.converted(to: common), batch: batch, m: m, k: k, n: n)
        if rank == 1 { result = result.squeezed(axis: -2) }
        if other.rank == 1 { result = result.squeezed(axis: -1) }
        return result
    }

    /// `C[b] = A[b] × B[b]` over the broadcast batch, every operand of the same dtype.
    private static func batchedMatrixProduct(
        _ a: Tensor, _ b: Tensor, batch: [Int], m: Int, k: Int, n: Int
    ) -> Tensor {
        var a = a
        var b = b
        // BLAS with beta = 0 never reads C, so floating-point results skip the zero fill.
        let result =
            a.dtype.isFloatingPoint && k > 0
            ? Tensor(uninitializedShape: batch + [m, n], dtype: a.dtype)
            : Tensor(zeroedShape: batch + [m, n], dtype: a.dtype)
        if result.count == 0 || k == 0 { return result }
        var layoutA = BLASMatrixLayout(
            rows: m, columns: k, rowStride: a.strides[a.rank - 2], columnStride: a.strides[a.rank - 1])
        if layoutA == nil {
            a = a.contiguous()
            layoutA = BLASMatrixLayout(rows: m, columns: k, rowStride: k, columnStride: 1)
        }
        var layoutB = BLASMatrixLayout(
            rows: k, columns: n, rowStride: b.strides[b.rank - 2], columnStride: b.strides[b.rank - 1])
        if layoutB == nil {
            b = b.contiguous()
            layoutB = BLASMatrixLayout(rows: k, columns: n, rowStride: n, columnStride: 1)
        }
        guard let layoutA, let layoutB else { preconditionFailure("matmul: contiguous operands always have a layout") }
        let batchStridesA = Shape.broadcastStrides(
            shape: Array(a.shape.dropLast(2)), strides: Array(a.strides.dropLast(2)), to: batch)
        let batchStridesB = Shape.broadcastStrides(
            shape: Array(b.shape.dropLast(2)), strides: Array(b.strides.dropLast(2)), to: batch)
        let loop = StridedLoop(shape: batch, operandStrides: [batchStridesA, batchStridesB])
        let inner = loop.innerStrides
        let matrixSize = m * n
        let (lda, ldb) = (layoutA.leadingDimension, layoutB.leadingDimension)

        /// Runs `gemm` for every matrix of the batch, with the operands' and result's pointers.
        func product<T: TensorElement>(
            _: T.Type, _ gemm: (UnsafePointer<T>, UnsafePointer<T>, UnsafeMutablePointer<T>) -> Void
        ) {
            let baseA = a.basePointer(as: T.self)
            let baseB = b.basePointer(as: T.self)
            let baseC = result.basePointer(as: T.self)
            // One BLAS call per matrix, in order; BLAS parallelizes each product itself.
            withExtendedLifetime((a, b, result)) {
                var matrix = 0
                loop.forEachRun(in: 0..<loop.count) { offsets, length in
                    for index in 0..<length {
                        gemm(
                            baseA + offsets[0] + index * inner[0], baseB + offsets[1] + index * inner[1],
                            baseC + matrix * matrixSize)
                        matrix += 1
                    }
                }
            }
        }
        let (transposeA, transposeB) = (layoutA.transposed, layoutB.transposed)
        switch a.dtype {
        case .float32:
            product(Float.self) { pa, pb, pc in
                BLASGEMM.multiply(
                    transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, a: pa, lda: lda, b: pb, ldb: ldb,
                    beta: 0, c: pc, ldc: n)
            }
        case .float64:
            product(Double.self) { pa, pb, pc in
                BLASGEMM.multiply(
                    transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, a: pa, lda: lda, b: pb, ldb: ldb,
                    beta: 0, c: pc, ldc: n)
            }
        default:
            func integer<T: TensorInteger>(_: T.Type) {
                let (sa, sb) = (layoutA, layoutB)
                product(T.self) { pa, pb, pc in
                    for row in 0..<m {
                        for inner in 0..<k {
                            let left = pa[sa.transposed ? inner * sa.leadingDimension + row : row * sa.leadingDimension + inner]
                            if left == 0 { continue }
                            for column in 0..<n {
                                let right = pb[sb.transposed ? column * sb.leadingDimension + inner : inner * sb.leadingDimension + column]
                                pc[row * n + column] = pc[row * n + column] &+ left &* right
                            }
                        }
                    }
                }
            }
            switch a.dtype {
            case .int32: integer(Int32.self)
            case .int64: integer(Int64.self)
            case .int8: integer(Int8.self)
            case .uint8: integer(UInt8.self)
            default: preconditionFailure("matmul: unsupported dtype \(a.dtype)")
            }
        }
        return result
    }

    /// The dot product of two 1-D tensors of equal length, as a 0-d tensor.
    public func dot(_ other: Tensor) -> Tensor {
        precondition(
            rank == 1 && other.rank == 1 && count == other.count,
            "dot: \(shape) · \(other.shape): needs two 1-D tensors of equal length")
        return matmul(other)
    }
}
