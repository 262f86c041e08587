import Foundation
import Testing

@testable import ForgeTraining

/// The Python for the live cross-checks: `FORGE_PYTHON` with scikit-learn and PyYAML
/// (`FORGE_WITH_PYTHON=1 scripts/setup.sh` installs them). Skipped when unset; CI always sets it.
enum CrossCheckPython {
    static let path: String? = ProcessInfo.processInfo.environment["FORGE_PYTHON"].flatMap { $0.isEmpty ? nil : $0 }
    static var isAvailable: Bool { path != nil }

    /// Runs `script` with a JSON input file and returns its standard output parsed as a JSON object.
    static func run(_ script: String, input: some Encodable) throws -> [String: Any] {
        let python = try #require(path)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "forge-sklearn-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let inputURL = directory.appendingPathComponent("input.json")
        let outputURL = directory.appendingPathComponent("stdout.txt")
        let errorURL = directory.appendingPathComponent("stderr.txt")
        try JSONEncoder().encode(input).write(to: inputURL)
        for url in [outputURL, errorURL] {
            try #require(FileManager.default.createFile(atPath: url.path, contents: nil))
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", script, inputURL.path]
        // Files, not pipes: a full pipe cannot block the child while we wait.
        process.standardOutput = try FileHandle(forWritingTo: outputURL)
        process.standardError = try FileHandle(forWritingTo: errorURL)
        try process.run()
        process.waitUntilExit()
        let errors = String(decoding: try Data(contentsOf: errorURL), as: UTF8.self)
        try #require(process.terminationStatus == 0, "python exited with \(process.terminationStatus):\n\(errors)")
        let json = try JSONSerialization.jsonObject(with: try Data(contentsOf: outputURL))
        return try #require(json as? [String: Any], "python printed no JSON object")
    }
}

/// SplitMix64: a small seeded generator so the random inputs are the same on every run.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite("scikit-learn cross-check (live)", .enabled(if: CrossCheckPython.isAvailable, "FORGE_PYTHON is not set"))
struct ScikitLearnCrossCheckTests {
    struct Input: Codable {
        var probabilities: [[Double]]
        var labels: [Int]
        var binaryScores: [Double]
        var binaryLabels: [Int]
        var predictions: [Double]
        var targets: [Double]
    }

    static func makeInput() -> Input {
        var generator = SplitMix64(state: 2026)
        let count = 300
        let classCount = 4
        var probabilities: [[Double]] = []
        var labels: [Int] = []
        for _ in 0..<count {
            let label = Int.random(in: 0..<classCount, using: &generator)
            let logits = (0..<classCount).map { Double.random(in: -2...2, using: &generator) + ($0 == label ? 1.2 : 0) }
            let exponentials = logits.map { exp($0) }
            let sum = exponentials.reduce(0, +)
            probabilities.append(exponentials.map { $0 / sum })
            labels.append(label)
        }
        // Scores rounded to one decimal: many ties, the case the curve code must group.
        let binaryLabels = (0..<count).map { _ in Int.random(in: 0...1, using: &generator) }
        let binaryScores = binaryLabels.map { label in
            (min(max(Double.random(in: 0...1, using: &generator) * 0.8 + Double(label) * 0.2, 0), 1) * 10).rounded()
                / 10
        }
        let targets = (0..<count).map { _ in Double.random(in: -5...5, using: &generator) }
        let predictions = targets.map { $0 + Double.random(in: -1...1, using: &generator) }
        return Input(
            probabilities: probabilities, labels: labels, binaryScores: binaryScores, binaryLabels: binaryLabels,
            predictions: predictions, targets: targets)
    }

    static let script = """
        import json, sys
        import numpy as np
        from sklearn import metrics as M
        from sklearn.calibration import calibration_curve
        from sklearn.preprocessing import label_binarize
        d = json.load(open(sys.argv[1]))
        P = np.array(d["probabilities"]); y = np.array(d["labels"]); yp = P.argmax(1)
        s = np.array(d["binaryScores"]); yb = np.array(d["binaryLabels"])
        out = {"accuracy": M.accuracy_score(y, yp), "top2": M.top_k_accuracy_score(y, P, k=2),
               "confusion": M.confusion_matrix(y, yp).tolist(), "log_loss": M.log_loss(y, P),
               "auc_macro": M.roc_auc_score(y, P, multi_class="ovr", average="macro"),
               "auc_weighted": M.roc_auc_score(y, P, multi_class="ovr", average="weighted"),
               "ap_macro": M.average_precision_score(label_binarize(y, classes=[0, 1, 2, 3]), P, average="macro"),
               "ap_weighted": M.average_precision_score(label_binarize(y, classes=[0, 1, 2, 3]), P, average="weighted"),
               "binary_auc": M.roc_auc_score(yb, s), "binary_ap": M.average_precision_score(yb, s)}
        for avg in ["macro", "micro", "weighted"]:
            out[avg] = [float(v) for v in M.precision_recall_fscore_support(y, yp, average=avg)[:3]]
        out["per_class"] = [v.tolist() for v in M.precision_recall_fscore_support(y, yp)[:3]]
        fpr, tpr, _ = M.roc_curve(yb, s, drop_intermediate=False)
        out["roc"] = [fpr.tolist(), tpr.tolist()]
        prob_true, prob_pred = calibration_curve(yb, s, n_bins=10)
        out["calibration"] = [prob_true.tolist(), prob_pred.tolist()]
        p, t = np.array(d["predictions"]), np.array(d["targets"])
        out["regression"] = [M.mean_squared_error(t, p), M.root_mean_squared_error(t, p),
                             M.mean_absolute_error(t, p), M.r2_score(t, p)]
        print(json.dumps(out))
        """

