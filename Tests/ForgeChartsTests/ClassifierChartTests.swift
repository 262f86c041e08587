import Testing

@testable import ForgeCharts

@Suite("ForgeCharts confusion matrix, ROC and precision-recall")
struct ClassifierChartTests {
    @Test("confusion matrix: darkest cell for the largest count, contrast-aware text, counts printed")
    func confusionCounts() throws {
        let chart = ConfusionMatrixChart(
            title: "confusion", labels: ["cat", "dog", "bird"], counts: [[50, 2, 0], [5, 30, 1], [0, 4, 8]])
        let elements = try parseXML(chart.renderSVG())
        let cells = elements.withClass("cell")
        #expect(cells.count == 9)
        #expect(cells[0].attributes["fill"] == ColorScale.blues.color(at: 1).hexString)
        #expect(cells[2].attributes["fill"] == ColorScale.blues.color(at: 0).hexString)
        let values = elements.withClass("cell-value")
        #expect(values.map(\.text) == ["50", "2", "0", "5", "30", "1", "0", "4", "8"])
        #expect(values[0].attributes["fill"] == "#ffffff", "dark cell gets white text")
        #expect(values[2].attributes["fill"] == "#000000", "light cell gets black text")
        #expect(cells[1].text.isEmpty)
        #expect(elements.withClass("row-label").map(\.text) == ["cat", "dog", "bird"])
        #expect(elements.withClass("column-label").map(\.text) == ["cat", "dog", "bird"])
        // Cells form a square grid.
        let widths = Set(cells.compactMap { $0.attributes["width"] })
        #expect(widths.count == 1 && Set(cells.compactMap { $0.attributes["height"] }) == widths)
        #expect(elements.named("title").contains { $0.text == "true dog, predicted cat: 5" })
    }

    @Test("row-normalized confusion matrix shows row fractions; an empty row shows zeros")
    func confusionNormalized() throws {
        let chart = ConfusionMatrixChart(
            labels: ["a", "b", "c"], counts: [[3, 1, 0], [0, 0, 0], [1, 1, 2]],
            normalization: .byRow)
        #expect(chart.cellValue(row: 0, column: 0) == 0.75)
        #expect(chart.cellValue(row: 1, column: 1) == 0)
        #expect(chart.cellValue(row: 2, column: 2) == 0.5)
        let elements = try parseXML(chart.renderSVG())
        #expect(
            elements.withClass("cell-value").map(\.text) == [
                "0.75", "0.25", "0", "0", "0", "0", "0.25", "0.25",
                "0.5",
            ])
        #expect(elements.withClass("colorbar-title").first?.text == "fraction of row")
    }

    @Test("ROC: AUC by trapezoid in the legend, chance diagonal from corner to corner")
    func roc() throws {
        let perfect = ClassifierCurve(name: "class 0", x: [0, 0, 1], y: [0, 1, 1])
        let chance = ClassifierCurve(name: "class 1", x: [0, 0.5, 1], y: [0, 0.5, 1])
        let partial = ClassifierCurve(name: "class 2", x: [0, 0.2, 1, .nan], y: [0, 0.6, 1, 0.3])
        #expect(perfect.areaUnderCurve == 1)
        #expect(chance.areaUnderCurve == 0.5)
        // 0.2·0.6/2 + 0.8·(0.6+1)/2 = 0.06 + 0.64
        #expect(abs(partial.areaUnderCurve - 0.7) < 1e-12)
        #expect(ClassifierCurve(name: "given", x: [0, 1], y: [0, 1], area: 0.91).areaUnderCurve == 0.91)
        let chart = ROCChart(curves: [perfect, chance, partial])
        let layout = chart.layout()
        #expect(layout.x.domain == 0...1 && layout.y.domain == 0...1)
        let elements = try parseXML(chart.renderSVG())
        #expect(
            elements.withClass("legend-label").map(\.text)
                == ["chance (AUC 0.5)", "class 0 (AUC 1.000)", "class 1 (AUC 0.500)", "class 2 (AUC 0.700)"])
        let diagonal = try #require(elements.withClass("reference-line").first?.attributes["d"])
        let points = pathPoints(diagonal)
        let area = layout.plotArea
        #expect(points.count == 2)
        #expect(abs(points[0].0 - area.left) < pixelTolerance && abs(points[0].1 - area.bottom) < pixelTolerance)
        #expect(abs(points[1].0 - area.right) < pixelTolerance && abs(points[1].1 - area.top) < pixelTolerance)
        #expect(elements.withClass("series-line").count == 3)
    }

    @Test("PR: horizontal baseline at the positive rate")
    func precisionRecall() throws {
        let chart = PrecisionRecallChart(
            curves: [ClassifierCurve(name: "spam", x: [0, 0.5, 1], y: [1, 0.8, 0.3])], baseline: 0.25)
        let layout = chart.layout()
        let elements = try parseXML(chart.renderSVG())
        let baseline = pathPoints(try #require(elements.withClass("reference-line").first?.attributes["d"]))
        let expectedY = try #require(layout.y.position(of: 0.25))
        #expect(baseline.allSatisfy { abs($0.1 - expectedY) < pixelTolerance })
        #expect(elements.withClass("legend-label").map(\.text) == ["baseline (0.25)", "spam (AUC 0.725)"])
        let empty = try parseXML(PrecisionRecallChart(curves: []).renderSVG())
        #expect(empty.withClass("no-data").count == 1)
    }
}
