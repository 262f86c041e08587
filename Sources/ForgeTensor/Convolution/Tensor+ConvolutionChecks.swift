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
