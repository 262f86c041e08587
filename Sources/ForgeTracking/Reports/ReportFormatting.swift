import ForgeCharts
import Foundation

/// Formatting and chart helpers shared by ``RunReport`` and ``ComparisonReport``.
enum ReportFormatting {
    /// The most points a metric curve draws; longer histories are decimated (min/max per bucket).
    static let maximumCurvePoints = 2_000

    /// A smaller chart size so two charts sit side by side on a report page.
    static let chartSize = ChartSize(width: 560, height: 340)

    /// `2026-11-24T08:30:00Z`, independent of locale and time zone.
    static func date(_ date: Date?) -> String {
        guard let date else { return "—" }
        return date.formatted(.iso8601)
    }

    /// `1 h 02 min 05 s`, `3 min 12 s`, `850 ms`.
    static func duration(from start: Date, to end: Date?) -> String {
        guard let end else { return "—" }
        let seconds = end.timeIntervalSince(start)
        guard seconds.isFinite, seconds >= 0 else { return "—" }
        if seconds < 1 { return "\(Int((seconds * 1000).rounded())) ms" }
        let total = Int(seconds.rounded())
        let hours = total / 3600
        let minutes = (total % 3600) / 60
        let rest = total % 60
        if hours > 0 { return "\(hours) h " + twoDigits(minutes) + " min " + twoDigits(rest) + " s" }
        if minutes > 0 { return "\(minutes) min " + twoDigits(rest) + " s" }
        return "\(rest) s"
    }

    /// `532 B`, `1.5 KiB`, `12.3 MiB`.
    static func byteCount(_ bytes: Int) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(bytes) B" : ChartNumberFormat.fixed(value, fractionDigits: 1) + " " + units[unit]
    }

    /// A metric value for a table.
    static func value(_ value: Double) -> String {
        ChartNumberFormat.string(value, significantDigits: 6)
    }

    /// Which way a metric improves, guessed from its name: losses and errors go down, the rest up.
    static func goal(forMetric key: String) -> MetricGoal {
        let lowered = key.lowercased()
        let decreasing = [
            "loss", "error", "err", "mse", "mae", "rmse", "perplexity", "wer", "cer", "time", "latency", "seconds",
            "duration", "ece", "calibration",
        ]
        let words = lowered.split(whereSeparator: { !$0.isLetter })
        return words.contains { decreasing.contains(String($0)) } ? .minimize : .maximize
    }

    /// The y axis for a metric: logarithmic when every value is positive and they span three decades or more.
    static func valueAxis(title: String, values: [Double]) -> ChartAxis {
        let finite = values.filter(\.isFinite)
        if let low = finite.min(), let high = finite.max(), low > 0, high / low >= 1000 {
            return ChartAxis(title, scale: .logarithmic)
        }
        return ChartAxis(title)
    }

    /// A metric history as a chart series over steps, decimated when long.
    static func series(name: String, history: [Metric]) -> LineSeries {
        LineSeries(name: name, x: history.map { Double($0.step) }, y: history.map(\.value))
            .decimated(maximumPoints: maximumCurvePoints)
    }

    /// The first `count` characters of a digest, for tables.
    static func shortDigest(_ digest: String, count: Int = 12) -> String {
        digest.count > count ? String(digest.prefix(count)) + "…" : digest
    }

    private static func twoDigits(_ value: Int) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }
}
