/// One classifier curve: a ROC curve (false-positive rate → true-positive rate) or a precision-recall curve
/// (recall → precision), usually one per class or per model.
public struct ClassifierCurve: Sendable, Hashable {
    /// The name in the legend (a class or model).
    public var name: String
    /// The curve's points in drawing order: (FPR, TPR) for ROC, (recall, precision) for PR.
    public var points: [ChartPoint]
    /// The area under the curve, or nil to compute it by the trapezoidal rule over the finite points.
    public var area: Double?

    /// Creates a curve.
    /// - Parameters:
    ///   - name: The legend name.
    ///   - x: False-positive rates (ROC) or recalls (PR).
    ///   - y: True-positive rates (ROC) or precisions (PR).
    ///   - area: The AUC (or average precision) if already known; nil computes the trapezoidal area.
    public init(name: String, x: [Double], y: [Double], area: Double? = nil) {
        self.name = name
        self.points = zipPoints(x: x, y: y, operation: "ClassifierCurve \"\(name)\"")
        self.area = area
    }

    /// The area shown in the legend: the given one, or the trapezoidal area under the finite points sorted by x.
    public var areaUnderCurve: Double {
        if let area { return area }
        let finite = points.filter { $0.x.isFinite && $0.y.isFinite }
            .sorted { $0.x == $1.x ? $0.y < $1.y : $0.x < $1.x }
        var total = 0.0
        for (a, b) in zip(finite, finite.dropFirst()) {
            total += (b.x - a.x) * (a.y + b.y) / 2
        }
        return total
    }
}

/// A ROC chart: one curve per class or model, the chance diagonal, and each curve's AUC in the legend.
///
/// ```swift
/// let roc = ROCChart(curves: [ClassifierCurve(name: "digit 3", x: fpr, y: tpr)])
/// ```
public struct ROCChart: Chart, Hashable {
    /// The title; nil for none.
    public var title: String?
    /// The curves.
    public var curves: [ClassifierCurve]
    /// The size of the SVG.
    public var size: ChartSize

    /// Creates a ROC chart.
    public init(title: String? = "ROC curve", curves: [ClassifierCurve], size: ChartSize = .standard) {
        self.title = title
        self.curves = curves
        self.size = size
    }

    /// Where the plot area is and how rates map to pixels (both axes fixed to 0...1).
    public func layout() -> CartesianLayout {
        renderer().layout()
    }

    /// The SVG document.
    public func renderSVG() -> String {
        renderer().render()
    }

    private func renderer() -> CartesianRenderer {
        let reference = ChartPoint(x: 0, y: 0)
        return classifierCurveRenderer(
            title: title, size: size, curves: curves,
            xAxis: ChartAxis("false positive rate", range: 0...1), yAxis: ChartAxis("true positive rate", range: 0...1),
            reference: [reference, ChartPoint(x: 1, y: 1)], referenceLabel: "chance (AUC 0.5)")
    }
}

/// A precision-recall chart: one curve per class or model, the no-skill baseline (the positive rate), and
/// each curve's area in the legend.
///
/// ```swift
/// let pr = PrecisionRecallChart(curves: [ClassifierCurve(name: "spam", x: recall, y: precision)], baseline: 0.2)
/// ```
public struct PrecisionRecallChart: Chart, Hashable {
    /// The title; nil for none.
    public var title: String?
    /// The curves.
    public var curves: [ClassifierCurve]
    /// The precision of a classifier without skill (the fraction of positives), or nil for no baseline.
    public var baseline: Double?
    /// The size of the SVG.
    public var size: ChartSize

    /// Creates a precision-recall chart.
    public init(
        title: String? = "Precision-recall curve", curves: [ClassifierCurve], baseline: Double? = nil,
        size: ChartSize = .standard
    ) {
        self.title = title
        self.curves = curves
        self.baseline = baseline
        self.size = size
    }

    /// Where the plot area is and how recall and precision map to pixels (both axes fixed to 0...1).
    public func layout() -> CartesianLayout {
        renderer().layout()
    }

    /// The SVG document.
    public func renderSVG() -> String {
        renderer().render()
    }

    private func renderer() -> CartesianRenderer {
        var reference: [ChartPoint] = []
        var label = ""
        if let baseline, baseline.isFinite {
            reference = [ChartPoint(x: 0, y: baseline), ChartPoint(x: 1, y: baseline)]
            label = "baseline (\(ChartNumberFormat.string(baseline, significantDigits: 3)))"
        }
        return classifierCurveRenderer(
            title: title, size: size, curves: curves,
            xAxis: ChartAxis("recall", range: 0...1), yAxis: ChartAxis("precision", range: 0...1),
            reference: reference, referenceLabel: label)
    }
}

/// The shared drawing of ROC and PR charts.
private func classifierCurveRenderer(
    title: String?, size: ChartSize, curves: [ClassifierCurve], xAxis: ChartAxis, yAxis: ChartAxis,
    reference: [ChartPoint], referenceLabel: String
) -> CartesianRenderer {
    var layers: [CartesianRenderer.Layer] = []
    var legend: [LegendEntry] = []
    if !reference.isEmpty {
        layers.append(.line(points: reference, color: .gray, width: 1.2, dashed: true, markers: false))
        legend.append(LegendEntry(label: referenceLabel, color: .gray, swatch: .line(dashed: true)))
    }
    var hasData = false
    for (index, curve) in curves.enumerated() {
        let color = ChartColor.series(index)
        layers.append(.line(points: curve.points, color: color, width: 2, dashed: false, markers: false))
        let area = ChartNumberFormat.fixed(curve.areaUnderCurve, fractionDigits: 3, keepsTrailingZeros: true)
        legend.append(LegendEntry(label: "\(curve.name) (AUC \(area))", color: color, swatch: .line(dashed: false)))
        hasData = hasData || curve.points.contains { $0.x.isFinite && $0.y.isFinite }
    }
    return CartesianRenderer(
        title: title, size: size, xAxis: xAxis, yAxis: yAxis, layers: layers, legend: legend, colorBar: nil,
        hasData: hasData)
}
