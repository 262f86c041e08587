/// A vertical colour bar explaining a colour scale, drawn as stacked bands (no gradient ids, so several
/// charts can share one HTML page).
struct ColorBar {
    var title: String
    var scale: ColorScale
    var range: ClosedRange<Double>

    static let bandCount = 48
    static let barWidth = 14.0

    /// The width the bar, its tick labels and title need.
    var width: Double { 74 }

    /// Draws the bar in the rectangle starting at `x` between `top` and `bottom`.
    func draw(x: Double, top: Double, bottom: Double, into svg: inout SVGBuilder) {
        svg.open("g", [("class", "colorbar")])
        let barLeft = x + 10
        let height = bottom - top
        let band = height / Double(Self.bandCount)
        for index in 0..<Self.bandCount {
            // Band 0 is at the bottom (the low end of the scale).
            let fraction = (Double(index) + 0.5) / Double(Self.bandCount)
            svg.rect(
                x: barLeft, y: bottom - Double(index + 1) * band, width: Self.barWidth, height: band + 0.5,
                fill: scale.color(at: fraction).hexString)
        }
        svg.rect(x: barLeft, y: top, width: Self.barWidth, height: height, fill: "none", stroke: "#666666")
        let mapping = ScaleMapping(domain: range, start: bottom, end: top, scale: .linear)
        let ticks =
            range.upperBound > range.lowerBound
            ? AxisTicks.linear(from: range.lowerBound, to: range.upperBound, count: max(2, Int(height / 40)))
            : [range.lowerBound]
        let labels = AxisTicks.labels(for: ticks, scale: .linear)
        for (tick, label) in zip(ticks, labels) {
            guard let y = mapping.position(of: tick) else { continue }
            svg.line(x1: barLeft + Self.barWidth, y1: y, x2: barLeft + Self.barWidth + 4, y2: y, stroke: "#666666")
            svg.text(label, x: barLeft + Self.barWidth + 6, y: y + 4, size: 10, fill: "#444444")
        }
        if !title.isEmpty {
            let centerY = (top + bottom) / 2
            svg.text(
                truncated(title, to: 40), x: x + 4, y: centerY, anchor: "middle", size: 11,
                rotation: -90, className: "colorbar-title")
        }
        svg.close("g")
    }
}
