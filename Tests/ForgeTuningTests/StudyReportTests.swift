import ForgeCharts
import Foundation
import Testing

@testable import ForgeTuning

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Elements of a report parsed with Foundation's XMLParser (reports are XHTML-compatible).
private final class StudyReportElements: NSObject, XMLParserDelegate {
    struct Element {
        var name: String
        var attributes: [String: String]
        var text: String
        var className: String { attributes["class"] ?? "" }
    }

    var elements: [Element] = []
    private var open: [Int] = []

    static func parse(_ html: String) throws -> [Element] {
        let parser = XMLParser(data: Data(html.utf8))
        let collector = StudyReportElements()
        parser.delegate = collector
        guard parser.parse() else {
            Issue.record(
                "report is not well-formed at line \(parser.lineNumber): \(String(describing: parser.parserError))")
            throw CancellationError()
        }
        return collector.elements
    }

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        open.append(elements.count)
        elements.append(Element(name: elementName, attributes: attributes, text: ""))
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if let index = open.last { elements[index].text += string }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        open.removeLast()
    }
}

@Suite("ForgeTuning study report")
struct StudyReportTests {
    /// Five hand-made trials: three complete (5, 3, 4), one pruned, one failed.
    private func handMadeView() throws -> StudyView {
        let lr = try Distribution.float(low: 1e-5, high: 1e-1, log: true)
        let optimizer = try Distribution.categorical([.string("adam"), .string("<b>sgd</b>")])
        let layers = try Distribution.int(low: 1, high: 4)
        let distributions = ["lr": lr, "optimizer": optimizer, "layers": layers]
        let start = Date(timeIntervalSince1970: 1_000)
        func trial(
            _ number: Int, _ state: TrialState, _ value: Double?, lr: Double, optimizer: Double, layers: Double,
            intermediate: [Int: Double] = [:]
        ) -> FrozenTrial {
            FrozenTrial(
                id: number, number: number, state: state, values: value.map { [$0] }, startDate: start,
                completeDate: start.addingTimeInterval(Double(number) + 0.5),
                internalParams: ["lr": lr, "optimizer": optimizer, "layers": layers], distributions: distributions,
                intermediateValues: intermediate)
        }
        return StudyView(
            name: "demo", directions: [.minimize],
            trials: [
                trial(0, .complete, 5, lr: 1e-3, optimizer: 0, layers: 2),
                trial(1, .complete, 3, lr: 1e-2, optimizer: 1, layers: 3, intermediate: [0: 4, 1: 3.5]),
                trial(2, .pruned, nil, lr: 1e-4, optimizer: 0, layers: 1, intermediate: [0: 9]),
                trial(3, .failed, nil, lr: 1e-5, optimizer: 1, layers: 1),
                trial(4, .complete, 4, lr: 1e-4, optimizer: 0, layers: 4),
            ])
    }

    @Test("history: one dot per completed trial and the best-so-far line")
    func history() throws {
        let report = StudyReport(view: try handMadeView(), objectiveNames: ["loss"])
        let chart = report.historyChart()
        #expect(chart.series[0].points.map(\.x) == [0, 1, 4])
        #expect(chart.series[0].points.map(\.y) == [5, 3, 4])
        #expect(chart.series[1].points.map(\.y) == [5, 3, 3])
        #expect(chart.series[0].drawsLine == false)
        #expect(chart.yAxis.title == "loss")
        let intermediate = try #require(report.intermediateValuesChart())
        #expect(intermediate.series.map(\.name) == ["trial 1", "trial 2"])
        #expect(intermediate.series[0].points == [ChartPoint(x: 0, y: 4), ChartPoint(x: 1, y: 3.5)])
    }

    @Test("parallel coordinates: axes from the distributions, lines coloured best-yellow")
    func parallel() throws {
        let report = StudyReport(view: try handMadeView(), objectiveNames: ["loss"])
        let chart = report.parallelCoordinatesChart()
        #expect(chart.axes.map(\.name) == ["layers", "lr", "optimizer"])
        #expect(chart.axes[1].kind == .numeric(scale: .logarithmic, range: nil))
        #expect(chart.axes[2].kind == .categorical(labels: ["adam", "<b>sgd</b>"]))
        #expect(chart.records.map(\.objective) == [5, 3, 4])
        #expect(chart.records[1].values == [.number(3), .number(1e-2), .category("<b>sgd</b>")])
        let svg = chart.renderSVG()
        let lines = try StudyReportElements.parse(svg).filter { $0.className == "record" }
        // Drawn from low to high objective; minimizing, the lowest loss (3) is yellow.
        #expect(lines.first?.attributes["stroke"] == "#fde725")
        #expect(lines.last?.attributes["stroke"] == "#440154")
    }

    @Test("slices: log scatter for a log float, best value per choice for a categorical")
    func slices() throws {
        let report = StudyReport(view: try handMadeView(), objectiveNames: ["loss"])
        let lrFigure = try #require(report.sliceFigure("lr"))
        let lrElements = try StudyReportElements.parse(lrFigure.svg)
        #expect(lrElements.filter { $0.className == "dot" }.count == 3)
        #expect(lrElements.contains { $0.name == "text" && $0.text == "0.001" })
        let optimizerFigure = try #require(report.sliceFigure("optimizer"))
        let bars = try StudyReportElements.parse(optimizerFigure.svg)
        #expect(bars.filter { $0.className == "bar-label" }.map(\.text) == ["adam", "<b>sgd</b>"])
        let heights = bars.filter { $0.className == "bar" }.compactMap { $0.attributes["height"].flatMap(Double.init) }
        #expect(heights.count == 2)
        #expect(abs(heights[0] / heights[1] - 4.0 / 3.0) < 0.01, "best adam 4, best sgd 3")
    }

