/// Times a piece of work the way the Python peers do (`timed` in `peers/pytorch_peer.py`): untimed
/// warm-up runs, then the median of timed repeats.
///
/// Warm-up lasts at least ``warmupRuns`` runs *and* at least ``warmupSeconds``: a freshly started
/// process has its BLAS worker threads on the parent's core until the scheduler spreads them, which
/// takes milliseconds — three runs of a 128 × 128 product are over long before that, and OpenBLAS then
/// measures at one core's speed in about half of the processes. The median (not the mean or the
/// minimum) matches `statistics.median` in the peers and shrugs off the odd slow repeat when another
/// process takes the core. Time comes from `ContinuousClock`, a monotonic clock (`clock_gettime`
/// underneath on Linux), so wall-clock adjustments never show up.
struct BenchmarkClock: Sendable {
    /// The minimum number of untimed runs before measuring.
    let warmupRuns: Int
    /// The minimum time spent in untimed runs: they fault in pages, spread BLAS and worker threads
    /// over the cores, warm caches.
    let warmupSeconds: Double
    /// Timed runs; the result is their median.
    let repeats: Int

    init(warmupRuns: Int, warmupSeconds: Double, repeats: Int) {
        precondition(
            warmupRuns >= 0 && warmupSeconds >= 0 && repeats >= 1,
            "BenchmarkClock: \(warmupRuns) warm-up runs, \(warmupSeconds) s warm-up, \(repeats) repeats")
        self.warmupRuns = warmupRuns
        self.warmupSeconds = warmupSeconds
        self.repeats = repeats
    }

    /// The median duration of `body` in seconds, after the warm-up.
    func medianSeconds(_ body: () -> Void) -> Double {
        let clock = ContinuousClock()
        let warmupStart = clock.now
        var warmups = 0
        while warmups < warmupRuns || BenchmarkClock.seconds(clock.now - warmupStart) < warmupSeconds {
            body()
            warmups += 1
        }
        var samples: [Double] = []
        samples.reserveCapacity(repeats)
        for _ in 0..<repeats {
            let start = clock.now
            body()
            samples.append(BenchmarkClock.seconds(clock.now - start))
        }
        return BenchmarkClock.median(samples)
    }

    /// `duration` in seconds.
    static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) * 1e-18
    }

    /// The median of `samples`, the mean of the middle two for an even count (as `statistics.median`).
    static func median(_ samples: [Double]) -> Double {
        precondition(!samples.isEmpty, "BenchmarkClock.median: no samples")
        let sorted = samples.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}

/// Keeps the optimizer from discarding a result that the benchmark computes only to time it.
@inline(never)
@_optimize(none)
func blackHole<Value>(_ value: Value) {
    _ = value
}
