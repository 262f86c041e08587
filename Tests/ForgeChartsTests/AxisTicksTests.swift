import Testing

@testable import ForgeCharts

@Suite("ForgeCharts axis ticks and mappings")
struct AxisTicksTests {
    @Test("linear ticks are multiples of 1, 2 or 5 × 10^k and print exactly")
    func linearTicks() {
        #expect(AxisTicks.linear(from: 0, to: 1, count: 5) == [0, 0.2, 0.4, 0.6, 0.8, 1])
        #expect(AxisTicks.linear(from: 0, to: 100, count: 5) == [0, 20, 40, 60, 80, 100])
        #expect(AxisTicks.linear(from: -3.7, to: 12.2, count: 5) == [0, 5, 10])
        #expect(AxisTicks.linear(from: 0.001, to: 0.0047, count: 4) == [0.001, 0.002, 0.003, 0.004])
        #expect(AxisTicks.linear(from: 2, to: 2, count: 5) == [2])
        #expect(AxisTicks.linear(from: .nan, to: 1, count: 5).isEmpty)
        let step = AxisTicks.step(from: 0, to: 8, count: 5)
        #expect(step == AxisTicks.Step(mantissa: 2, exponent: 0))
        #expect(AxisTicks.step(from: 0, to: 7, count: 5) == AxisTicks.Step(mantissa: 1, exponent: 0))
        #expect(AxisTicks.step(from: 0, to: 0.035, count: 5) == AxisTicks.Step(mantissa: 5, exponent: -3))
        #expect(AxisTicks.step(from: 0, to: 750, count: 10) == AxisTicks.Step(mantissa: 1, exponent: 2))
    }

    @Test("nice domains widen outwards to the tick step")
    func niceDomain() {
        #expect(AxisTicks.niceDomain(-3.7...12.2, count: 5) == -5...15)
        #expect(AxisTicks.niceDomain(0.13...0.87, count: 5) == 0...1)
        #expect(AxisTicks.niceDomain(0...10, count: 5) == 0...10)
        #expect(AxisTicks.niceLogarithmicDomain(0.003...420) == 0.001...1000)
        #expect(AxisTicks.niceLogarithmicDomain(1...100) == 1...100)
    }

    @Test("log ticks are powers of ten, with 2× and 5× on short ranges, thinned on long ones")
    func logTicks() {
        #expect(AxisTicks.logarithmic(from: 0.001, to: 10) == [0.001, 0.01, 0.1, 1, 10])
        #expect(AxisTicks.logarithmic(from: 1, to: 100) == [1, 2, 5, 10, 20, 50, 100])
        let wide = AxisTicks.logarithmic(from: 1e-12, to: 1e12)
        #expect(wide.count <= 13 && wide.count >= 8)
        #expect(wide.first == 1e-12)
        #expect(AxisTicks.logarithmic(from: 0, to: 10).isEmpty)
    }

    @Test("tick labels share the decimals their step needs")
    func labels() {
        #expect(AxisTicks.labels(for: [0, 0.5, 1, 1.5], scale: .linear) == ["0", "0.5", "1", "1.5"])
        #expect(AxisTicks.labels(for: [0, 20, 40], scale: .linear) == ["0", "20", "40"])
        #expect(AxisTicks.labels(for: [0.001, 0.01, 0.1, 1], scale: .logarithmic) == ["0.001", "0.01", "0.1", "1"])
        #expect(AxisTicks.labels(for: [0, 2e-6, 4e-6], scale: .linear) == ["0", "2e-6", "4e-6"])
        #expect(AxisTicks.labels(for: [1e-5, 1e-4], scale: .logarithmic) == ["1e-5", "0.0001"])
    }

    @Test("linear and logarithmic mappings put bounds at the ends and ratios at equal distances")
    func mappings() throws {
        let linear = ScaleMapping(domain: 0...10, start: 100, end: 300, scale: .linear)
        #expect(linear.position(of: 0) == 100)
        #expect(linear.position(of: 10) == 300)
        #expect(linear.position(of: 2.5) == 150)
        #expect(linear.position(of: .nan) == nil)
        #expect(linear.position(of: .infinity) == nil)
        let log = ScaleMapping(domain: 1...1000, start: 400, end: 100, scale: .logarithmic)
        #expect(abs(try #require(log.position(of: 10)) - 300) < 1e-9)
        #expect(abs(try #require(log.position(of: 100)) - 200) < 1e-9)
        #expect(log.position(of: 0) == nil)
        #expect(log.position(of: -5) == nil)
    }

    @Test("axes fit data, fall back for empty or constant data, and honour fixed ranges")
    func resolvedDomains() {
        let axis = ChartAxis("x")
        #expect(axis.resolvedDomain(for: [0.13, .nan, 0.87, .infinity], tickCount: 5) == 0...1)
        #expect(axis.resolvedDomain(for: [], tickCount: 5) == 0...1)
        #expect(axis.resolvedDomain(for: [.nan], tickCount: 5) == 0...1)
        let constant = axis.resolvedDomain(for: [5, 5], tickCount: 5)
        #expect(constant.contains(5) && constant.lowerBound < 5 && constant.upperBound > 5)
        #expect(ChartAxis("x", range: 2...3).resolvedDomain(for: [0, 100], tickCount: 5) == 2...3)
        let log = ChartAxis("loss", scale: .logarithmic)
        #expect(log.resolvedDomain(for: [0, -1, 0.02, 3], tickCount: 5) == 0.01...10)
        #expect(log.resolvedDomain(for: [0, -1], tickCount: 5) == 1...10)
    }
}

@Suite("ForgeCharts extreme inputs")
struct ExtremeInputTests {
    @Test("values near the Double limits and huge counts render without trapping")
    func extremes() throws {
        #expect(AxisTicks.linear(from: -1e308, to: 1e308, count: 5).isEmpty)
        #expect(AxisTicks.niceDomain(-1e308...1e308, count: 5) == -1e308...1e308)
        let huge = AxisTicks.linear(from: 1e300, to: 3e300, count: 4)
        #expect(huge.count == 5)
        #expect(abs(huge[1] / 1.5e300 - 1) < 1e-12)
        let line = LineChart(series: [
            LineSeries(name: "x", x: [0, 1, 2], y: [-1e308, 1e308, .greatestFiniteMagnitude])
        ])
        _ = try parseXML(line.renderSVG())
        _ = try parseXML(BarChart(bars: [Bar(label: "a", value: 1e308), Bar(label: "b", value: -1e308)]).renderSVG())
        let counts = [[Int.max, Int.max], [1, 0]]
        let matrix = ConfusionMatrixChart(labels: ["a", "b"], counts: counts, normalization: .byRow)
        #expect(matrix.cellValue(row: 0, column: 0) == 0.5)
        _ = try parseXML(matrix.renderSVG())
        let big = ConfusionMatrixChart(
            labels: (0..<100).map(String.init),
            counts: (0..<100).map { row in
                (0..<100).map { $0 == row ? 10 : 0 }
            })
        let elements = try parseXML(big.renderSVG())
        let width = try #require(elements.first?.number("width"))
        #expect(width < 1_500)
        #expect(elements.withClass("cell").count == 10_000)
    }
}
