import ForgeTracking
import Foundation

/// Plain-text tables of runs for the terminal.
enum RunTable {
    /// One line per run: id, name, status, start, and the latest value of up to four metrics.
    static func render(_ runs: [Run]) -> String {
        guard !runs.isEmpty else { return "no runs" }
        // Test metrics first, then validation, then the rest: the figures people compare runs by.
        func rank(_ key: String) -> Int { key.hasPrefix("test_") ? 0 : key.hasPrefix("validation_") ? 1 : 2 }
        let metricKeys = Array(
            Set(runs.flatMap { $0.latestMetrics.keys }).sorted { (rank($0), $0) < (rank($1), $1) }.prefix(4))
        let header = ["run", "name", "status", "started"] + metricKeys
        let formatter = ISO8601DateFormatter()
        let rows = runs.map { run in
            [String(run.id.prefix(12)), run.info.name, run.info.status.rawValue, formatter.string(from: run.info.startTime)]
                + metricKeys.map { key in run.latestMetrics[key].map { format($0.value) } ?? "-" }
        }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            zip(cells, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
        }
        return ([line(header)] + rows.map(line)).joined(separator: "\n")
    }

    /// Four significant decimals, or NaN.
    static func format(_ value: Double) -> String {
        value.isNaN ? "NaN" : String(format: "%.4f", value)
    }
}
