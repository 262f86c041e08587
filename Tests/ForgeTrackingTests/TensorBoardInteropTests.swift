import Foundation
import Testing

@testable import ForgeTracking

/// The venv Python (`$FORGE_PYTHON`) when it has TensorBoard; nil skips the interop test.
enum TensorBoardPython {
    static var python: String? {
        guard let path = ProcessInfo.processInfo.environment["FORGE_PYTHON"],
            FileManager.default.isExecutableFile(atPath: path)
        else { return nil }
        return path
    }

    static let available: Bool = {
        guard let python else { return false }
        return (try? run(python, ["-c", "import tensorboard.backend.event_processing.event_accumulator"]))?.status == 0
    }()

    static func run(_ program: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["PYTHONWARNINGS"] = "ignore"
        environment["TF_CPP_MIN_LOG_LEVEL"] = "3"
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

@Suite("TensorBoard interop")
struct TensorBoardInteropTests {
    /// Reads every scalar and the hparams session start with TensorBoard's own EventAccumulator; prints JSON.
    static let reader = """
        import json, math, sys
        from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
        from tensorboard.plugins.hparams import plugin_data_pb2
        ea = EventAccumulator(sys.argv[1], size_guidance={"scalars": 0, "tensors": 0})
        ea.Reload()
        out = {"scalars": {}, "hparams": {}, "metrics": [], "status": None}
        for tag in ea.Tags()["scalars"]:
            out["scalars"][tag] = [[e.step, "nan" if math.isnan(e.value) else repr(e.value), repr(e.wall_time)] for e in ea.Scalars(tag)]
        content = ea.PluginTagToContent("hparams")
        for tag, raw in content.items():
            data = plugin_data_pb2.HParamsPluginData.FromString(raw)
            kind = data.WhichOneof("data")
            if kind == "session_start_info":
                for name, value in data.session_start_info.hparams.items():
                    value_kind = value.WhichOneof("kind")
                    out["hparams"][name] = [value_kind, repr(value.number_value) if value_kind == "number_value" else getattr(value, value_kind)]
            elif kind == "experiment":
                out["metrics"] = [m.name.tag for m in data.experiment.metric_infos]
            elif kind == "session_end_info":
                out["status"] = data.session_end_info.status
        print(json.dumps(out))
        """

    @Test("EventAccumulator reads exported metrics and hparams", .enabled(if: TensorBoardPython.available))
    func eventAccumulatorReadsExport() async throws {
        let store = InMemoryTrackingStore()
        let experiment = try await store.createExperiment(named: "tensorboard", tags: [:])
        let info = try await store.createRun(RunDraft(experimentID: experiment.id, name: "export"))
        let start = Date(timeIntervalSince1970: 1_700_000_000)
        var losses: [Metric] = []
        for step in 0..<50 {
            let value = step == 7 ? Double.nan : 2.0 * exp(-Double(step) / 10) + 0.013 * Double(step % 3)
            losses.append(
                Metric(key: "loss", value: value, step: step * 10, timestamp: start.addingTimeInterval(Double(step))))
        }
        let accuracy = (0..<5).map {
            Metric(key: "val/accuracy", value: 0.8 + 0.031 * Double($0), step: $0 * 100, timestamp: start)
        }
        try await store.logBatch(
            runID: info.id, metrics: losses + accuracy,
            params: [
                Param(key: "lr", value: "0.001"), Param(key: "optimizer", value: "adam"),
                Param(key: "nesterov", value: "true"),
            ],
            tags: [:])
        try await store.updateRun(id: info.id, status: .finished, endTime: start.addingTimeInterval(60))

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("forge-tb-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = try await TensorBoardExporter.export(run: info.id, from: store, to: directory)
        #expect(file.deletingLastPathComponent().path == directory.path)

        let script = directory.appendingPathComponent("read.py")
        try Self.reader.write(to: script, atomically: true, encoding: .utf8)
        let python = try #require(TensorBoardPython.python)
        let result = try TensorBoardPython.run(python, [script.path, directory.path])
        try #require(result.status == 0, "EventAccumulator failed: \(result.output)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        let scalars = try #require(json["scalars"] as? [String: [[Any]]])

        for (tag, logged) in [("loss", losses), ("val/accuracy", accuracy)] {
            let read = try #require(scalars[tag], "tag \(tag) missing from \(scalars.keys)")
            #expect(read.map { $0[0] as? Int } == logged.map { $0.step })
            for (entry, metric) in zip(read, logged) {
                if metric.value.isNaN {
                    #expect(entry[1] as? String == "nan")
                } else {
                    // Python prints repr text: JSONSerialization reads JSON numbers as decimals, inexactly.
                    let value = try #require((entry[1] as? String).flatMap(Double.init))
                    #expect(Float(value) == Float(metric.value), "\(tag) step \(metric.step)")
                }
                let wallTime = try #require((entry[2] as? String).flatMap(Double.init))
                #expect(abs(wallTime - metric.timestamp.timeIntervalSince1970) < 1e-6)
            }
        }

        let hparams = try #require(json["hparams"] as? [String: [Any]])
        #expect(hparams["lr"]?.first as? String == "number_value")
        #expect((hparams["lr"]?.last as? String).flatMap(Double.init) == 0.001)
        #expect(hparams["optimizer"]?.last as? String == "adam")
        #expect(hparams["nesterov"]?.first as? String == "bool_value")
        #expect(hparams["nesterov"]?.last as? Bool == true)
        #expect(json["metrics"] as? [String] == ["loss", "val/accuracy"])
        #expect(json["status"] as? Int == 1)  // STATUS_SUCCESS
    }
}
