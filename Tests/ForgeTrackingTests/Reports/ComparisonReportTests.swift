import ForgeCharts
import Foundation
import Testing

@testable import ForgeTracking

@Suite("ForgeTracking comparison reports")
struct ComparisonReportTests {
    @Test("parameters side by side with differing rows highlighted, best values marked, curves overlaid")
    func comparison() async throws {
        let (store, ids) = try await makeReportStore(runs: 3)
        let report = try await ComparisonReport.load(runIDs: ids, from: store)
        let html = report.render()
        let elements = try parseReport(html)
        #expect(elements.first { $0.name == "h1" }?.text == "Comparison of 3 runs")
        #expect(!html.contains("<script"))

        let cells = elements.filter { $0.name == "td" }
        func row(startingWith key: String) -> [ReportElement] {
            guard let index = cells.firstIndex(where: { $0.text == key }) else { return [] }
            return Array(cells[index..<min(cells.count, index + 4)])
        }
        let lr = row(startingWith: "lr")
        #expect(lr.map(\.text) == ["lr", "0.001", "0.01", "0.0001"])
        #expect(lr.allSatisfy { $0.className.contains("highlight") })
        let optimizer = row(startingWith: "optimizer")
        #expect(optimizer.map(\.text) == ["optimizer", "adam", "adam", "adam"])
        #expect(optimizer.allSatisfy { !$0.className.contains("highlight") })
        let dropout = row(startingWith: "dropout")
        #expect(dropout.map(\.text) == ["dropout", "0.1", "—", "—"])
        #expect(dropout.allSatisfy { $0.className.contains("highlight") })

        // loss: run 0 decays fastest, so its latest value is the lowest (best for a loss).
        let lossLatest = row(startingWith: "loss").dropFirst()
        #expect(lossLatest.count == 3)
        let bestLoss = cells.filter { $0.className.contains("best") }
        #expect(bestLoss.count >= 4)
        let losses = ids.indices.map { 2.0 * exp(-49.0 / Double(10 + 5 * $0)) + 0.05 }
        let bestText = ChartNumberFormat.string(losses[0], significantDigits: 6)
        #expect(bestLoss.contains { $0.text == bestText })

        // One overlaid chart per metric with a line per run.
        let titles = elements.filter { $0.className == "chart-title" }.map(\.text)
        #expect(titles.prefix(2) == ["loss", "val/accuracy"])
        let lines = elements.filter { $0.className == "series-line" }
        #expect(lines.count == 6)
        #expect(
            elements.filter { $0.className == "legend-label" }.prefix(3).map(\.text) == ["mlp-0", "mlp-1", "mlp-2"])

        // Parallel coordinates over the params, coloured by the metric most runs logged.
        #expect(report.resolvedObjective == "loss")
        #expect(elements.filter { $0.className == "record" }.count == 3)
        // Only parameters that differ between the runs get an axis (`note` and `optimizer` are constant).
        #expect(elements.filter { $0.className == "axis-name" }.map(\.text) == ["dropout", "lr", "loss"])
    }

    @Test("parallel axes: numbers become numeric (log over two decades), the rest categorical")
    func axisKinds() {
        #expect(
            ComparisonReport.axis(named: "lr", values: ["0.001", "0.1"]).kind
                == .numeric(scale: .logarithmic, range: nil))
        #expect(
            ComparisonReport.axis(named: "layers", values: ["2", "4"]).kind == .numeric(scale: .linear, range: nil))
        #expect(ComparisonReport.axis(named: "opt", values: ["adam", "1"]).kind == .categorical(labels: []))
        #expect(ComparisonReport.value(nil, on: .numeric("x")) == .missing)
        #expect(ComparisonReport.value("3", on: .numeric("x")) == .number(3))
        #expect(ComparisonReport.value("adam", on: .categorical("o")) == .category("adam"))
    }

    @Test("an explicit objective and goal override the guesses")
    func explicitGoal() async throws {
        let (store, ids) = try await makeReportStore(runs: 2)
        let report = try await ComparisonReport.load(
            runIDs: ids, from: store, objective: "val/accuracy", goals: ["loss": .maximize])
        #expect(report.goal(for: "loss") == .maximize)
        #expect(report.goal(for: "val/accuracy") == .maximize)
        let elements = try parseReport(report.render())
        #expect(elements.filter { $0.className == "colorbar-title" }.last?.text == "val/accuracy")
    }
}
