import ForgeTracking
import Foundation

extension TrackingStoreConformance {
    static let loggingCases: [ConformanceCase] = [
        ConformanceCase("a batch stores metrics, params and tags; latest metrics follow the highest step") { store in
            let run = try await Fixture.run(store, "batch")
            try await store.logBatch(
                runID: run.id,
                metrics: [
                    Metric(key: "loss", value: 0.9, step: 0, timestamp: Fixture.time(0)),
                    Metric(key: "loss", value: 0.5, step: 2, timestamp: Fixture.time(20)),
                    Metric(key: "loss", value: 0.7, step: 1, timestamp: Fixture.time(10)),
                    Metric(key: "val/accuracy", value: 0.8, step: 2, timestamp: Fixture.time(20)),
                ],
                params: [Param(key: "optimizer", value: "adam"), Param(key: "lr", value: "0.001")],
                tags: ["team": "vision"])
            try await store.logBatch(
                runID: run.id, metrics: [Metric(key: "loss", value: 0.6, step: 1, timestamp: Fixture.time(30))],
                params: [], tags: ["team": "nlp", "note": "second batch"])
            let stored = try await store.run(id: run.id)
            try Check.equal(stored.params, ["optimizer": "adam", "lr": "0.001"], "params")
            try Check.equal(stored.tags["team"], "nlp", "a tag set again takes the later value")
            try Check.equal(stored.tags["note"], "second batch", "tag from the second batch")
            try Check.sameMetrics(
                [stored.latestMetrics["loss"], stored.latestMetrics["val/accuracy"]].compactMap { $0 },
                [
                    Metric(key: "loss", value: 0.5, step: 2, timestamp: Fixture.time(20)),
                    Metric(key: "val/accuracy", value: 0.8, step: 2, timestamp: Fixture.time(20)),
                ], "latest metrics (a later timestamp at a lower step does not win)")
            try Check.equal(stored.latestMetrics.count, 2, "latest metric keys")
            let summary = try await store.metricSummaries(runID: run.id)["loss"]
            try Check.equal(summary?.minimum, 0.5, "minimum of loss")
            try Check.equal(summary?.maximum, 0.9, "maximum of loss")
            try Check.equal(summary?.count, 4, "values of loss")
        },
        ConformanceCase("metric histories are ordered by step, then timestamp") { store in
            let run = try await Fixture.run(store, "history")
            let logged = [
                Metric(key: "x", value: 3, step: 3, timestamp: Fixture.time(3)),
                Metric(key: "x", value: 1, step: 1, timestamp: Fixture.time(5)),
                Metric(key: "x", value: 0.5, step: 1, timestamp: Fixture.time(4)),
                Metric(key: "x", value: 0, step: 0, timestamp: Fixture.time(9)),
                Metric(key: "y", value: 42, step: 0, timestamp: Fixture.time(0)),
            ]
            try await store.logBatch(runID: run.id, metrics: Array(logged.prefix(2)), params: [], tags: [:])
            try await store.logBatch(runID: run.id, metrics: Array(logged.dropFirst(2)), params: [], tags: [:])
            let history = try await store.metricHistory(runID: run.id, key: "x")
            try Check.sameMetrics(history, [logged[3], logged[2], logged[1], logged[0]], "history of x")
            try Check.equal(
                try await store.metricHistory(runID: run.id, key: "absent").count, 0, "history of an unlogged key")
            var many: [Metric] = []
            for step in 0..<1000 {
                many.append(Metric(key: "z", value: Double(step) / 7, step: step, timestamp: Fixture.time(step)))
            }
            try await store.logBatch(runID: run.id, metrics: many.reversed(), params: [], tags: [:])
            try Check.sameMetrics(try await store.metricHistory(runID: run.id, key: "z"), many, "a 1000-metric batch")
        },
        ConformanceCase("NaN metric values are stored and read back as NaN") { store in
            let run = try await Fixture.run(store, "nan")
            try await store.logBatch(
                runID: run.id,
                metrics: [
                    Metric(key: "loss", value: 0.25, step: 0, timestamp: Fixture.time(0)),
                    Metric(key: "loss", value: .nan, step: 1, timestamp: Fixture.time(1)),
                    Metric(key: "loss", value: 0, step: 2, timestamp: Fixture.time(2)),
                    Metric(key: "diverged", value: .nan, step: 5, timestamp: Fixture.time(5)),
                ], params: [], tags: [:])
            let history = try await store.metricHistory(runID: run.id, key: "loss")
            try Check.equal(history.map(\.value.isNaN), [false, true, false], "NaN flags of the loss history")
            try Check.equal(history.first?.value, 0.25, "first loss")
            try Check.equal(history.last?.value, 0, "zero is not confused with NaN")
            let stored = try await store.run(id: run.id)
            try Check.that(
                stored.latestMetrics["diverged"]?.value.isNaN == true,
                "latest NaN metric reads back as \(String(describing: stored.latestMetrics["diverged"]))")
            try Check.equal(stored.latestMetrics["loss"]?.value, 0, "latest loss")
        },
        ConformanceCase("params are immutable and a conflicting batch stores nothing") { store in
            let run = try await Fixture.run(store, "params")
            try await store.logBatch(runID: run.id, metrics: [], params: [Param(key: "lr", value: "0.01")], tags: [:])
            try await store.logParam(runID: run.id, key: "lr", value: "0.01")  // same value: a no-op
            try await Check.throwsError(
                "changing param lr",
                accept: { error in
                    if case TrackingError.parameterChanged(_, let key, let old, let new) = error {
                        return key == "lr" && old == "0.01" && new == "0.1"
                    }
                    return false
                }
            ) {
                try await store.logBatch(
                    runID: run.id, metrics: [Metric(key: "m", value: 1, step: 0, timestamp: Fixture.time(0))],
                    params: [Param(key: "fresh", value: "x"), Param(key: "lr", value: "0.1")], tags: ["t": "v"])
            }
            let stored = try await store.run(id: run.id)
            try Check.equal(stored.params, ["lr": "0.01"], "params after the rejected batch")
            try Check.equal(stored.tags["t"], nil, "tag of the rejected batch")
            try Check.that(stored.latestMetrics["m"] == nil, "metric of the rejected batch was stored")
            try Check.equal(
                try await store.metricHistory(runID: run.id, key: "m").count, 0, "history of the rejected metric")
        },
        ConformanceCase("invalid keys and values are rejected with errors and store nothing") { store in
            let run = try await Fixture.run(store, "invalid")
            let good = Metric(key: "ok", value: 1, step: 0, timestamp: Fixture.time(0))
            try await Check.throwsError("an infinite metric", accept: Expected.invalidValue) {
                try await store.logBatch(
                    runID: run.id, metrics: [good, Metric(key: "bad", value: .infinity)], params: [], tags: [:])
            }
            try await Check.throwsError("a negative step", accept: Expected.invalidValue) {
                try await store.logBatch(
                    runID: run.id, metrics: [Metric(key: "bad", value: 1, step: -1)], params: [], tags: [:])
            }
            try await Check.throwsError("a key with \"!\"", accept: Expected.invalidKey) {
                try await store.logBatch(
                    runID: run.id, metrics: [good, Metric(key: "bad!", value: 1)], params: [], tags: [:])
            }
            try await Check.throwsError("an empty param key", accept: Expected.invalidKey) {
                try await store.logBatch(runID: run.id, metrics: [], params: [Param(key: "", value: "v")], tags: [:])
            }
            try await Check.throwsError("a 251-byte key", accept: Expected.invalidKey) {
                try await store.logBatch(
                    runID: run.id, metrics: [], params: [], tags: [String(repeating: "k", count: 251): "v"])
            }
            try await Check.throwsError("a 6001-byte param value", accept: Expected.invalidValue) {
                try await store.logBatch(
                    runID: run.id, metrics: [], params: [Param(key: "p", value: String(repeating: "v", count: 6001))],
                    tags: [:])
            }
            try await Check.throwsError("an 8001-byte tag value", accept: Expected.invalidValue) {
                try await store.logBatch(
                    runID: run.id, metrics: [], params: [], tags: ["t": String(repeating: "v", count: 8001)])
            }
            try await Check.throwsError("a param given twice with two values", accept: Expected.invalidValue) {
                try await store.logBatch(
                    runID: run.id, metrics: [], params: [Param(key: "p", value: "1"), Param(key: "p", value: "2")],
                    tags: [:])
            }
            let stored = try await store.run(id: run.id)
            try Check.that(
                stored.latestMetrics.isEmpty, "metrics of rejected batches were stored: \(stored.latestMetrics)")
            try Check.equal(stored.params, [:], "params of rejected batches")
            try Check.equal(try await store.metricHistory(runID: run.id, key: "ok").count, 0, "history of ok")
        },
    ]
}
