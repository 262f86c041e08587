import Testing

@testable import ForgeCharts

@Suite("ForgeCharts line charts")
struct LineChartTests {
    private func chart(
        _ series: [LineSeries], xAxis: ChartAxis = ChartAxis("step"),
        yAxis: ChartAxis = ChartAxis("value")
    ) -> LineChart {
        LineChart(title: "metric", series: series, xAxis: xAxis, yAxis: yAxis, showsMarkers: true)
    }

    @Test("the point at the axis maximum lands on the plot's right edge and top; the minimum on left and bottom")
    func coordinateMapping() throws {
        let line = chart([LineSeries(name: "loss", x: [0, 5, 10], y: [0, 40, 100])])
        let layout = line.layout()
        #expect(layout.x.domain == 0...10)
        #expect(layout.y.domain == 0...100)
        let elements = try parseXML(line.renderSVG())
        let markers = elements.withClass("marker")
        #expect(markers.count == 3)
        let area = layout.plotArea
        let last = try #require(markers.last)
        #expect(abs(try #require(last.number("cx")) - area.right) < pixelTolerance)
        #expect(abs(try #require(last.number("cy")) - area.top) < pixelTolerance)
        let first = try #require(markers.first)
        #expect(abs(try #require(first.number("cx")) - area.left) < pixelTolerance)
        #expect(abs(try #require(first.number("cy")) - area.bottom) < pixelTolerance)
        let middle = markers[1]
        #expect(abs(try #require(middle.number("cx")) - (area.left + area.width / 2)) < pixelTolerance)
        #expect(abs(try #require(middle.number("cy")) - (area.bottom - 0.4 * area.height)) < pixelTolerance)
        // The plot area is inside the SVG with room for the legend on the right.
        #expect(area.left > 40 && area.right < 640 - 60 && area.top > 24 && area.bottom < 400 - 30)
    }

    @Test("ticks are drawn at nice values with their labels")
    func ticksAndLabels() throws {
        let line = chart([LineSeries(name: "acc", x: [0, 1000], y: [0.12, 0.97])])
        let layout = line.layout()
        #expect(layout.y.domain == 0...1)
        #expect(layout.xTicks.first == 0 && layout.xTicks.last == 1000)
        let elements = try parseXML(line.renderSVG())
        #expect(elements.withClass("tick-x").count == layout.xTicks.count)
        #expect(elements.withClass("tick-y").count == layout.yTicks.count)
        let texts = Set(elements.named("text").map(\.text))
        #expect(texts.contains("1000"))
        #expect(texts.contains("0.5") || texts.contains("0.4"))
        #expect(texts.contains("step") && texts.contains("value") && texts.contains("acc"))
    }

    @Test("logarithmic y: decades are equally spaced and non-positive values leave gaps")
    func logarithmicAxis() throws {
        let line = chart(
            [LineSeries(name: "loss", x: [0, 1, 2, 3, 4], y: [100, 10, 0, 1, 0.1])],
            yAxis: ChartAxis("loss", scale: .logarithmic))
        let layout = line.layout()
        #expect(layout.y.domain == 0.1...100)
        #expect(layout.yTicks == [0.1, 1, 10, 100])
        let elements = try parseXML(line.renderSVG())
        let cy = elements.withClass("marker").compactMap { $0.number("cy") }
        #expect(cy.count == 4)
        let decade = layout.plotArea.height / 3
        #expect(abs(cy[1] - cy[0] - decade) < 0.02)
        #expect(abs(cy[3] - cy[2] - decade) < 0.02)
        let path = try #require(elements.withClass("series-line").first?.attributes["d"])
        #expect(subpathCount(path) == 2)
    }

    @Test("logarithmic x axis")
    func logarithmicX() throws {
        let line = chart(
            [LineSeries(name: "lr sweep", x: [1e-5, 1e-4, 1e-3, 1e-2], y: [3, 2, 1, 4])],
            xAxis: ChartAxis("learning rate", scale: .logarithmic))
        let layout = line.layout()
        #expect(layout.x.domain == 1e-5...1e-2)
        let cx = try parseXML(line.renderSVG()).withClass("marker").compactMap { $0.number("cx") }
        #expect(abs(cx[0] - layout.plotArea.left) < pixelTolerance)
        #expect(abs(cx[3] - layout.plotArea.right) < pixelTolerance)
        #expect(abs((cx[1] - cx[0]) - (cx[2] - cx[1])) < 0.02)
    }

