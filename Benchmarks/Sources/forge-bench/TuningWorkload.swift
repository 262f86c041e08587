import Dispatch
import ForgeTuning
import Foundation

/// `tuning`: ForgeTuning's samplers on standard test functions, in the JSON shape of
/// `peers/optuna_peer.py` (and of `shared/reference/optuna_reference.py`).
///
/// - `results` → `"<function>/<sampler>"` → `optimum`, `median_best_at_25/50/100`: the median over 5 seeds
///   (0…4; 3 with `--quick`) of the best value after 25, 50 and 100 trials, minimizing Branin (2-D, x₁ in
///   [−5, 10], x₂ in [0, 15]) and Hartmann-6 (6-D unit cube), with TPE (defaults), random search and the
///   GP sampler, each trial a `study.ask()`, `suggestFloat` per parameter, `study.tell`.
/// - `tpe_ms_per_trial_at_100/1000`: wall time of the whole ask/suggest/tell loop on Branin with TPE (seed 0)
///   and in-memory storage, divided by the trial count — what the peer times for Optuna.
struct TuningWorkload: Workload {
    let name = "tuning"
    let resultKey = "tuning"
    let summary = "TPE/random/GP median best on Branin and Hartmann-6 (5 seeds) and TPE ms per trial"

    func run(settings: BenchmarkSettings) -> JSONValue {
        // FORGE_TUNING_SEEDS=N runs N seeds instead (the peer's --seeds N), for a less noisy look.
        let seeds = ProcessInfo.processInfo.environment["FORGE_TUNING_SEEDS"].flatMap { Int($0) } ?? (settings.quick ? 3 : 5)
        var results: [(key: String, value: JSONValue)] = []
        // FORGE_TUNING_SAMPLERS=tpe,random limits the samplers (for a quick look; the peer runs all three).
        let selected = ProcessInfo.processInfo.environment["FORGE_TUNING_SAMPLERS"]?.split(separator: ",").map(String.init)
        for function in TestFunction.all {
            for sampler in ["tpe", "random", "gp"] where selected?.contains(sampler) ?? true {
                let traces = (0..<seeds).map { seed in
                    blockingRun { try await Self.trace(function, sampler: sampler, seed: UInt64(seed), trials: 100) }
                }
                if ProcessInfo.processInfo.environment["FORGE_TUNING_VERBOSE"] != nil {
                    for (seed, trace) in traces.enumerated() {
                        FileHandle.standardError.write(
                            Data("\(function.name)/\(sampler) seed \(seed): \(trace[24]) \(trace[49]) \(trace[99])\n".utf8))
                    }
                }
                var members: [(key: String, value: JSONValue)] = [("optimum", .number(function.optimum))]
                for budget in [25, 50, 100] {
                    let values = traces.map { $0[budget - 1] }.sorted()
                    members.append(("median_best_at_\(budget)", .rounded(values[values.count / 2], places: 5)))
                }
                results.append(("\(function.name)/\(sampler)", .object(members)))
            }
        }
        var report: [(key: String, value: JSONValue)] = [("seeds", .integer(seeds)), ("results", .object(results))]
        for count in [100, 1000] {
            let milliseconds = blockingRun { try await Self.overheadMilliseconds(trials: count) }
            report.append(("tpe_ms_per_trial_at_\(count)", .rounded(milliseconds, places: 3)))
        }
        return .object(report)
    }

    /// The running best value after each of `trials` trials.
    static func trace(_ function: TestFunction, sampler name: String, seed: UInt64, trials: Int) async throws -> [Double] {
        let sampler: any Sampler =
            switch name {
            case "tpe": TPESampler(seed: seed)
            case "gp": GPSampler(seed: seed)
            default: RandomSampler(seed: seed)
            }
        let study = try await Study.create(direction: .minimize, sampler: sampler)
        var best = Double.infinity
        var trace: [Double] = []
        for _ in 0..<trials {
            let trial = try await study.ask()
            var point: [Double] = []
            for (index, range) in function.ranges.enumerated() {
                point.append(try await trial.suggestFloat("x\(function.firstIndex + index)", range))
            }
            let value = function.evaluate(point)
            try await study.tell(trial, values: [value])
            best = min(best, value)
            trace.append(best)
        }
        return trace
    }

    /// Milliseconds per trial of the TPE ask/suggest/tell loop on Branin over `trials` trials.
    static func overheadMilliseconds(trials: Int) async throws -> Double {
        let start = ContinuousClock.now
        let study = try await Study.create(direction: .minimize, sampler: TPESampler(seed: 0))
        for _ in 0..<trials {
            let trial = try await study.ask()
            let x1 = try await trial.suggestFloat("x1", -5...10)
            let x2 = try await trial.suggestFloat("x2", 0...15)
            try await study.tell(trial, values: [TestFunction.branin.evaluate([x1, x2])])
        }
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return seconds * 1000 / Double(trials)
    }
}

/// A benchmark function to minimize, with its box and known optimum.
struct TestFunction: Sendable {
    let name: String
    let ranges: [ClosedRange<Double>]
    /// The index of the first parameter's name (`x1, x2` for Branin, `x0 … x5` for Hartmann-6, as the peer).
    let firstIndex: Int
    let optimum: Double
    let evaluate: @Sendable ([Double]) -> Double

    static let branin = TestFunction(
        name: "branin", ranges: [-5...10, 0...15], firstIndex: 1, optimum: 0.397887
    ) { x in
        let (b, c, t) = (5.1 / (4 * Double.pi * Double.pi), 5 / Double.pi, 1 / (8 * Double.pi))
        let inner = x[1] - b * x[0] * x[0] + c * x[0] - 6
        return inner * inner + 10 * (1 - t) * cos(x[0]) + 10
    }

    static let hartmann6 = TestFunction(
        name: "hartmann6", ranges: Array(repeating: 0...1, count: 6), firstIndex: 0, optimum: -3.32237
    ) { x in
        let a: [[Double]] = [
            [10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14],
        ]
        let p: [[Double]] = [
            [1312, 1696, 5569, 124, 8283, 5886], [2329, 4135, 8307, 3736, 1004, 9991],
            [2348, 1451, 3522, 2883, 3047, 6650], [4047, 8828, 8732, 5743, 1091, 381],
        ]
        let alpha: [Double] = [1.0, 1.2, 3.0, 3.2]
        var total = 0.0
        for i in 0..<4 {
            var exponent = 0.0
            for j in 0..<6 {
                let d = x[j] - p[i][j] * 1e-4
                exponent += a[i][j] * d * d
            }
            total += alpha[i] * exp(-exponent)
        }
        return -total
    }

    static let all = [branin, hartmann6]
}

