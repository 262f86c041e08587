import Testing

@testable import ForgeCharts

@Suite("ForgeCharts scatter, bar and colour")
struct OtherChartTests {
    @Test("scatter coloured by value: extremes get the scale's end colours and a colour bar is drawn")
    func scatterColorByValue() throws {
        let chart = ScatterChart(
            title: "trials",
            series: [
                ScatterSeries(name: "trials", x: [1, 2, 3, .nan], y: [4, 5, 6, 7], colorValues: [10, 20, 30, 40])
            ],
            xAxis: ChartAxis("x"), yAxis: ChartAxis("y"), colorTitle: "loss")
        let elements = try parseXML(chart.renderSVG())
        let dots = elements.withClass("dot")
        #expect(dots.count == 3)
        #expect(dots.first?.attributes["fill"] == ColorScale.viridis.color(at: 0).hexString)
        // The finite colour range includes the NaN-x point's value 40, so 30 sits at two thirds.
        #expect(dots.last?.attributes["fill"] == ColorScale.viridis.color(at: 2.0 / 3.0).hexString)
        #expect(elements.withClass("colorbar").count == 1)
        #expect(elements.withClass("colorbar-title").first?.text == "loss")
        let layout = chart.layout()
        let topDot = try #require(dots.last)
        #expect(abs(try #require(topDot.number("cy")) - layout.y.position(of: 6)!) < pixelTolerance)
    }

    @Test("scatter series without values use palette colours and a legend")
    func scatterSeries() throws {
        let chart = ScatterChart(series: [
            ScatterSeries(name: "a", x: [0, 1], y: [0, 1]), ScatterSeries(name: "b", x: [2], y: [2]),
        ])
        let elements = try parseXML(chart.renderSVG())
        #expect(
            elements.withClass("dot").map { $0.attributes["fill"] ?? "" }
                == [ChartColor.palette[0].hexString, ChartColor.palette[0].hexString, ChartColor.palette[1].hexString])
        #expect(elements.withClass("legend-label").map(\.text) == ["a", "b"])
        #expect(elements.withClass("colorbar").isEmpty)
    }

    @Test("horizontal bars have lengths proportional to their values; NaN bars are empty slots")
    func barLengths() throws {
        let chart = BarChart(
            title: "importances",
            bars: [
                Bar(label: "lr", value: 0.8), Bar(label: "layers", value: 0.4), Bar(label: "bad", value: .nan),
                Bar(label: "dropout", value: 0.2),
            ],
            valueAxis: ChartAxis("importance"), orientation: .horizontal)
        let elements = try parseXML(chart.renderSVG())
        let widths = elements.withClass("bar").compactMap { $0.number("width") }
        #expect(widths.count == 3)
        #expect(abs(widths[0] / widths[1] - 2) < 0.01)
        #expect(abs(widths[1] / widths[2] - 2) < 0.01)
        #expect(elements.withClass("bar-label").map(\.text) == ["lr", "layers", "bad", "dropout"])
        let lefts = Set(elements.withClass("bar").compactMap { $0.attributes["x"] })
        #expect(lefts.count == 1, "all bars start at the zero baseline")
    }

    @Test("vertical bars grow up from zero and negative ones down")
    func verticalBars() throws {
        let chart = BarChart(bars: [Bar(label: "up", value: 2), Bar(label: "down", value: -1)])
        let bars = try parseXML(chart.renderSVG()).withClass("bar")
        let up = try #require(bars.first)
        let down = try #require(bars.last)
        let upBottom = try #require(up.number("y")) + (try #require(up.number("height")))
        #expect(abs(upBottom - (try #require(down.number("y")))) < pixelTolerance)
        #expect(abs(try #require(up.number("height")) / (try #require(down.number("height"))) - 2) < 0.01)
        let empty = try parseXML(BarChart(bars: []).renderSVG())
        #expect(empty.withClass("no-data").count == 1)
    }

    @Test("colours: hex strings, luminance, contrast and scale interpolation")
    func colors() {
        #expect(ChartColor(hex: 0x4E79A7).hexString == "#4e79a7")
        #expect(ChartColor.white.relativeLuminance == 1)
        #expect(ChartColor.black.relativeLuminance == 0)
        #expect(abs(ChartColor.white.contrastRatio(with: .black) - 21) < 1e-12)
        #expect(ChartColor(hex: 0x08306B).contrastingTextColor == .white)
        #expect(ChartColor(hex: 0xF7FBFF).contrastingTextColor == .black)
        #expect(ColorScale.viridis.color(at: 0).hexString == "#440154")
        #expect(ColorScale.viridis.color(at: 1).hexString == "#fde725")
        #expect(ColorScale.viridis.color(at: 2).hexString == "#fde725")
        #expect(ColorScale.viridis.color(at: .nan) == .gray)
        let mid = ColorScale(stops: [.black, .white]).color(at: 0.5)
        #expect(mid.hexString == "#808080")
        #expect(ChartColor.series(11) == ChartColor.palette[1])
    }
}
