import ForgeTensor

/// `matmul`: float32 square `C = A × B` for n = 128, 256, 512, 1024, in GFLOP/s (2n³ flops per product).
///
/// The operands are standard-normal values, like `torch.randn` in the peer. Each timed call is one
/// `a.matmul(b)`, which allocates the result and calls `cblas_sgemm` — the same work as `A @ B`.
struct MatmulWorkload: Workload {
    /// The matrix sizes, as in the peers.
    static let sizes = [128, 256, 512, 1024]

    let name = "matmul"
    let resultKey = "matmul_gflops"
    let summary = "float32 square matmul, n = 128, 256, 512, 1024, GFLOP/s"

    func run(settings: BenchmarkSettings) -> JSONValue {
        var generator = RandomGenerator(seed: 0)
        var results: [(key: String, value: JSONValue)] = []
        for size in MatmulWorkload.sizes {
            let left = Tensor.normal(shape: [size, size], generator: &generator)
            let right = Tensor.normal(shape: [size, size], generator: &generator)
            let seconds = settings.clock.medianSeconds { blackHole(left.matmul(right)) }
            let flops = 2 * Double(size) * Double(size) * Double(size)
            results.append((String(size), .rounded(flops / seconds / 1e9, places: 2)))
        }
        return .object(results)
    }
}
