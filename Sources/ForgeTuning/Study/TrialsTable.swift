public import Foundation

/// The trials of a study as a table: one row per trial with its state, values, parameters and duration.
///
/// ```swift
/// let table = try await study.trialsTable()
/// print(table)                                   // aligned text
/// try table.csv.write(toFile: "trials.csv", atomically: true, encoding: .utf8)
/// ```
public struct TrialsTable: Sendable, CustomStringConvertible {
    /// One trial.
    public struct Row: Sendable, Hashable {
        /// The trial's number.
        public var number: Int
        /// Its state.
        public var state: TrialState
        /// Its objective values (empty unless complete).
        public var values: [Double]
        /// Its parameters by name.
        public var params: [String: ParameterValue]
        /// Seconds it ran (`nil` while running or waiting).
        public var duration: Double?
        /// When it started.
        public var startDate: Date?
        /// Its user attributes.
        public var userAttributes: [String: AttributeValue]
    }

    /// The rows in trial-number order.
    public var rows: [Row]
    /// Every parameter name of any trial, sorted.
    public var parameterNames: [String]
    /// The number of objectives.
    public var objectiveCount: Int

    /// Builds the table of `trials` for a study with `objectiveCount` objectives.
    public init(trials: [FrozenTrial], objectiveCount: Int) {
        self.objectiveCount = objectiveCount
        rows = trials.sorted { $0.number < $1.number }.map { trial in
            Row(
                number: trial.number, state: trial.state, values: trial.values ?? [], params: trial.params,
                duration: trial.duration, startDate: trial.startDate, userAttributes: trial.userAttributes)
        }
        parameterNames = Set(trials.flatMap(\.distributions.keys)).sorted()
    }

    /// The column titles: `number`, `state`, `value` (or `value_0`, `value_1`, …), `duration_s`, then
    /// `params_<name>` as in Optuna's `trials_dataframe`.
    public var header: [String] {
        let values = objectiveCount == 1 ? ["value"] : (0..<objectiveCount).map { "value_\($0)" }
        return ["number", "state"] + values + ["duration_s"] + parameterNames.map { "params_\($0)" }
    }

    /// The cells of every row as text (empty for missing values), in ``header`` order.
    public var cells: [[String]] {
        rows.map { row in
            var line = [String(row.number), row.state.description]
            for index in 0..<objectiveCount {
                line.append(index < row.values.count ? JSONText.formatDouble(row.values[index]) : "")
            }
            line.append(row.duration.map { String(format: "%.3f", $0) } ?? "")
            line += parameterNames.map { row.params[$0]?.description ?? "" }
            return line
        }
    }

    /// The table as CSV (RFC 4180 quoting), header first.
    public var csv: String {
        func quote(_ cell: String) -> String {
            guard cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return cell }
            return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return ([header] + cells).map { $0.map(quote).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    /// The table as aligned text columns.
    public var description: String {
        let all = [header] + cells
        var widths = [Int](repeating: 0, count: header.count)
        for line in all { for (index, cell) in line.enumerated() { widths[index] = max(widths[index], cell.count) } }
        return all.map { line in
            line.enumerated().map { index, cell in cell.padding(toLength: widths[index], withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n")
    }
}

extension Study {
    /// The trials of the study as a table.
    public func trialsTable(states: Set<TrialState>? = nil) async throws -> TrialsTable {
        TrialsTable(trials: try await trials(states: states), objectiveCount: directions.count)
    }
}