    @Test("300 random examples: every metric agrees with scikit-learn to 1e-10")
    func agrees() throws {
        let input = Self.makeInput()
        let reference = try CrossCheckPython.run(Self.script, input: input)
        func number(_ key: String) throws -> Double { try #require(reference[key] as? Double, "missing \(key)") }
        func close(_ value: Double, _ key: String) throws {
            let expected = try number(key)
            #expect(abs(value - expected) < 1e-10, "\(key): Forge \(value), scikit-learn \(expected)")
        }
        let P = input.probabilities
        let y = input.labels
        let predictions = try ScoreTable(rows: P, metric: "test").argmax()
        try close(try Metrics.accuracy(predictions: predictions, labels: y), "accuracy")
        try close(try Metrics.topKAccuracy(scores: P, labels: y, k: 2), "top2")
        try close(try Metrics.logLoss(probabilities: P, labels: y), "log_loss")
        try close(try Metrics.rocAUC(scores: P, labels: y), "auc_macro")
        try close(try Metrics.rocAUC(scores: P, labels: y, average: .weighted), "auc_weighted")
        try close(try Metrics.averagePrecision(scores: P, labels: y), "ap_macro")
        try close(try Metrics.averagePrecision(scores: P, labels: y, average: .weighted), "ap_weighted")
        try close(try Metrics.rocAUC(scores: input.binaryScores, labels: input.binaryLabels), "binary_auc")
        try close(try Metrics.averagePrecision(scores: input.binaryScores, labels: input.binaryLabels), "binary_ap")

        let matrix = try Metrics.confusionMatrix(predictions: predictions, labels: y, classCount: 4)
        #expect(matrix.counts == (reference["confusion"] as? [[Int]]))
        let report = ClassificationReport(matrix: matrix)
        for (name, scores) in [("macro", report.macro), ("micro", report.micro), ("weighted", report.weighted)] {
            let expected = try #require(reference[name] as? [Double])
            #expect(abs(scores.precision - expected[0]) < 1e-10 && abs(scores.recall - expected[1]) < 1e-10, "\(name)")
            #expect(abs(scores.f1 - expected[2]) < 1e-10, "\(name) F1")
        }
        let perClass = try #require(reference["per_class"] as? [[Double]])
        for index in 0..<4 {
            #expect(abs(report.perClass[index].precision - perClass[0][index]) < 1e-10)
            #expect(abs(report.perClass[index].recall - perClass[1][index]) < 1e-10)
            #expect(abs(report.perClass[index].f1 - perClass[2][index]) < 1e-10)
        }

        let roc = try Metrics.rocCurve(scores: input.binaryScores, labels: input.binaryLabels)
        let referenceROC = try #require(reference["roc"] as? [[Double]])
        #expect(
            roc.points.count == referenceROC[0].count, "Forge \(roc.points.map(\.x)) scikit-learn \(referenceROC[0])")
        for (point, (x, y)) in zip(roc.points, zip(referenceROC[0], referenceROC[1])) {
            #expect(abs(point.x - x) < 1e-12 && abs(point.y - y) < 1e-12)
        }

        let calibration = try Metrics.calibration(
            positiveProbabilities: input.binaryScores, labels: input.binaryLabels, binCount: 10)
        let referenceCalibration = try #require(reference["calibration"] as? [[Double]])
        let nonEmpty = calibration.bins.filter { $0.count > 0 }
        #expect(nonEmpty.count == referenceCalibration[0].count)
        for (bin, (observed, confidence)) in zip(nonEmpty, zip(referenceCalibration[0], referenceCalibration[1])) {
            #expect(abs(bin.observedFrequency - observed) < 1e-10 && abs(bin.meanConfidence - confidence) < 1e-10)
        }

        let regression = try Metrics.regression(predictions: input.predictions, targets: input.targets)
        let referenceRegression = try #require(reference["regression"] as? [Double])
        let values = [
            regression.meanSquaredError, regression.rootMeanSquaredError, regression.meanAbsoluteError,
            regression.rSquared,
        ]
        for (value, expected) in zip(values, referenceRegression) { #expect(abs(value - expected) < 1e-10) }
    }

    @Test("PyYAML reads a configuration dump as the same tree")
    func yamlDumpReadsInPython() throws {
        let value: ConfigurationValue = [
            "optimizer": ["name": "adam", "lr": 0.0003, "betas": [0.9, 0.999]],
            "model": ["hidden": [128, 64], "activation": "relu", "extra": .emptyMapping],
            "strings": ["yes", "no", "on", "10", "1e3", "null", "true", "a: b", "#x", "", "multi\nline"],
            "seed": 7, "resume": .null, "debug": false,
        ]
        struct Dump: Codable { var yaml: String }
        let script = """
            import json, sys, yaml
            print(json.dumps({"tree": yaml.safe_load(json.load(open(sys.argv[1]))["yaml"])}))
            """
        let reference = try CrossCheckPython.run(script, input: Dump(yaml: try value.yamlString()))
        let tree = try #require(reference["tree"] as? [String: Any])
        let strings = try #require(tree["strings"] as? [String])
        #expect(strings == ["yes", "no", "on", "10", "1e3", "null", "true", "a: b", "#x", "", "multi\nline"])
        #expect((tree["optimizer"] as? [String: Any])?["lr"] as? Double == 0.0003)
        #expect((tree["model"] as? [String: Any])?["hidden"] as? [Int] == [128, 64])
        #expect(tree["seed"] as? Int == 7 && tree["resume"] is NSNull && tree["debug"] as? Bool == false)
    }
}
