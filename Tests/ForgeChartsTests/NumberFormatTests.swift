import Testing

@testable import ForgeCharts

@Suite("ForgeCharts number formatting")
struct NumberFormatTests {
    @Test("fixed drops trailing zeros, rounds, and never prints -0")
    func fixed() {
        #expect(ChartNumberFormat.fixed(3.10, fractionDigits: 2) == "3.1")
        #expect(ChartNumberFormat.fixed(2.0, fractionDigits: 2) == "2")
        #expect(ChartNumberFormat.fixed(-0.001, fractionDigits: 2) == "0")
        #expect(ChartNumberFormat.fixed(-12.346, fractionDigits: 2) == "-12.35")
        #expect(ChartNumberFormat.fixed(0.05, fractionDigits: 2) == "0.05")
        #expect(ChartNumberFormat.fixed(1234.5678, fractionDigits: 1) == "1234.6")
        #expect(ChartNumberFormat.fixed(.nan, fractionDigits: 2) == "NaN")
        #expect(ChartNumberFormat.fixed(-.infinity, fractionDigits: 2) == "-inf")
        #expect(ChartNumberFormat.fixed(0.5, fractionDigits: 3, keepsTrailingZeros: true) == "0.500")
        #expect(ChartNumberFormat.fixed(1, fractionDigits: 3, keepsTrailingZeros: true) == "1.000")
        #expect(ChartNumberFormat.fixed(-0.0001, fractionDigits: 2, keepsTrailingZeros: true) == "0.00")
    }

    @Test("significant digits switch to scientific notation outside [1e-4, 1e9)")
    func significant() {
        #expect(ChartNumberFormat.string(0.123456) == "0.1235")
        #expect(ChartNumberFormat.string(123.456) == "123.5")
        #expect(ChartNumberFormat.string(98765.4) == "98765")
        #expect(ChartNumberFormat.string(0) == "0")
        #expect(ChartNumberFormat.string(0.00012345) == "0.0001235")
        #expect(ChartNumberFormat.string(0.000012345) == "1.235e-5")
        #expect(ChartNumberFormat.string(1_234_567_890) == "1.235e9")
        #expect(ChartNumberFormat.string(-2.5e-7, significantDigits: 3) == "-2.5e-7")
        #expect(ChartNumberFormat.scientific(9.9996e-5, significantDigits: 4) == "1e-4")
        #expect(ChartNumberFormat.string(1e-3) == "0.001")
    }

    @Test("log10Floor is exact at powers of ten")
    func log10Floor() {
        #expect(1e-3.log10Floor == -3)
        #expect(1000.0.log10Floor == 3)
        #expect(999.999.log10Floor == 2)
        #expect(0.3.log10Floor == -1)
    }

    @Test("XML escaping replaces markup characters and drops forbidden control characters")
    func escaping() {
        #expect(
            escapeXML("<a href='x'>\"Tom\" & Jerry</a>")
                == "&lt;a href=&#39;x&#39;&gt;&quot;Tom&quot; &amp; Jerry&lt;/a&gt;")
        #expect(escapeXML("tab\there\u{0}\u{1B}") == "tab\there")
        #expect(escapeXML("plain ünïcode") == "plain ünïcode")
    }
}
