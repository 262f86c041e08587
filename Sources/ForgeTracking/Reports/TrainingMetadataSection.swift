import ForgeCharts
import Foundation

/// The "Training" section of a run report: who trained and when, data versions, model metrics, summary
/// statistics, the resolved configuration, feature distributions and the evaluation charts.
///
/// Metadata comes from a store, so malformed charts (a non-square confusion matrix, a curve whose x and y
/// counts differ) are reported in a note and skipped rather than trusted.
struct TrainingMetadataSection {
    var metadata: TrainingMetadata

    func add(to document: inout HTMLDocument) {
        document.addHeading("Training")
        var overview: [(key: String, value: String)] = [
            ("trained by", metadata.trainedBy), ("started", ReportFormatting.date(metadata.startTime)),
            ("ended", ReportFormatting.date(metadata.endTime)),
            ("duration", ReportFormatting.duration(from: metadata.startTime, to: metadata.endTime)),
        ]
        if let location = metadata.parametersLocation { overview.append(("learned parameters", location)) }
        for (role, input) in [("training data", metadata.trainingData), ("test data", metadata.testData)] {
            guard let input else { continue }
            overview.append((role, "\(input.name) @ \(ReportFormatting.shortDigest(input.digest))"))
        }
        document.addKeyValueTable(overview)
        addNumberTable("Model metrics", metadata.modelMetrics, to: &document)
        addNumberTable("Summary statistics", metadata.summaryStatistics, to: &document)
        addCharts(to: &document)
        addFeatures(to: &document)
        let configuration = metadata.configuration.flattened().filter { !$0.key.isEmpty }
        if !configuration.isEmpty {
            document.addHeading("Configuration", level: 3)
            document.addKeyValueTable(configuration.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
        }
    }

    private func addNumberTable(_ title: String, _ values: [String: Double], to document: inout HTMLDocument) {
        guard !values.isEmpty else { return }
        document.addHeading(title, level: 3)
        document.addTable(
            HTMLTable(
                headers: ["name", "value"],
                rows: values.sorted { $0.key < $1.key }.map {
                    [HTMLTableCell($0.key), HTMLTableCell(number: $0.value)]
                }))
    }

    private func addCharts(to document: inout HTMLDocument) {
        var figures: [HTMLDocument.Figure] = []
        var problems: [String] = []
        var curves: [CurveData.Kind: [CurveData]] = [:]
        for chart in metadata.charts {
            switch chart {
            case .confusionMatrix(let matrix):
                let size = matrix.labels.count
                guard size > 0, matrix.counts.count == size, matrix.counts.allSatisfy({ $0.count == size }) else {
                    problems.append(
                        "confusion matrix “\(matrix.title)” skipped: counts are \(matrix.counts.count) "
                            + "rows of lengths \(matrix.counts.map(\.count)) for \(size) labels")
                    continue
                }
                figures.append(
                    HTMLDocument.Figure(
                        ConfusionMatrixChart(title: matrix.title, labels: matrix.labels, counts: matrix.counts),
                        caption: "Confusion matrix (\(matrix.title)): true class by row, predicted by column"))
                if size > 1 {
                    figures.append(
                        HTMLDocument.Figure(
                            ConfusionMatrixChart(
                                title: "\(matrix.title), by row", labels: matrix.labels,
                                counts: matrix.counts, normalization: .byRow),
                            caption: "Row-normalized: the diagonal is each class's recall"))
                }
            case .curve(let curve):
                guard curve.x.count == curve.y.count else {
                    problems.append(
                        "curve “\(curve.label)” skipped: \(curve.x.count) x values, \(curve.y.count) y values")
                    continue
                }
                curves[curve.kind, default: []].append(curve)
            }
        }
        if let roc = curves[.roc] {
            figures.append(
                HTMLDocument.Figure(
                    ROCChart(curves: roc.map(Self.classifierCurve), size: ReportFormatting.chartSize),
                    caption: "ROC curves with AUC; the dashed diagonal is chance"))
        }
        if let pr = curves[.precisionRecall] {
            figures.append(
                HTMLDocument.Figure(
                    PrecisionRecallChart(curves: pr.map(Self.classifierCurve), size: ReportFormatting.chartSize),
                    caption: "Precision-recall curves with the area under each"))
        }
        for (kind, title, xTitle, yTitle) in [
            (CurveData.Kind.calibration, "Calibration", "mean predicted probability", "observed frequency"),
            (.other, "Curves", "x", "y"),
        ] {
            guard let group = curves[kind] else { continue }
            let series = group.map { LineSeries(name: $0.label, x: $0.x, y: $0.y) }
            figures.append(
                HTMLDocument.Figure(
                    LineChart(
                        title: title, series: series, xAxis: ChartAxis(xTitle), yAxis: ChartAxis(yTitle),
                        showsMarkers: true, size: ReportFormatting.chartSize),
                    caption: nil))
        }
        guard !figures.isEmpty || !problems.isEmpty else { return }
        document.addHeading("Evaluation", level: 3)
        document.addFigureGrid(figures)
        for problem in problems { document.addNote(problem) }
    }

    private func addFeatures(to document: inout HTMLDocument) {
        let inputs = [metadata.trainingData, metadata.testData].compactMap { $0 }.filter { !$0.features.isEmpty }
        guard !inputs.isEmpty else { return }
        document.addHeading("Feature distributions", level: 3)
        for input in inputs {
            document.addTable(
                HTMLTable(
                    headers: ["feature", "count", "missing", "mean", "std", "min", "max"],
                    rows: input.features.map { feature in
                        [
                            HTMLTableCell(feature.name), HTMLTableCell(number: Double(feature.count)),
                            HTMLTableCell(number: Double(feature.missing)), HTMLTableCell(number: feature.mean),
                            HTMLTableCell(number: feature.standardDeviation), HTMLTableCell(number: feature.minimum),
                            HTMLTableCell(number: feature.maximum),
                        ]
                    },
                    caption: "\(input.name) (\(input.context))"))
            let histograms = input.features.prefix(12).compactMap(Self.histogram)
            document.addFigureGrid(histograms)
        }
    }

    /// A small bar chart of a feature's histogram, when its bins are consistent.
    private static func histogram(_ feature: FeatureDistribution) -> HTMLDocument.Figure? {
        guard !feature.binCounts.isEmpty, feature.binEdges.count == feature.binCounts.count + 1 else { return nil }
        let bars = feature.binCounts.enumerated().map { index, count in
            Bar(label: ChartNumberFormat.string(feature.binEdges[index], significantDigits: 3), value: Double(count))
        }
        let chart = BarChart(
            title: feature.name, bars: bars, valueAxis: ChartAxis("count"), showsValues: false,
            size: ChartSize(width: 280, height: 200))
        return HTMLDocument.Figure(chart, caption: nil)
    }

    private static func classifierCurve(_ curve: CurveData) -> ClassifierCurve {
        ClassifierCurve(name: curve.label, x: curve.x, y: curve.y, area: curve.area)
    }
}
