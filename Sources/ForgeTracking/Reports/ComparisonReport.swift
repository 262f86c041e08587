public import ForgeCharts
public import Foundation

/// A self-contained HTML report comparing runs side by side: parameters with differing values highlighted,
/// metric curves overlaid, a latest/best/min/max table, and parallel coordinates from parameters to a
/// chosen metric.
///
/// ```swift
/// let report = try await ComparisonReport.load(runIDs: ids, from: store, objective: "val/accuracy")
/// try report.write(to: URL(fileURLWithPath: "comparison.html"))
/// ```
public struct ComparisonReport: Sendable, Hashable {
    /// One compared run and its metric histories.
    public struct Entry: Sendable, Hashable {
        /// The run.
        public var run: Run
        /// Every metric's history, by key.
        public var metricHistories: [String: [Metric]]

        /// Creates an entry.
        public init(run: Run, metricHistories: [String: [Metric]]) {
            self.run = run
            self.metricHistories = metricHistories
        }

        /// The run's name, or its ID when unnamed.
        var displayName: String { run.info.name.isEmpty ? run.info.id : run.info.name }
    }

    /// The runs, in column order.
    public var entries: [Entry]
    /// The metric that colours the parallel-coordinates lines; nil picks the metric most runs logged.
    public var objective: String?
    /// Which way each metric improves; metrics not listed are guessed from their names (losses and errors
    /// go down, everything else up).
    public var goals: [String: MetricGoal]

    /// Creates a report from data already loaded.
    public init(entries: [Entry], objective: String? = nil, goals: [String: MetricGoal] = [:]) {
        self.entries = entries
        self.objective = objective
        self.goals = goals
    }

    /// Loads the runs and their metric histories from a store.
    /// - Throws: The store's errors, such as ``TrackingError/runNotFound(_:)``.
    public static func load(
        runIDs: [String], from store: some TrackingStore, objective: String? = nil,
        goals: [String: MetricGoal] = [:]
    ) async throws -> ComparisonReport {
        var entries: [Entry] = []
        for id in runIDs {
            let run = try await store.run(id: id)
            var histories: [String: [Metric]] = [:]
            for key in run.latestMetrics.keys.sorted() {
                histories[key] = try await store.metricHistory(runID: id, key: key)
            }
            entries.append(Entry(run: run, metricHistories: histories))
        }
        return ComparisonReport(entries: entries, objective: objective, goals: goals)
    }

    /// The goal used for `metric`.
    public func goal(for metric: String) -> MetricGoal {
        goals[metric] ?? ReportFormatting.goal(forMetric: metric)
    }

    /// Every metric key any run logged, sorted.
    var metricKeys: [String] {
        Set(entries.flatMap { $0.metricHistories.filter { !$0.value.isEmpty }.keys }).sorted()
    }

    /// Every parameter key any run logged, sorted.
    var parameterKeys: [String] {
        Set(entries.flatMap(\.run.params.keys)).sorted()
    }

    /// The metric colouring the parallel coordinates: the given one, or the one most runs logged.
    var resolvedObjective: String? {
        if let objective { return objective }
        let keys = metricKeys
        return keys.max { lhs, rhs in
            let a = entries.filter { $0.metricHistories[lhs] != nil }.count
            let b = entries.filter { $0.metricHistories[rhs] != nil }.count
            return a == b ? lhs > rhs : a < b
        }
    }

    /// The report as an ``HTMLDocument``.
    public func document() -> HTMLDocument {
        var document = HTMLDocument(title: "Comparison of \(entries.count) runs")
        document.addTable(
            HTMLTable(
                headers: ["run", "run ID", "status", "started", "duration", "user"],
                rows: entries.map { entry in
                    let info = entry.run.info
                    return [
                        HTMLTableCell(entry.displayName), HTMLTableCell(info.id), HTMLTableCell(info.status.rawValue),
                        HTMLTableCell(ReportFormatting.date(info.startTime)),
                        HTMLTableCell(ReportFormatting.duration(from: info.startTime, to: info.endTime)),
                        HTMLTableCell(info.user),
                    ]
                }))
        addParameters(to: &document)
        addMetricTable(to: &document)
        addCurves(to: &document)
        addParallelCoordinates(to: &document)
        return document
    }

    /// The complete HTML.
    public func render() -> String {
        document().render()
    }

    /// Writes the HTML atomically.
    /// - Throws: The file system's error when the file cannot be written.
    public func write(to url: URL) throws {
        try document().write(to: url)
    }

