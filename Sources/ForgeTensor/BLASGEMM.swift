import CBLAS

/// Matrix products through BLAS (`sgemm`/`dgemm` by element type), which uses ``ForgeThreads/count``
/// threads of its own.
enum BLASGEMM {
    /// `C = A·B + beta·C` for row-major `A` (`m × k` after the optional transpose), `B` (`k × n`) and `C`.
    static func multiply<T: TensorFloatingPoint>(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        a: UnsafePointer<T>, lda: Int, b: UnsafePointer<T>, ldb: Int,
        beta: T, c: UnsafeMutablePointer<T>, ldc: Int
    ) {
        if m == 0 || n == 0 { return }
        ForgeThreads.configureBLAS()
        call(transposeA, transposeB, m, n, k, a, lda, b, ldb, beta, c, ldc)
    }

    /// One BLAS call.
    @inline(__always)
    private static func call<T: TensorFloatingPoint>(
        _ transposeA: Bool, _ transposeB: Bool, _ m: Int, _ n: Int, _ k: Int,
        _ a: UnsafePointer<T>, _ lda: Int, _ b: UnsafePointer<T>, _ ldb: Int,
        _ beta: T, _ c: UnsafeMutablePointer<T>, _ ldc: Int
    ) {
        let orderA = transposeA ? CblasTrans : CblasNoTrans
        let orderB = transposeB ? CblasTrans : CblasNoTrans
        // BLAS requires leading dimensions of at least 1, even for empty matrices.
        let (lda, ldb, ldc) = (Swift.max(lda, 1), Swift.max(ldb, 1), Swift.max(ldc, 1))
        switch T.dtype {
        case .float32:
            cblas_sgemm(
                CblasRowMajor, orderA, orderB, .init(m), .init(n), .init(k), 1,
                UnsafeRawPointer(a).assumingMemoryBound(to: Float.self), .init(lda),
                UnsafeRawPointer(b).assumingMemoryBound(to: Float.self), .init(ldb),
                Float(beta.doubleValue), UnsafeMutableRawPointer(c).assumingMemoryBound(to: Float.self), .init(ldc))
        case .float64:
            cblas_dgemm(
                CblasRowMajor, orderA, orderB, .init(m), .init(n), .init(k), 1,
                UnsafeRawPointer(a).assumingMemoryBound(to: Double.self), .init(lda),
                UnsafeRawPointer(b).assumingMemoryBound(to: Double.self), .init(ldb),
                beta.doubleValue, UnsafeMutableRawPointer(c).assumingMemoryBound(to: Double.self), .init(ldc))
        default:
            preconditionFailure("gemm: dtype \(T.dtype) has no BLAS routine")
        }
    }
}
