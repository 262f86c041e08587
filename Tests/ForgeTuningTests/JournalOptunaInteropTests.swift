import Foundation
import Testing

@testable import ForgeTuning

/// Optuna 5 reads journals Forge wrote, and Forge reads journals Optuna wrote.
@Suite("Journal interop with Optuna", .enabled(if: OptunaPython.shouldRun))
struct JournalOptunaInteropTests {
    static let readScript = #"""
        import json, math, sys, optuna
        from optuna.storages import JournalStorage
        from optuna.storages.journal import JournalFileBackend
        optuna.logging.set_verbosity(optuna.logging.WARNING)
        storage = JournalStorage(JournalFileBackend(sys.argv[1]))
        out = {}
        for summary in optuna.get_all_study_summaries(storage):
            study = optuna.load_study(study_name=summary.study_name, storage=storage)
            out[summary.study_name] = {
                "directions": [d.name for d in study.directions],
                "user_attrs": study.user_attrs,
                "trials": [{
                    "number": t.number, "state": t.state.name, "values": t.values,
                    "params": t.params, "intermediate": {str(k): v for k, v in t.intermediate_values.items()},
                    "user_attrs": t.user_attrs,
                    "duration": t.duration.total_seconds() if t.duration else None,
                } for t in study.trials],
            }
            if len(study.directions) == 1 and any(t.state.name == "COMPLETE" for t in study.trials):
                out[summary.study_name]["best_number"] = study.best_trial.number
            else:
                out[summary.study_name]["pareto"] = [t.number for t in study.best_trials]
        print(json.dumps(out))
        """#

    static func optunaName(_ state: TrialState) -> String {
        state == .failed ? "FAIL" : state.description.uppercased()
    }

    @Test func optunaLoadsAStudyForgeWrote() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.url.appendingPathComponent("forge.log").path
        let storage = try JournalFileStorage(path: path)
        let study = try await Study.create(
            name: "forge-mlp", direction: .maximize, storage: storage, sampler: UniformTestSampler(seed: 11))
        try await study.setUserAttribute("dataset", "digits")
        try await study.enqueueTrial(params: ["lr": 0.01, "units": 64, "activation": "relu"])
        try await study.optimize(trials: 8) { trial in
            let learningRate = try await trial.suggestFloat("lr", 1e-4...1e-1, log: true)
            let units = try await trial.suggestInt("units", 16...256, log: true)
            let dropout = try await trial.suggestFloat("dropout", 0...0.5, step: 0.1)
            let layers = try await trial.suggestInt("layers", 1...5, step: 2)
            let activation = try await trial.suggestCategorical("activation", ["relu", "gelu", "tanh"])
            let flags = try await trial.suggestCategorical("flags", [.bool(true), .int(3), .double(2.5)])
            try await trial.setUserAttribute("seed", .int(trial.number))
            var score = -log10(learningRate) / 4 + Double(units) / 256 - dropout + Double(layers) / 10
            score += activation == "relu" ? 0.1 : 0
            score += flags == .bool(true) ? 0.05 : 0
            for epoch in 0..<3 { try await trial.report(score * Double(epoch + 1) / 3, step: epoch) }
            if trial.number == 3 { throw TrialPruned() }
            if trial.number == 5 { struct Diverged: Error {}; throw Diverged() }
            return score
        }
        let pareto = try await Study.create(
            name: "forge-pareto", directions: [.minimize, .maximize], storage: storage, sampler: UniformTestSampler())
        for point in [[1.0, 1.0], [2.0, 3.0], [3.0, 2.0]] {
            let trial = try await pareto.ask()
            _ = try await trial.suggestFloat("x", 0...1)
            try await pareto.tell(trial, values: point)
        }

        let output = try OptunaPython.run(Self.readScript, arguments: [path], in: directory.url)
        guard case .object(let studies) = output, case .object(let mlp) = studies["forge-mlp"] ?? .null,
            case .array(let optunaTrials) = mlp["trials"] ?? .null
        else {
            Issue.record("unexpected output \(output)")
            return
        }
        #expect(mlp["directions"] == ["MAXIMIZE"])
        #expect(mlp["user_attrs"] == ["dataset": "digits"])
        let forgeTrials = try await study.trials()
        #expect(optunaTrials.count == forgeTrials.count)
        for (forge, optuna) in zip(forgeTrials, optunaTrials) {
            guard case .object(let fields) = optuna, case .object(let params) = fields["params"] ?? .null else {
                Issue.record("bad trial \(optuna)")
                continue
            }
            #expect(fields["number"] == .int(forge.number))
            #expect(fields["state"]?.stringValue == Self.optunaName(forge.state))
            #expect(fields["values"] == (forge.values.map { .array($0.map(AttributeValue.double)) } ?? .null))
            #expect(params.count == forge.params.count)
            for (name, value) in forge.params {
                #expect(params[name] == value.attributeValue, "trial \(forge.number) param \(name)")
            }
            #expect(fields["user_attrs"] == .object(forge.userAttributes))
            let intermediate = forge.intermediateValues.map { (String($0.key), AttributeValue.double($0.value)) }
            #expect(fields["intermediate"] == .object(Dictionary(uniqueKeysWithValues: intermediate)))
            if let duration = forge.duration, let optunaDuration = fields["duration"]?.doubleValue {
                #expect(abs(duration - optunaDuration) < 1e-3)
            }
        }
        #expect(mlp["best_number"] == .int(try await study.bestTrial.number))
        guard case .object(let paretoStudy) = studies["forge-pareto"] ?? .null else {
            Issue.record("missing pareto study")
            return
        }
        #expect(paretoStudy["directions"] == ["MINIMIZE", "MAXIMIZE"])
        #expect(paretoStudy["pareto"] == .array(try await pareto.bestTrials.map { .int($0.number) }))
    }

    @Test func forgeReadsAndContinuesAStudyOptunaWrote() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.url.appendingPathComponent("optuna.log").path
        let writeScript = #"""
            import json, sys, optuna
            from optuna.storages import JournalStorage
            from optuna.storages.journal import JournalFileBackend
            optuna.logging.set_verbosity(optuna.logging.WARNING)
            storage = JournalStorage(JournalFileBackend(sys.argv[1]))
            study = optuna.create_study(study_name="from-optuna", storage=storage, direction="minimize",
                                        sampler=optuna.samplers.RandomSampler(seed=3))
            study.set_user_attr("origin", "optuna")
            def objective(trial):
                x = trial.suggest_float("x", -5, 5)
                n = trial.suggest_int("n", 1, 64, log=True)
                k = trial.suggest_categorical("kind", ["a", "b", None])
                for step in range(2):
                    trial.report(x * x + step, step)
                trial.set_user_attr("n_twice", 2 * n)
                if trial.number == 2:
                    raise optuna.TrialPruned()
                return x * x + n / 64 + (0.5 if k == "a" else 0)
            study.optimize(objective, n_trials=6)
            study.enqueue_trial({"x": 1.25, "n": 4})
            print(json.dumps([{"number": t.number, "state": t.state.name, "values": t.values, "params": t.params}
                              for t in study.trials]))
            """#
        let written = try OptunaPython.run(writeScript, arguments: [path], in: directory.url)
        guard case .array(let optunaTrials) = written else {
            Issue.record("unexpected output \(written)")
            return
        }
        let storage = try JournalFileStorage(path: path)
        let study = try await Study.load(name: "from-optuna", storage: storage, sampler: UniformTestSampler())
        #expect(study.directions == [.minimize])
        #expect(try await study.userAttributes == ["origin": "optuna"])
        let trials = try await study.trials()
        #expect(trials.count == 7)
        for (forge, optuna) in zip(trials, optunaTrials) {
            guard case .object(let fields) = optuna, case .object(let params) = fields["params"] ?? .null else { continue }
            #expect(fields["number"] == .int(forge.number))
            #expect(fields["state"]?.stringValue == Self.optunaName(forge.state))
            #expect(fields["values"] == (forge.values.map { .array($0.map(AttributeValue.double)) } ?? .null))
            for (name, value) in params {
                let forgeValue = forge.params[name]
                if value == .null {
                    #expect(forgeValue == .string("None"))
                } else {
                    #expect(forgeValue?.attributeValue == value, "trial \(forge.number) param \(name)")
                }
            }
        }
        #expect(trials[2].state == .pruned && trials[6].state == .waiting)
        #expect(trials[0].userAttributes["n_twice"]?.doubleValue == Double((trials[0].params["n"]?.intValue ?? 0) * 2))

        // Forge continues the study: the enqueued trial first, then a new one; Optuna sees both.
        try await study.optimize(trials: 2) { trial in
            let x = try await trial.suggestFloat("x", -5...5)
            let n = try await trial.suggestInt("n", 1...64, log: true)
            return x * x + Double(n) / 64
        }
        let continued = try await study.trials()
        #expect(continued.count == 8)
        #expect(continued[6].state == .complete && continued[6].params["x"] == .double(1.25))
        #expect(continued[6].params["n"] == .int(4))
        let output = try OptunaPython.run(Self.readScript, arguments: [path], in: directory.url)
        guard case .object(let studies) = output, case .object(let fromOptuna) = studies["from-optuna"] ?? .null,
            case .array(let reread) = fromOptuna["trials"] ?? .null
        else {
            Issue.record("unexpected output \(output)")
            return
        }
        #expect(reread.count == 8)
        if case .object(let last) = reread[7] {
            #expect(last["state"] == "COMPLETE")
            #expect(last["values"] == .array([.double(continued[7].value ?? .nan)]))
        }
        #expect(fromOptuna["best_number"] == .int(try await study.bestTrial.number))
    }

    @Test func optunaAndForgeWorkersAppendToOneJournalAtOnce() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.url.appendingPathComponent("mixed.log").path
        // Create the study first so both sides only load it.
        _ = try await Study.create(name: "shared", storage: try JournalFileStorage(path: path), sampler: UniformTestSampler())
        let worker = try startWorker("journal", path: path, trials: 20)
        let script = #"""
            import json, sys, optuna
            from optuna.storages import JournalStorage
            from optuna.storages.journal import JournalFileBackend
            optuna.logging.set_verbosity(optuna.logging.WARNING)
            storage = JournalStorage(JournalFileBackend(sys.argv[1]))
            study = optuna.load_study(study_name="shared", storage=storage, sampler=optuna.samplers.RandomSampler())
            def objective(trial):
                x = trial.suggest_float("x", -1, 1)
                trial.set_user_attr("origin", "optuna")
                return x * x
            study.optimize(objective, n_trials=20)
            print(json.dumps(len(study.trials)))
            """#
        _ = try OptunaPython.run(script, arguments: [path], in: directory.url)
        worker.waitUntilExit()
        #expect(worker.terminationStatus == 0)
        let study = try await Study.load(name: "shared", storage: try JournalFileStorage(path: path), sampler: UniformTestSampler())
        let trials = try await study.trials()
        #expect(trials.map(\.number) == Array(0..<40))
        #expect(trials.allSatisfy { $0.state == .complete })
        #expect(trials.filter { $0.userAttributes["origin"] == "optuna" }.count == 20)
        #expect(trials.filter { $0.userAttributes["pid"] != nil }.count == 20)
    }
}