    private func addParameters(to document: inout HTMLDocument) {
        document.addHeading("Parameters")
        let keys = parameterKeys
        guard !keys.isEmpty else {
            document.addNote("No parameters were logged.")
            return
        }
        let rows = keys.map { key -> [HTMLTableCell] in
            let values = entries.map { $0.run.params[key] }
            let differs = Set(values.map { $0 ?? "\u{0}missing" }).count > 1
            return [HTMLTableCell(key, emphasis: differs ? .highlighted : .none)]
                + values.map { HTMLTableCell($0 ?? "—", emphasis: differs ? .highlighted : .none) }
        }
        document.addTable(HTMLTable(headers: ["parameter"] + entries.map(\.displayName), rows: rows))
        document.addNote("Highlighted rows differ between runs.")
    }

    private func addMetricTable(to document: inout HTMLDocument) {
        document.addHeading("Metrics")
        let keys = metricKeys
        guard !keys.isEmpty else {
            document.addNote("No metrics were logged.")
            return
        }
        var rows: [[HTMLTableCell]] = []
        for key in keys {
            let summaries = entries.map { $0.metricHistories[key].flatMap(MetricSummary.init(history:)) }
            let goal = goal(for: key)
            for statistic in ["latest", "best", "min", "max"] {
                let values = summaries.map { summary -> Double? in
                    guard let summary else { return nil }
                    switch statistic {
                    case "latest": return summary.latest
                    case "best": return summary.best(goal)
                    case "min": return summary.minimum
                    default: return summary.maximum
                    }
                }
                let finite = values.compactMap { $0 }.filter { !$0.isNaN }
                let winner = goal == .minimize ? finite.min() : finite.max()
                let marksBest = statistic == "latest" || statistic == "best"
                var row = [HTMLTableCell(statistic == "latest" ? key : ""), HTMLTableCell(statistic)]
                row += values.map { value in
                    guard let value else { return HTMLTableCell("—") }
                    let isBest = marksBest && entries.count > 1 && value == winner
                    return HTMLTableCell(number: value, emphasis: isBest ? .best : .none)
                }
                rows.append(row)
            }
        }
        document.addTable(HTMLTable(headers: ["metric", "statistic"] + entries.map(\.displayName), rows: rows))
        document.addNote(
            "Best values are in bold green; a metric whose name says loss or error is minimized, "
                + "others are maximized.")
    }

    private func addCurves(to document: inout HTMLDocument) {
        var figures: [HTMLDocument.Figure] = []
        for key in metricKeys {
            var series: [LineSeries] = []
            var values: [Double] = []
            for entry in entries {
                guard let history = entry.metricHistories[key], !history.isEmpty else { continue }
                series.append(ReportFormatting.series(name: entry.displayName, history: history))
                values += history.map(\.value)
            }
            let chart = LineChart(
                title: key, series: series, xAxis: ChartAxis("step"),
                yAxis: ReportFormatting.valueAxis(title: key, values: values),
                showsMarkers: series.allSatisfy { $0.points.count <= 30 }, size: ReportFormatting.chartSize)
            figures.append(HTMLDocument.Figure(chart, caption: nil))
        }
        guard !figures.isEmpty else { return }
        document.addHeading("Metric curves", level: 3)
        document.addFigureGrid(figures)
    }

    private func addParallelCoordinates(to document: inout HTMLDocument) {
        // Only the parameters that differ between runs: constant ones would crowd the axes and say nothing.
        let keys = parameterKeys.filter { key in Set(entries.map { $0.run.params[key] ?? "" }).count > 1 }
        guard entries.count >= 2, !keys.isEmpty, let objective = resolvedObjective else { return }
        let axes = keys.map { key in Self.axis(named: key, values: entries.compactMap { $0.run.params[key] }) }
        let records = entries.map { entry in
            ParallelRecord(
                values: zip(keys, axes).map { key, axis in Self.value(entry.run.params[key], on: axis) },
                objective: entry.run.latestMetrics[objective]?.value ?? .nan,
                label: entry.displayName)
        }
        let scale = goal(for: objective) == .minimize ? ColorScale.viridis.reversed : .viridis
        document.addHeading("Parameters and \(objective)")
        document.addFigure(
            ParallelCoordinatesChart(axes: axes, records: records, objectiveName: objective, colorScale: scale),
            caption: "One line per run, coloured by the latest \(objective) (yellow is best)")
    }

    /// A numeric axis when every value parses as a finite number (logarithmic when positive and spanning
    /// at least two decades), categorical otherwise.
    static func axis(named name: String, values: [String]) -> ParallelAxis {
        let numbers = values.compactMap { Double($0) }.filter(\.isFinite)
        guard !values.isEmpty, numbers.count == values.count else { return .categorical(name) }
        if let low = numbers.min(), let high = numbers.max(), low > 0, high / low >= 100 {
            return .numeric(name, scale: .logarithmic)
        }
        return .numeric(name)
    }

    static func value(_ text: String?, on axis: ParallelAxis) -> ParallelValue {
        guard let text else { return .missing }
        switch axis.kind {
        case .numeric: return Double(text).map(ParallelValue.number) ?? .missing
        case .categorical: return .category(text)
        }
    }
}
