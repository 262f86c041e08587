import ForgeTracking
import Foundation
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// One parsed element of a report: name, attributes, and its direct text.
struct ReportElement {
    var name: String
    var attributes: [String: String]
    var text: String
    var className: String { attributes["class"] ?? "" }
}

private final class ReportElementCollector: NSObject, XMLParserDelegate {
    var elements: [ReportElement] = []
    private var open: [Int] = []

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        open.append(elements.count)
        elements.append(ReportElement(name: elementName, attributes: attributes, text: ""))
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if let index = open.last { elements[index].text += string }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        open.removeLast()
    }
}

struct ReportNotWellFormed: Error, CustomStringConvertible {
    var description: String
}

/// Parses a report with Foundation's XMLParser (reports are XHTML-compatible), failing when malformed.
func parseReport(_ html: String) throws -> [ReportElement] {
    let parser = XMLParser(data: Data(html.utf8))
    let collector = ReportElementCollector()
    parser.delegate = collector
    guard parser.parse() else {
        throw ReportNotWellFormed(description: "line \(parser.lineNumber): \(String(describing: parser.parserError))")
    }
    return collector.elements
}

/// A store holding one fully logged classifier run, and the run's ID.
func makeReportStore(runs: Int = 1) async throws -> (store: InMemoryTrackingStore, runIDs: [String]) {
    let store = InMemoryTrackingStore()
    let experiment = try await store.createExperiment(named: "digits", tags: [:])
    var ids: [String] = []
    let start = Date(timeIntervalSince1970: 1_795_000_000)
    for index in 0..<runs {
        let info = try await store.createRun(
            RunDraft(
                experimentID: experiment.id, name: "mlp-\(index)", user: "ada", host: "lab-1", source: "forge train",
                gitCommit: "0123abcd", parentRunID: nil, tags: ["team": "vision"], startTime: start))
        let learningRate = [0.001, 0.01, 0.0001][index % 3]
        var params = [
            Param(key: "lr", value: "\(learningRate)"), Param(key: "optimizer", value: "adam"),
            Param(key: "note", value: "<script>alert(1)</script>"),
        ]
        if index == 0 { params.append(Param(key: "dropout", value: "0.1")) }
        var metrics: [Metric] = []
        for step in 0..<50 {
            let loss = 2.0 * exp(-Double(step) / Double(10 + 5 * index)) + 0.05
            metrics.append(
                Metric(
                    key: "loss", value: step == 20 && index == 0 ? .nan : loss, step: step,
                    timestamp: start.addingTimeInterval(Double(step))))
            if step % 10 == 9 {
                metrics.append(
                    Metric(
                        key: "val/accuracy", value: 0.5 + 0.4 * (1 - loss / 2.05) - 0.02 * Double(index),
                        step: step, timestamp: start.addingTimeInterval(Double(step))))
            }
        }
        try await store.logBatch(runID: info.id, metrics: metrics, params: params, tags: ["stage": "dev"])
        let input = DatasetInput(
            name: "digits", digest: "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
            source: "file:///data/digits", context: "training", rowCount: 1797,
            features: [FeatureDistribution(name: "pixel_10", values: (0..<100).map { Double($0 % 17) })])
        try await store.logInputs(runID: info.id, inputs: [input])
        try await store.setTrainingMetadata(
            runID: info.id,
            TrainingMetadata(
                trainedBy: "ada", startTime: start, endTime: start.addingTimeInterval(3725),
                configuration: .object(["optimizer": .object(["name": .string("adam"), "lr": .number(learningRate)])]),
                trainingData: input, modelMetrics: ["test/accuracy": 0.93],
                charts: [
                    .confusionMatrix(
                        ConfusionMatrixData(
                            title: "test set", labels: ["zero", "one", "two"],
                            counts: [[50, 2, 0], [3, 45, 4], [0, 5, 41]])),
                    .confusionMatrix(ConfusionMatrixData(title: "broken", labels: ["a", "b"], counts: [[1, 2, 3]])),
                    .curve(CurveData(kind: .roc, label: "zero", x: [0, 0.1, 1], y: [0, 0.9, 1])),
                    .curve(CurveData(kind: .roc, label: "one", x: [0, 0.2, 1], y: [0, 0.7, 1], area: 0.75)),
                    .curve(CurveData(kind: .precisionRecall, label: "zero", x: [0, 0.5, 1], y: [1, 0.9, 0.4])),
                ],
                parametersLocation: "model.safetensors", summaryStatistics: ["parameters": 101_770]))
        try await store.recordArtifacts(
            runID: info.id,
            [
                ArtifactRecord(path: "model.safetensors", digest: "ab12cd34ef56ab12cd34ef56", size: 407_080),
                ArtifactRecord(path: "config.yaml", digest: "ffeeddccbbaa99887766", size: 532),
            ])
        try await store.updateRun(id: info.id, status: .finished, endTime: start.addingTimeInterval(3725))
        ids.append(info.id)
    }
    return (store, ids)
}
