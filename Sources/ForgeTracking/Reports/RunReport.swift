public import ForgeCharts
public import Foundation

/// A self-contained HTML report of one run: what ran, with which parameters, how its metrics moved, how the
/// model did (confusion matrix, ROC and precision-recall curves from its ``TrainingMetadata``), what data it
/// read and what it produced.
///
/// The report is one HTML file with inline CSS and SVG charts drawn by ForgeCharts — no scripts, nothing
/// fetched — so it can be mailed, attached to a ticket or stored as an artifact.
///
/// ```swift
/// let report = try await RunReport.load(runID: run.id, from: store)
/// try report.write(to: URL(fileURLWithPath: "run-report.html"))
/// ```
public struct RunReport: Sendable, Hashable {
    /// The run with its params, tags, latest metrics and inputs.
    public var run: Run
    /// The name of the run's experiment, if known.
    public var experimentName: String?
    /// Every metric's history, by key.
    public var metricHistories: [String: [Metric]]
    /// The run's training metadata, if it has any.
    public var trainingMetadata: TrainingMetadata?
    /// The run's artifacts.
    public var artifacts: [ArtifactRecord]

    /// Creates a report from data already loaded.
    public init(
        run: Run, experimentName: String? = nil, metricHistories: [String: [Metric]] = [:],
        trainingMetadata: TrainingMetadata? = nil, artifacts: [ArtifactRecord] = []
    ) {
        self.run = run
        self.experimentName = experimentName
        self.metricHistories = metricHistories
        self.trainingMetadata = trainingMetadata
        self.artifacts = artifacts
    }

    /// Loads everything the report shows for `runID` from a store.
    /// - Throws: The store's errors, such as ``TrackingError/runNotFound(_:)``.
    public static func load(runID: String, from store: some TrackingStore) async throws -> RunReport {
        let run = try await store.run(id: runID)
        var histories: [String: [Metric]] = [:]
        for key in run.latestMetrics.keys.sorted() {
            histories[key] = try await store.metricHistory(runID: runID, key: key)
        }
        let experimentName = try? await store.experiment(id: run.info.experimentID).name
        return RunReport(
            run: run, experimentName: experimentName, metricHistories: histories,
            trainingMetadata: try await store.trainingMetadata(runID: runID),
            artifacts: try await store.artifacts(runID: runID))
    }

    /// The report as an ``HTMLDocument`` (to add sections before rendering).
    public func document() -> HTMLDocument {
        let info = run.info
        var document = HTMLDocument(title: "Run \(info.name.isEmpty ? info.id : info.name)")
        document.addKeyValueTable(overview(), caption: nil)
        addParameters(to: &document)
        addMetrics(to: &document)
        if let trainingMetadata {
            TrainingMetadataSection(metadata: trainingMetadata).add(to: &document)
        }
        addInputs(to: &document)
        addArtifacts(to: &document)
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

    private func overview() -> [(key: String, value: String)] {
        let info = run.info
        var rows: [(key: String, value: String)] = [
            ("status", info.status.rawValue), ("run ID", info.id),
        ]
        if let experimentName { rows.append(("experiment", experimentName)) }
        rows += [
            ("started", ReportFormatting.date(info.startTime)), ("ended", ReportFormatting.date(info.endTime)),
            ("duration", ReportFormatting.duration(from: info.startTime, to: info.endTime)),
            ("user", info.user), ("host", info.host), ("source", info.source),
            ("git commit", info.gitCommit ?? "—"),
        ]
        if let parent = info.parentRunID { rows.append(("parent run", parent)) }
        return rows
    }

    private func addParameters(to document: inout HTMLDocument) {
        document.addHeading("Parameters")
        if run.params.isEmpty {
            document.addNote("No parameters were logged.")
        } else {
            document.addKeyValueTable(run.params.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
        }
        guard !run.tags.isEmpty else { return }
        document.addHeading("Tags", level: 3)
        document.addKeyValueTable(run.tags.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
    }

    private func addMetrics(to document: inout HTMLDocument) {
        document.addHeading("Metrics")
        let keys = metricHistories.keys.filter { !(metricHistories[$0] ?? []).isEmpty }.sorted()
        guard !keys.isEmpty else {
            document.addNote("No metrics were logged.")
            return
        }
        var rows: [[HTMLTableCell]] = []
        var figures: [HTMLDocument.Figure] = []
        for key in keys {
            let history = metricHistories[key] ?? []
            guard let summary = MetricSummary(history: history) else { continue }
            rows.append([
                HTMLTableCell(key), HTMLTableCell(number: summary.latest),
                HTMLTableCell(number: Double(summary.latestStep)),
                HTMLTableCell(number: summary.minimum), HTMLTableCell(number: summary.maximum),
                HTMLTableCell(number: Double(summary.count)),
            ])
            let chart = LineChart(
                title: key, series: [ReportFormatting.series(name: key, history: history)],
                xAxis: ChartAxis("step"), yAxis: ReportFormatting.valueAxis(title: key, values: history.map(\.value)),
                showsMarkers: history.count <= 30, showsLegend: false, size: ReportFormatting.chartSize)
            figures.append(HTMLDocument.Figure(chart, caption: "\(key) over \(history.count) logged values"))
        }
        document.addTable(HTMLTable(headers: ["metric", "latest", "step", "min", "max", "values"], rows: rows))
        document.addFigureGrid(figures)
    }

    private func addInputs(to document: inout HTMLDocument) {
        guard !run.inputs.isEmpty else { return }
        document.addHeading("Data inputs")
        document.addTable(
            HTMLTable(
                headers: ["name", "context", "rows", "digest", "source"],
                rows: run.inputs.map { input in
                    [
                        HTMLTableCell(input.name), HTMLTableCell(input.context),
                        input.rowCount.map { HTMLTableCell(number: Double($0)) } ?? HTMLTableCell("—"),
                        HTMLTableCell(ReportFormatting.shortDigest(input.digest)), HTMLTableCell(input.source),
                    ]
                }))
    }

    private func addArtifacts(to document: inout HTMLDocument) {
        document.addHeading("Artifacts")
        guard !artifacts.isEmpty else {
            document.addNote("No artifacts were recorded.")
            return
        }
        document.addTable(
            HTMLTable(
                headers: ["path", "size", "digest"],
                rows: artifacts.sorted { $0.path < $1.path }.map { artifact in
                    [
                        HTMLTableCell(artifact.path),
                        HTMLTableCell(ReportFormatting.byteCount(artifact.size), isNumeric: true),
                        HTMLTableCell(ReportFormatting.shortDigest(artifact.digest)),
                    ]
                }))
    }
}
