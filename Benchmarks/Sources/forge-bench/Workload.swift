/// How a run was asked for: the same settings go to every workload and, through `Benchmarks/compare`,
/// to the Python peer.
struct BenchmarkSettings: Sendable {
    /// The thread count given to ``ForgeThreads`` (Forge's kernels and OpenBLAS).
    let threads: Int
    /// Fewer repeats, for a quick look; the peers' `--quick` uses the same counts.
    let quick: Bool

    /// Warm-up and repeat counts shared with the peers: at least 3 warm-up runs and 0.2 s of warm-up
    /// (0.05 s with `--quick`), then 20 timed repeats (5 with `--quick`).
    var clock: BenchmarkClock {
        BenchmarkClock(warmupRuns: 3, warmupSeconds: quick ? 0.05 : 0.2, repeats: quick ? 5 : 20)
    }

    /// Five times the repeats, for sub-millisecond figures (the peers use `reps * 5` for those too).
    var longClock: BenchmarkClock {
        BenchmarkClock(warmupRuns: 3, warmupSeconds: quick ? 0.05 : 0.2, repeats: quick ? 25 : 100)
    }
}

/// One benchmark workload. Each lives in its own file and is listed once in ``WorkloadRegistry``.
///
/// A workload must measure exactly what the peer function of the same name in
/// `Benchmarks/peers/pytorch_peer.py` measures, and report it under the same ``resultKey`` with the
/// same sub-keys where the two sides do the same thing, so `Benchmarks/compare` can divide them.
protocol Workload: Sendable {
    /// The name on the command line, e.g. `matmul`.
    var name: String { get }
    /// The key of the result in the JSON report, e.g. `matmul_gflops`. The suffix says the unit and
    /// so the better direction: `_gflops`, `_gbps` (higher is better), `_ms` (lower is better).
    var resultKey: String { get }
    /// One line for `forge-bench --help`.
    var summary: String { get }
    /// Runs the workload and returns its result (usually an object keyed by size or variant).
    func run(settings: BenchmarkSettings) -> JSONValue
}
