public import ForgeCharts
public import Foundation

/// A self-contained HTML report of a study: the best trial, the optimization history, parallel coordinates
/// of the parameters coloured by the objective, one slice plot per parameter, intermediate values, and a
/// table of every trial.
///
/// The report is one HTML file with inline CSS and SVG charts drawn by ForgeCharts; nothing is fetched.
///
/// ```swift
/// let study = try await Study.create(name: "mlp-lr")
/// try await study.optimize(trials: 100) { trial in … }
/// try await StudyReport.load(study, objectiveName: "validation loss").write(to: URL(fileURLWithPath: "study.html"))
/// ```
public struct StudyReport: Sendable {
    /// The study snapshot the report draws.
    public var view: StudyView
    /// The name of each objective, for axes and tables (`objective` when not given).
    public var objectiveNames: [String]

    /// Creates a report from a study snapshot.
    /// - Parameters:
    ///   - view: The study's trials and directions (``Study/view()``).
    ///   - objectiveNames: One name per objective; missing names become `objective`, `objective 1`, ….
    public init(view: StudyView, objectiveNames: [String] = []) {
        self.view = view
        self.objectiveNames = view.directions.indices.map { index in
            index < objectiveNames.count ? objectiveNames[index] : (index == 0 ? "objective" : "objective \(index)")
        }
    }

    /// Loads a study's current snapshot.
    /// - Throws: The storage's errors.
    public static func load(_ study: Study, objectiveNames: [String] = []) async throws -> StudyReport {
        StudyReport(view: try await study.view(), objectiveNames: objectiveNames)
    }

    /// The objective's name for a single-objective study.
    var objectiveName: String { objectiveNames.first ?? "objective" }

    /// Completed trials with a finite value for every objective, in number order.
    var completedTrials: [FrozenTrial] {
        view.trials(states: [.complete]).filter { trial in
            guard let values = trial.values, values.count == view.directions.count else { return false }
            return values.allSatisfy(\.isFinite)
        }
    }

    /// Every parameter name any trial used, sorted.
    var parameterNames: [String] {
        Set(view.allTrials.flatMap(\.distributions.keys)).sorted()
    }

    /// The report as an ``HTMLDocument`` (to add sections before rendering).
    public func document() -> HTMLDocument {
        var document = HTMLDocument(title: "Study \(view.name)")
        addOverview(to: &document)
        addCharts(to: &document)
        addTrialsTable(to: &document)
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

    private func addOverview(to document: inout HTMLDocument) {
        var rows: [(key: String, value: String)] = [
            ("direction", view.directions.map(\.description).joined(separator: ", ")),
            ("trials", "\(view.allTrials.count)"),
        ]
        for state in [TrialState.complete, .pruned, .failed, .running, .waiting] {
            let count = view.allTrials.filter { $0.state == state }.count
            if count > 0 { rows.append((state.description, "\(count)")) }
        }
        document.addKeyValueTable(rows)
        if view.isMultiObjective {
            let front = view.paretoFront
            document.addHeading("Pareto front")
            document.addNote("\(front.count) trials are not dominated by any other completed trial.")
            return
        }
        document.addHeading("Best trial")
        guard let best = view.bestTrial, let value = best.value else {
            document.addNote("No trial has completed yet.")
            return
        }
        var bestRows: [(key: String, value: String)] = [
            ("trial", "\(best.number)"), (objectiveName, Self.format(value)),
        ]
        for (name, parameter) in best.params.sorted(by: { $0.key < $1.key }) {
            bestRows.append((name, Self.format(parameter)))
        }
        document.addKeyValueTable(bestRows)
    }

    private func addTrialsTable(to document: inout HTMLDocument) {
        document.addHeading("Trials")
        let names = parameterNames
        let best = view.isMultiObjective ? nil : view.bestTrial?.number
        let front = view.isMultiObjective ? Set(view.paretoFront.map(\.number)) : []
        let rows = view.allTrials.map { trial -> [HTMLTableCell] in
            let highlight: HTMLTableCell.Emphasis =
                trial.number == best || front.contains(trial.number) ? .best : .none
            var row = [
                HTMLTableCell("\(trial.number)", isNumeric: true, emphasis: highlight),
                HTMLTableCell(trial.state.description),
            ]
            for index in view.directions.indices {
                if let values = trial.values, index < values.count {
                    row.append(HTMLTableCell(Self.format(values[index]), isNumeric: true, emphasis: highlight))
                } else {
                    row.append(HTMLTableCell("—"))
                }
            }
            row.append(HTMLTableCell(trial.duration.map(Self.formatDuration) ?? "—", isNumeric: true))
            let params = trial.params
            for name in names {
                row.append(
                    params[name].map { HTMLTableCell(Self.format($0), isNumeric: $0.doubleValue != nil) }
                        ?? HTMLTableCell("—"))
            }
            return row
        }
        document.addTable(
            HTMLTable(
                headers: ["trial", "state"] + objectiveNames + ["duration"] + names, rows: rows))
    }

    /// A parameter value for tables and labels: numbers with six significant digits.
    static func format(_ value: ParameterValue) -> String {
        switch value {
        case .double(let number): format(number)
        default: value.description
        }
    }

    /// An objective or parameter number with six significant digits.
    static func format(_ value: Double) -> String {
        ChartNumberFormat.string(value, significantDigits: 6)
    }

    /// `12.5 s`, `3 min 04 s`, `850 ms`.
    static func formatDuration(_ seconds: TimeInterval) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "—" }
        if seconds < 1 { return "\(Int((seconds * 1000).rounded())) ms" }
        if seconds < 60 { return ChartNumberFormat.fixed(seconds, fractionDigits: 1) + " s" }
        let total = Int(seconds.rounded())
        let rest = total % 60
        return "\(total / 60) min " + (rest < 10 ? "0" : "") + "\(rest) s"
    }
}
