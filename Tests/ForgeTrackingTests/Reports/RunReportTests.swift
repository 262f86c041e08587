import ForgeCharts
import Foundation
import Testing

@testable import ForgeTracking

@Suite("ForgeTracking run reports")
struct RunReportTests {
    @Test("a run report shows the header, parameters, one chart per metric, evaluation charts, inputs, artifacts")
    func runReportContents() async throws {
        let (store, ids) = try await makeReportStore()
        let report = try await RunReport.load(runID: ids[0], from: store)
        let html = report.render()
        let elements = try parseReport(html)
        let headings = elements.filter { $0.name == "h2" }.map(\.text)
        #expect(headings == ["Parameters", "Metrics", "Training", "Data inputs", "Artifacts"])
        #expect(elements.first { $0.name == "h1" }?.text == "Run mlp-0")
        let rowHeaders = elements.filter { $0.name == "th" && $0.attributes["scope"] == "row" }
        func value(of key: String) -> String? {
            guard
                let index = elements.firstIndex(where: {
                    $0.name == "th" && $0.attributes["scope"] == "row" && $0.text == key
                })
            else { return nil }
            return elements[index + 1].text
        }
        #expect(value(of: "status") == "FINISHED")
        #expect(value(of: "experiment") == "digits")
        #expect(value(of: "duration") == "1 h 02 min 05 s")
        #expect(value(of: "git commit") == "0123abcd")
        #expect(value(of: "started") == "2026-11-18T11:06:40Z")
        #expect(value(of: "lr") == "0.001")
        #expect(value(of: "note") == "<script>alert(1)</script>")
        #expect(!html.contains("<script"))
        #expect(value(of: "team") == "vision")
        #expect(value(of: "optimizer.lr") == "0.001")
        #expect(value(of: "learned parameters") == "model.safetensors")
        #expect(rowHeaders.count > 15)

        // One line chart per metric key, titled by the key, NaN step leaving a gap in the loss curve.
        let chartTitles = elements.filter { $0.className == "chart-title" }.map(\.text)
        #expect(chartTitles.prefix(2) == ["loss", "val/accuracy"])
        let lossLine = try #require(elements.first { $0.className == "series-line" }?.attributes["d"])
        #expect(lossLine.filter { $0 == "M" }.count == 2)
        // Summary row: loss latest at step 49, min is the last value.
        let cells = elements.filter { $0.name == "td" }.map(\.text)
        let lossRow = try #require(cells.firstIndex(of: "loss"))
        let expectedLatest = 2.0 * exp(-49.0 / 10.0) + 0.05
        #expect(abs(try #require(Double(cells[lossRow + 1])) - expectedLatest) < 1e-5)
        #expect(cells[lossRow + 2] == "49")
        #expect(cells[lossRow + 5] == "50")

        // Evaluation: counts and row-normalized matrices, ROC with AUCs, PR; the broken matrix is a note.
        #expect(elements.filter { $0.className == "cell" }.count == 18)
        let legends = elements.filter { $0.className == "legend-label" }.map(\.text)
        #expect(legends.contains("zero (AUC 0.900)"))
        #expect(legends.contains("one (AUC 0.750)"))
        #expect(legends.contains("zero (AUC 0.800)"))
        #expect(elements.contains { $0.name == "p" && $0.text.contains("“broken” skipped") })
        #expect(cells.contains("model.safetensors") && cells.contains("397.5 KiB") && cells.contains("532 B"))
        #expect(cells.contains("digits") && cells.contains("1797"))
        // Deterministic: the same run renders the same bytes.
        #expect(html == (try await RunReport.load(runID: ids[0], from: store)).render())
    }

    @Test("an empty run still renders, with notes instead of tables")
    func emptyRun() throws {
        let info = RunInfo(
            id: "00ff", experimentID: "0", name: "", status: .running, startTime: Date(timeIntervalSince1970: 0),
            user: "u", host: "h", source: "s")
        let elements = try parseReport(RunReport(run: Run(info: info)).render())
        #expect(elements.first { $0.name == "h1" }?.text == "Run 00ff")
        let notes = elements.filter { $0.className == "note" }.map(\.text)
        #expect(notes == ["No parameters were logged.", "No metrics were logged.", "No artifacts were recorded."])
    }

    @Test("long histories are decimated so reports stay small")
    func longHistory() throws {
        let info = RunInfo(
            id: "ab", experimentID: "0", name: "long", status: .finished,
            startTime: Date(timeIntervalSince1970: 0), user: "u", host: "h", source: "s")
        let history = (0..<100_000).map {
            Metric(
                key: "loss", value: 1 / Double($0 + 1), step: $0,
                timestamp: Date(timeIntervalSince1970: 0))
        }
        let html = RunReport(run: Run(info: info), metricHistories: ["loss": history]).render()
        #expect(html.utf8.count < 200_000)
        let line = try #require(try parseReport(html).first { $0.className == "series-line" }?.attributes["d"])
        let points = line.filter { $0 == "L" }.count + 1
        #expect(points > 1_000 && points <= 2_000)
    }

    @Test("report formatting: durations, sizes, metric goals")
    func formatting() {
        let start = Date(timeIntervalSince1970: 0)
        #expect(ReportFormatting.duration(from: start, to: start.addingTimeInterval(0.25)) == "250 ms")
        #expect(ReportFormatting.duration(from: start, to: start.addingTimeInterval(192)) == "3 min 12 s")
        #expect(ReportFormatting.duration(from: start, to: nil) == "—")
        #expect(ReportFormatting.byteCount(1536) == "1.5 KiB")
        #expect(ReportFormatting.byteCount(3 * 1024 * 1024) == "3 MiB")
        #expect(ReportFormatting.goal(forMetric: "val/loss") == .minimize)
        #expect(ReportFormatting.goal(forMetric: "error_rate") == .minimize)
        #expect(ReportFormatting.goal(forMetric: "accuracy") == .maximize)
        #expect(ReportFormatting.goal(forMetric: "lossless_ratio") == .maximize)
        #expect(ReportFormatting.valueAxis(title: "l", values: [1e-4, 1]).scale == .logarithmic)
        #expect(ReportFormatting.valueAxis(title: "l", values: [0, 1]).scale == .linear)
    }
}