    @Test("the whole report: best trial, every section, escaped categories, trials table")
    func fullReport() throws {
        let report = StudyReport(view: try handMadeView(), objectiveNames: ["loss"])
        let html = report.render()
        #expect(!html.contains("<b>sgd"))
        let elements = try StudyReportElements.parse(html)
        #expect(elements.first { $0.name == "h1" }?.text == "Study demo")
        #expect(
            elements.filter { $0.name == "h2" }.map(\.text)
                == ["Best trial", "Optimization history", "Parameters", "Trials"])
        func value(of key: String) -> String? {
            guard
                let index = elements.firstIndex(where: {
                    $0.name == "th" && $0.text == key && $0.attributes["scope"] == "row"
                })
            else { return nil }
            return elements[index + 1].text
        }
        #expect(value(of: "trials") == "5")
        #expect(value(of: "pruned") == "1")
        #expect(value(of: "trial") == "1")
        #expect(value(of: "loss") == "3")
        #expect(value(of: "lr") == "0.01")
        #expect(value(of: "optimizer") == "<b>sgd</b>")
        let headers = elements.filter { $0.name == "th" && $0.attributes["scope"] == nil }.map(\.text)
        #expect(headers == ["trial", "state", "loss", "duration", "layers", "lr", "optimizer"])
        let best = elements.filter { $0.name == "td" && $0.className.contains("best") }.map(\.text)
        #expect(best == ["1", "3"])
        // The trials table is last: 5 trials × 7 columns, after the 10 key-value rows above it.
        let allCells = elements.filter { $0.name == "td" }.map(\.text)
        #expect(allCells.count == 10 + 5 * 7)
        let cells = Array(allCells.suffix(35))
        #expect(Array(cells[14..<21]) == ["2", "pruned", "—", "2.5 s", "1", "0.0001", "adam"])
        #expect(Array(cells[21..<23]) == ["3", "failed"])
        #expect(
            elements.filter { $0.className == "chart-title" }.map(\.text).prefix(5)
                == [
                    "Optimization history", "Intermediate values", "Parallel coordinates", "Parameter importances",
                    "layers",
                ])
        #expect(html == report.render())
    }

    @Test("importances: one bar per shared parameter, shares summing to one, most important first")
    func importances() throws {
        let report = StudyReport(view: try handMadeView(), objectiveNames: ["loss"])
        let chart = try #require(try report.importanceChart().get())
        #expect(Set(chart.bars.map(\.label)) == ["layers", "lr", "optimizer"])
        #expect(abs(chart.bars.map(\.value).reduce(0, +) - 1) < 1e-9)
        #expect(chart.bars.map(\.value) == chart.bars.map(\.value).sorted(by: >))
        #expect(chart.orientation == .horizontal)
        let bars = try StudyReportElements.parse(chart.renderSVG()).filter { $0.className == "bar" }
        #expect(bars.count == 3)
        let single = StudyReport(
            view: StudyView(
                name: "one", directions: [.minimize],
                trials: [
                    FrozenTrial(id: 0, number: 0, state: .complete, values: [1])
                ]))
        #expect(try single.importanceChart().get() == nil)
    }

    @Test("a real study: every completed trial appears in the history and the parallel coordinates")
    func realStudy() async throws {
        let study = try await Study.create(name: "report", sampler: UniformTestSampler(seed: 5))
        try await study.optimize(trials: 30) { trial in
            let x = try await trial.suggestFloat("x", -5...5)
            let kind = try await trial.suggestCategorical("kind", ["a", "b", "c"])
            let width = try await trial.suggestInt("width", 8...256, log: true)
            return x * x + (kind == "b" ? 0 : 1) + 1 / Double(width)
        }
        let report = try await StudyReport.load(study)
        let elements = try StudyReportElements.parse(report.render())
        #expect(elements.filter { $0.className == "record" }.count == 30)
        #expect(elements.filter { $0.className == "dot" }.count == 30 + 30 + 30)
        let best = try await study.bestTrial
        #expect(report.view.bestTrial?.number == best.number)
        #expect(report.historyChart().series[1].points.last?.y == best.value)
        let importances = try #require(try report.importanceChart().get())
        #expect(Set(importances.bars.map(\.label)) == ["kind", "width", "x"])
        #expect(importances.bars.first?.label == "x", "x² dominates the objective")
    }

    @Test("multi-objective studies draw the Pareto front; empty studies say so")
    func multiObjectiveAndEmpty() throws {
        let x = try Distribution.float(low: 0, high: 1)
        let trials = [(1.0, 4.0), (2.0, 2.0), (3.0, 3.0), (4.0, 1.0)].enumerated().map { index, values in
            FrozenTrial(
                id: index, number: index, state: .complete, values: [values.0, values.1],
                internalParams: ["x": Double(index) / 4], distributions: ["x": x])
        }
        let report = StudyReport(
            view: StudyView(name: "mo", directions: [.minimize, .minimize], trials: trials),
            objectiveNames: ["latency", "error"])
        let chart = try #require(report.paretoChart())
        #expect(chart.series[1].points.map(\.x) == [1, 2, 4])
        #expect(chart.series[0].points.map(\.x) == [3])
        let elements = try StudyReportElements.parse(report.render())
        #expect(elements.contains { $0.className == "note" && $0.text.hasPrefix("3 trials") })
        let empty = StudyReport(view: StudyView(name: "new", directions: [.maximize], trials: []))
        let emptyElements = try StudyReportElements.parse(empty.render())
        #expect(emptyElements.contains { $0.className == "note" && $0.text == "No trial has completed yet." })
        #expect(emptyElements.contains { $0.className == "no-data" })
    }
}
