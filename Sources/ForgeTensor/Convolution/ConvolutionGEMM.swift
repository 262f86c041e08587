/// The row-major GEMM the convolution kernels call: `C = A·B + beta·C` (alpha is 1), with `A` and `B`
/// optionally transposed (see ``BLASGEMM``).
///
/// `A` is `m × k` after the optional transpose, `B` is `k × n`, `C` is `m × n`; the leading dimensions
/// are the row strides of the matrices as stored.
@inline(__always)
func convolutionGEMM<T: TensorFloatingPoint>(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
    a: UnsafePointer<T>, lda: Int, b: UnsafePointer<T>, ldb: Int,
    beta: T, c: UnsafeMutablePointer<T>, ldc: Int
) {
    BLASGEMM.multiply(
        transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, beta: beta,
        c: c, ldc: ldc)
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
