import Testing

@testable import ForgeCharts

@Suite("ForgeCharts parallel coordinates")
struct ParallelCoordinatesTests {
    private let axes: [ParallelAxis] = [
        .numeric("lr", scale: .logarithmic), .categorical("optimizer", labels: ["sgd", "adam"]),
        .numeric("layers", range: 0...8),
    ]

    private var records: [ParallelRecord] {
        [
            ParallelRecord(values: [.number(1e-4), .category("sgd"), .number(2)], objective: 0.9, label: "trial 0"),
            ParallelRecord(values: [.number(1e-2), .category("adam"), .number(8)], objective: 0.3, label: "trial 1"),
            ParallelRecord(values: [.number(1e-3), .category("rmsprop"), .missing], objective: 0.5, label: "trial 2"),
            ParallelRecord(values: [.number(.nan), .category("adam"), .number(4)], objective: .nan, label: "trial 3"),
        ]
    }

    @Test("axes are evenly spaced; numeric, log and categorical values land where they should")
    func positions() throws {
        let chart = ParallelCoordinatesChart(axes: axes, records: records, objectiveName: "loss")
        let (axisX, recordY) = chart.positions(top: 100, bottom: 300, left: 50, right: 650)
        #expect(axisX == [50, 250, 450, 650])
        // lr: log domain 1e-4...1e-2, so 1e-3 is halfway.
        #expect(recordY[0][0] == 300)
        #expect(recordY[1][0] == 100)
        #expect(abs(try #require(recordY[2][0]) - 200) < 1e-9)
        #expect(recordY[3][0] == nil)
        // optimizer: sgd, adam, then the unseen rmsprop, bottom to top.
        #expect(recordY[0][1] == 300)
        #expect(recordY[1][1] == 200)
        #expect(recordY[2][1] == 100)
        // layers: fixed 0...8.
        #expect(recordY[0][2] == 250)
        #expect(recordY[1][2] == 100)
        #expect(recordY[2][2] == nil)
        // objective axis (the last) spans exactly 0.3...0.9, the records' extent.
        #expect(abs(try #require(recordY[1][3]) - 300) < 1e-9)
        #expect(abs(try #require(recordY[0][3]) - 100) < 1e-9)
    }

    @Test("records are coloured by objective, missing values break the line, labels become tooltips")
    func rendering() throws {
        let chart = ParallelCoordinatesChart(title: "study", axes: axes, records: records, objectiveName: "loss")
        let svg = chart.renderSVG()
        let elements = try parseXML(svg)
        let lines = elements.withClass("record")
        #expect(lines.count == 4)
        // Drawn from low to high objective, NaN first.
        let strokes = lines.compactMap { $0.attributes["stroke"] }
        #expect(
            strokes == [
                ChartColor.gray.hexString, ColorScale.viridis.color(at: 0).hexString,
                ColorScale.viridis.color(at: 1.0 / 3.0).hexString,
                ColorScale.viridis.color(at: 1).hexString,
            ])
        let trial2 = try #require(lines.first { $0.attributes["stroke"] == strokes[2] }?.attributes["d"])
        #expect(subpathCount(trial2) == 2)
        #expect(elements.withClass("axis-name").map(\.text) == ["lr", "optimizer", "layers", "loss"])
        #expect(elements.named("title").map(\.text).contains("trial 1"))
        let texts = Set(elements.named("text").map(\.text))
        #expect(texts.isSuperset(of: ["sgd", "adam", "rmsprop", "0.001"]))
        #expect(svg == chart.renderSVG())
    }

    @Test("no records renders a labelled empty chart")
    func empty() throws {
        let elements = try parseXML(ParallelCoordinatesChart(axes: axes, records: []).renderSVG())
        #expect(elements.withClass("no-data").count == 1)
    }
}
