import CBLAS

/// The row-major GEMM the convolution kernels call: `C = A·B + beta·C` (alpha is 1), with `A` and `B`
/// optionally transposed, dispatched to `cblas_sgemm` or `cblas_dgemm` by element type.
///
/// `A` is `m × k` after the optional transpose, `B` is `k × n`, `C` is `m × n`; the leading dimensions
/// are the row strides of the matrices as stored.
@inline(__always)
func convolutionGEMM<T: TensorFloatingPoint>(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
    a: UnsafePointer<T>, lda: Int, b: UnsafePointer<T>, ldb: Int,
    beta: T, c: UnsafeMutablePointer<T>, ldc: Int
) {
    if m == 0 || n == 0 { return }
    ForgeThreads.configureBLAS()
    let orderA = transposeA ? CblasTrans : CblasNoTrans
    let orderB = transposeB ? CblasTrans : CblasNoTrans
    // BLAS requires leading dimensions of at least 1, even for empty matrices.
    let lda = max(lda, 1)
    let ldb = max(ldb, 1)
    let ldc = max(ldc, 1)
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
        preconditionFailure("convolutionGEMM: dtype \(T.dtype) has no BLAS routine")
    }
}

extension Tensor {
    /// Traps unless every tensor has `float32` or `float64` dtype, the same for all of them.
    static func checkConvolutionDTypes(_ tensors: [(name: String, tensor: Tensor)], operation: String) {
        guard let first = tensors.first else { return }
        precondition(
            first.tensor.dtype.isFloatingPoint,
            "\(operation): \(first.name) has dtype \(first.tensor.dtype); only float32 and float64 are supported")
        for (name, tensor) in tensors.dropFirst() {
            precondition(
                tensor.dtype == first.tensor.dtype,
                "\(operation): \(name) has dtype \(tensor.dtype) but \(first.name) has dtype \(first.tensor.dtype)")
        }
    }

    /// This tensor in a contiguous row-major layout (the view itself when it already is, at any offset),
    /// so kernels can read it through ``basePointer(as:)`` as a flat array.
    var denseLayout: Tensor { isContiguous ? self : contiguous() }
}
