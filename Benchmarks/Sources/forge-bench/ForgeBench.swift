import ArgumentParser
import ForgeTensor

/// `forge-bench`: runs Forge's benchmark workloads and prints the results, as JSON with `--json` in
/// the same shape as the Python peers (`Benchmarks/peers/pytorch_peer.py`).
///
/// ```
/// forge-bench --json --threads 2 matmul elementwise
/// ```
@main
struct ForgeBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forge-bench",
        abstract: "Runs Forge's benchmark workloads (same definitions and JSON keys as the Python peers).",
        discussion: "Workloads:\n"
            + WorkloadRegistry.all.map { "  \($0.name.padding(toLength: 14)) \($0.summary)" }.joined(separator: "\n")
            + "\n\nWithout workload arguments every workload runs."
    )

    @Flag(help: "Print one JSON object (the contract Benchmarks/compare reads) instead of a readable summary.")
    var json = false

    @Option(help: "Threads for Forge's kernels and OpenBLAS (ForgeThreads.count).")
    var threads = 2

    @Flag(help: "5 timed repeats instead of 20, for a quick look.")
    var quick = false

    @Argument(help: "Workloads to run (\(WorkloadRegistry.knownNames)); all when omitted.")
    var workloads: [String] = []

    func validate() throws {
        guard threads >= 1 else {
            throw ValidationError("--threads must be at least 1, got \(threads)")
        }
        let unknown = workloads.filter { WorkloadRegistry.workload(named: $0) == nil }
        if !unknown.isEmpty {
            let names = unknown.map { "'\($0)'" }.joined(separator: ", ")
            throw ValidationError(
                "unknown workload \(names); known workloads: \(WorkloadRegistry.knownNames)")
        }
    }

    func run() throws {
        ForgeThreads.count = threads
        let settings = BenchmarkSettings(threads: threads, quick: quick)
        var report: [(key: String, value: JSONValue)] = [
            ("peer", .string("forge")),
            ("threads", .integer(threads)),
        ]
        for workload in selectedWorkloads() {
            let result = workload.run(settings: settings)
            report.append((workload.resultKey, result))
            if !json { print(ForgeBench.summaryLine(key: workload.resultKey, result: result)) }
        }
        if json { print(JSONValue.object(report).rendered()) }
    }

    /// The requested workloads in registry order without duplicates, or all of them.
    private func selectedWorkloads() -> [any Workload] {
        if workloads.isEmpty { return WorkloadRegistry.all }
        return WorkloadRegistry.all.filter { workloads.contains($0.name) }
    }

    /// One readable line per result, e.g. `matmul_gflops  128: 61.2  256: 150.3 …`.
    private static func summaryLine(key: String, result: JSONValue) -> String {
        guard case .object(let members) = result else { return "\(key)  \(result.rendered())" }
        let parts = members.map { "\($0.key): \($0.value.rendered())" }
        return key.padding(toLength: 18) + parts.joined(separator: "  ")
    }
}

extension String {
    /// The string padded with spaces to at least `length` characters.
    fileprivate func padding(toLength length: Int) -> String {
        count >= length ? self + " " : self + String(repeating: " ", count: length - count)
    }
}
