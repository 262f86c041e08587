import CBLAS

/// Matrix products through BLAS, split across Forge's worker threads.
///
/// BLAS itself runs single-threaded (see ``ForgeThreads``); a product large enough to share is cut into
/// column blocks (or row blocks, when the result is taller than wide) and each worker multiplies one
/// block. Every element of C is still computed by one BLAS call over the whole inner dimension, so the
/// split does not change the arithmetic.
enum BLASGEMM {
    /// Multiply-adds per worker below which a product runs on the calling thread.
    static let grain = 1 << 18

    /// `C = A·B + beta·C` for row-major `A` (`m × k` after the optional transpose), `B` (`k × n`) and `C`.
    static func multiply<T: TensorFloatingPoint>(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        a: UnsafePointer<T>, lda: Int, b: UnsafePointer<T>, ldb: Int,
        beta: T, c: UnsafeMutablePointer<T>, ldc: Int
    ) {
        if m == 0 || n == 0 { return }
        ForgeThreads.configureBLAS()
        let work = m * n * Swift.max(k, 1)
        let splitColumns = n >= m
        let extent = splitColumns ? n : m
        // Blocks of at least 16 columns (or 4 rows) keep each BLAS call efficient.
        let unit = splitColumns ? 16 : 4
        let pieces = Swift.min(work / grain, (extent + unit - 1) / unit)
        if pieces <= 1 {
            call(transposeA, transposeB, m, n, k, a, lda, b, ldb, beta, c, ldc)
            return
        }
        let box = UncheckedSendableBox((a, b, c))
        parallelChunks(count: pieces, grain: 1) { range in
            let (a, b, c) = box.value
            for piece in range {
                let start = extent * piece / pieces
                let end = extent * (piece + 1) / pieces
                if splitColumns {
                    // Columns start..<end of B and C.
                    let blockB = transposeB ? b + start * ldb : b + start
                    call(transposeA, transposeB, m, end - start, k, a, lda, blockB, ldb, beta, c + start, ldc)
                } else {
                    // Rows start..<end of A and C.
                    let blockA = transposeA ? a + start : a + start * lda
                    call(transposeA, transposeB, end - start, n, k, blockA, lda, b, ldb, beta, c + start * ldc, ldc)
                }
            }
        }
    }

    /// One single-threaded BLAS call.
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