    @Test("NaN and infinite points are skipped as gaps, never drawn or crashing")
    func nonFinitePoints() throws {
        let line = chart([LineSeries(name: "loss", x: [0, 1, 2, 3, 4, 5], y: [1, 2, .nan, 3, .infinity, 4])])
        #expect(line.layout().y.domain.upperBound <= 5)
        let elements = try parseXML(line.renderSVG())
        #expect(elements.withClass("marker").count == 4)
        let path = try #require(elements.withClass("series-line").first?.attributes["d"])
        #expect(subpathCount(path) == 3)
        #expect(!path.contains("NaN") && !path.contains("inf"))
        #expect(pathPoints(path).count == 4)
    }

    @Test("empty data renders an empty frame labelled no data")
    func emptyData() throws {
        for series in [[], [LineSeries(name: "x", values: [])], [LineSeries(name: "x", values: [.nan, .nan])]] {
            let elements = try parseXML(chart(series).renderSVG())
            #expect(elements.withClass("no-data").first?.text == "no data")
            #expect(elements.withClass("plot-frame").count == 1)
            #expect(elements.withClass("series-line").isEmpty)
        }
    }

    @Test("series get distinct palette colours and legend entries; text is escaped")
    func legendAndColors() throws {
        let line = chart([
            LineSeries(name: "train <loss>", values: [3, 2, 1]),
            LineSeries(name: "validation & test", values: [3.5, 2.5, 2]),
        ])
        let svg = line.renderSVG()
        #expect(svg.contains("train &lt;loss&gt;") && svg.contains("validation &amp; test"))
        let elements = try parseXML(svg)
        let strokes = elements.withClass("series-line").compactMap { $0.attributes["stroke"] }
        #expect(strokes == [ChartColor.palette[0].hexString, ChartColor.palette[1].hexString])
        #expect(elements.withClass("legend-label").map(\.text) == ["train <loss>", "validation & test"])
    }

    @Test("rendering is deterministic: equal charts give byte-identical SVG")
    func determinism() {
        func make() -> LineChart {
            chart([LineSeries(name: "a", x: [0, 0.1, 0.7], y: [1.0 / 3.0, 2.0 / 3.0, .nan])])
        }
        let first = make().renderSVG()
        #expect(first == make().renderSVG())
        #expect(first == make().renderSVG())
        // Numbers are printed with at most two decimals.
        let decimals = first.split(whereSeparator: { !"0123456789.".contains($0) })
            .compactMap { token in token.split(separator: ".").dropFirst().first?.count }
        #expect(decimals.allSatisfy { $0 <= 2 })
    }

    @Test("a fixed y range clips points outside it to the plot area")
    func fixedRange() throws {
        let line = chart(
            [LineSeries(name: "acc", x: [0, 1, 2], y: [0.5, 1.5, 0.8])],
            yAxis: ChartAxis("acc", range: 0...1))
        #expect(line.layout().y.domain == 0...1)
        let elements = try parseXML(line.renderSVG())
        let clip = try #require(elements.withClass("data").first)
        #expect(clip.attributes["overflow"] == "hidden")
        #expect(
            clip.attributes["viewBox"]
                == [
                    clip.attributes["x"], clip.attributes["y"], clip.attributes["width"],
                    clip.attributes["height"],
                ].compactMap { $0 }.joined(separator: " "))
    }
}

@Suite("ForgeCharts line decimation")
struct LineDecimationTests {
    @Test("decimation keeps each bucket's extremes, the spike, and gaps")
    func decimation() {
        var y = (0..<10_000).map { Double($0 % 100) / 100 }
        y[5_123] = 50
        y[7_000] = .nan
        let series = LineSeries(name: "loss", values: y)
        let thin = series.decimated(maximumPoints: 1_000)
        #expect(thin.points.count <= 1_000 + 500)
        #expect(thin.points.count >= 900)
        #expect(thin.points.contains { $0 == ChartPoint(x: 5_123, y: 50) })
        #expect(thin.points.filter { $0.y.isNaN }.count == 1)
        #expect(thin.points.compactMap { $0.y.isFinite ? $0.y : nil }.min() == 0)
        let xs = thin.points.map(\.x).filter(\.isFinite)
        #expect(xs == xs.sorted(), "points stay in order")
        #expect(series.decimated(maximumPoints: 20_000) == series)
    }
}

@Suite("ForgeCharts marker-only series")
struct MarkerOnlySeriesTests {
    @Test("a series without a line draws one dot per finite point and a marker swatch")
    func markersOnly() throws {
        let chart = LineChart(series: [
            LineSeries(name: "trials", x: [0, 1, 2], y: [3, .nan, 1], drawsLine: false),
            LineSeries(name: "best so far", x: [0, 1, 2], y: [3, 3, 1]),
        ])
        let elements = try parseXML(chart.renderSVG())
        #expect(elements.withClass("dot").count == 2)
        #expect(elements.withClass("series-line").count == 1)
        #expect(elements.withClass("legend").first != nil)
        #expect(elements.named("circle").count == 3, "two dots and the legend swatch")
    }
}
