import ForgeTuning
import ForgeTuningPostgres
import Foundation
import PostgresNIO
import Testing

/// Every PostgreSQL study-storage test, sharing one server started for this suite.
@Suite(
    "PostgreSQL study storage", .enabled(if: postgresAvailable, "PostgreSQL server programs are not installed"),
    .postgresServer)
struct PostgresStudyStorageTests {}

extension PostgresStudyStorageTests {
    /// The same script of calls against ``InMemoryStudyStorage`` (the reference) and PostgreSQL must give
    /// the same outcomes, errors included.
    @Suite("Contract against the in-memory reference")
    struct Contract {
        /// Runs a script of storage calls and writes down every outcome (ids left out: they differ by store).
        static func script(_ storage: any StudyStorage) async throws -> [String] {
            var log: [String] = []
            func attempt(_ label: String, _ body: () async throws -> String) async {
                do { log.append("\(label): \(try await body())") } catch { log.append("\(label): throws \(error)") }
            }
            let unit = Distribution.float(try FloatDistribution(low: 0, high: 1, parameter: "x"))
            let other = Distribution.float(try FloatDistribution(low: 0, high: 2, parameter: "x"))
            let choice = Distribution.categorical(try CategoricalDistribution(choices: ["a", "b"], parameter: "c"))

            let study = try await storage.createStudy(name: "a", directions: [.minimize])
            await attempt("duplicate") { "\(try await storage.createStudy(name: "a", directions: [.maximize]))" }
            await attempt("no directions") { "\(try await storage.createStudy(name: "b", directions: []))" }
            await attempt("lookup") { "\(try await storage.studyID(named: "a") == study)" }
            await attempt("missing") { "\(try await storage.studyID(named: "zz"))" }
            try await storage.setStudyUserAttribute(studyID: study, key: "k", value: ["x": 1, "y": [true, nil, 2.5]])
            try await storage.setStudyUserAttribute(studyID: study, key: "k2", value: "first")
            try await storage.setStudyUserAttribute(studyID: study, key: "k2", value: "second")
            try await storage.setStudySystemAttribute(studyID: study, key: "s", value: .double(.nan))
            let record = try await storage.study(id: study)
            log.append(
                "record: \(record.name) \(record.directions) \(sorted(record.userAttributes)) \(sorted(record.systemAttributes))"
            )

            let first = try await storage.createTrial(studyID: study, template: nil)
            let second = try await storage.createTrial(studyID: study, template: nil)
            log.append(
                "created: \(first.number) \(first.state) \(second.number) \(second.state) \(first.startDate != nil)")
            try await storage.setTrialParameter(trialID: first.id, name: "x", internalValue: 0.5, distribution: unit)
            try await storage.setTrialParameter(trialID: first.id, name: "x", internalValue: 0.7, distribution: unit)
            await attempt("other distribution") {
                try await storage.setTrialParameter(
                    trialID: first.id, name: "x", internalValue: 0.1, distribution: other)
                return "stored"
            }
            try await storage.setTrialParameter(trialID: first.id, name: "c", internalValue: 1, distribution: choice)
            try await storage.setTrialIntermediateValue(trialID: first.id, step: 1, value: 0.3)
            try await storage.setTrialIntermediateValue(trialID: first.id, step: 1, value: 0.2)
            try await storage.setTrialIntermediateValue(trialID: first.id, step: 2, value: .nan)
            try await storage.setTrialUserAttribute(trialID: first.id, key: "u", value: 3)
            for (label, state, values) in [
                ("complete without values", TrialState.complete, nil), ("back to waiting", .waiting, nil),
                ("complete", .complete, [0.25]), ("complete again", .complete, [0.5]), ("fail finished", .failed, nil),
            ] as [(String, TrialState, [Double]?)] {
                await attempt(label) {
                    "\(try await storage.setTrialState(trialID: first.id, state: state, values: values))"
                }
            }
            await attempt("param after finish") {
                try await storage.setTrialParameter(trialID: first.id, name: "z", internalValue: 0, distribution: unit)
                return "stored"
            }
            await attempt("value after finish") {
                try await storage.setTrialIntermediateValue(trialID: first.id, step: 3, value: 1)
                return "stored"
            }
            await attempt("user attribute after finish") {
                try await storage.setTrialUserAttribute(trialID: first.id, key: "late", value: 1)
                return "stored"
            }
            await attempt("system attribute after finish") {
                try await storage.setTrialSystemAttribute(trialID: first.id, key: "late", value: "refused")
                return "stored"
            }
            let logScale = Distribution.float(try FloatDistribution(low: 0.1, high: 1, log: true, parameter: "x"))
            await attempt("other kind in a later trial") {
                try await storage.setTrialParameter(
                    trialID: second.id, name: "x", internalValue: 0.5, distribution: logScale)
                return "stored"
            }
            await attempt("wider range in a later trial") {
                try await storage.setTrialParameter(
                    trialID: second.id, name: "x", internalValue: 1.5, distribution: other)
                return "stored"
            }

            let start = Date(timeIntervalSinceReferenceDate: 790_000_000.123_456)
            let waiting = try await storage.createTrial(
                studyID: study,
                template: FrozenTrial(
                    id: 99, number: 99, state: .waiting, internalParams: ["x": 0.25], distributions: ["x": unit],
                    systemAttributes: ["fixed_params": ["x": 0.25]]))
            await attempt("claim") {
                "\(try await storage.setTrialState(trialID: waiting.id, state: .running, values: nil))"
            }
            await attempt("claim again") {
                "\(try await storage.setTrialState(trialID: waiting.id, state: .running, values: nil))"
            }
            await attempt("fail") {
                "\(try await storage.setTrialState(trialID: waiting.id, state: .failed, values: nil))"
            }
            let imported = try await storage.createTrial(
                studyID: study,
                template: FrozenTrial(
                    id: 7, number: 7, state: .complete, values: [.nan], startDate: start,
                    completeDate: start.addingTimeInterval(1.5), intermediateValues: [0: 1, 5: 0.5],
                    userAttributes: ["source": "elsewhere"]))
            log.append("imported: \(imported.number) dates \(imported.startDate == start) \(imported.duration == 1.5)")
            await attempt("prune") {
                "\(try await storage.setTrialState(trialID: second.id, state: .pruned, values: nil))"
            }

            for trial in try await storage.trials(studyID: study) { log.append("trial: \(describe(trial))") }
            log.append("complete: \(try await storage.trials(studyID: study, states: [.complete]).map(\.number))")
            log.append(
                "finished: \(try await storage.trials(studyID: study, states: [.pruned, .failed]).map(\.number))")
            let reread = try await storage.trial(id: imported.id)
            log.append("reread: \(reread.startDate == start) \(reread.completeDate == start.addingTimeInterval(1.5))")
            log.append("studies: \(try await storage.allStudies().map(\.name))")
            try await storage.deleteStudy(id: study)
            await attempt("after delete") { "\(try await storage.studyID(named: "a"))" }
            log.append("studies: \(try await storage.allStudies().map(\.name))")
            return log
        }

        static func sorted(_ attributes: [String: AttributeValue]) -> String {
            attributes.keys.sorted().map { "\($0)=\(attributes[$0] ?? .null)" }.joined(separator: ",")
        }

        static func describe(_ trial: FrozenTrial) -> String {
            let params = trial.internalParams.keys.sorted().map { "\($0)=\(trial.internalParams[$0] ?? 0)" }
            let distributions = trial.distributions.keys.sorted().map {
                "\($0)~\(trial.distributions[$0].map { "\($0)" } ?? "")"
            }
            let steps = trial.intermediateValues.keys.sorted().map { "\($0):\(trial.intermediateValues[$0] ?? 0)" }
            return "#\(trial.number) \(trial.state) values=\(trial.values.map { "\($0)" } ?? "nil") params=\(params) "
                + "\(distributions) steps=\(steps) user=\(sorted(trial.userAttributes)) "
                + "system=\(sorted(trial.systemAttributes)) started=\(trial.startDate != nil) "
                + "completed=\(trial.completeDate != nil)"
        }

        @Test func theScriptGivesTheSameOutcomesAsTheInMemoryStorage() async throws {
            let expected = try await Self.script(InMemoryStudyStorage())
            try await withFreshStorage { storage in
                let actual = try await Self.script(storage)
                #expect(actual.count == expected.count)
                for (line, (got, want)) in zip(actual, expected).enumerated() {
                    #expect(got == want, "line \(line)")
                }
                #expect(expected.contains { $0.hasPrefix("complete again: throws") }, "the script exercises the guards")
            }
        }

        @Test func unknownIdsThrowTypedErrors() async throws {
            try await withFreshStorage { storage in
                await #expect(throws: TuningError.trialNotFound(id: 4242)) { _ = try await storage.trial(id: 4242) }
                await #expect(throws: TuningError.trialNotFound(id: 4242)) {
                    try await storage.setTrialState(trialID: 4242, state: .complete, values: [1])
                }
                await #expect(throws: TuningError.studyNotFound(name: "#4242")) {
                    _ = try await storage.createTrial(studyID: 4242, template: nil)
                }
                await #expect(throws: TuningError.studyNotFound(name: "#4242")) {
                    _ = try await storage.trials(studyID: 4242, states: nil)
                }
                await #expect(throws: TuningError.studyNotFound(name: "#4242")) {
                    try await storage.deleteStudy(id: 4242)
                }
            }
        }

        @Test func heartbeatsMarkLiveTrialsAndStaleOnesAreFound() async throws {
            try await withFreshStorage { storage in
                let study = try await storage.createStudy(name: "beats", directions: [.minimize])
                let quiet = try await storage.createTrial(studyID: study, template: nil)
                let alive = try await storage.createTrial(studyID: study, template: nil)
                let done = try await storage.createTrial(studyID: study, template: nil)
                try await storage.setTrialState(trialID: done.id, state: .complete, values: [1])
                let later = Date().addingTimeInterval(60)
                try await storage.recordHeartbeat(trialID: alive.id, at: later.addingTimeInterval(1))
                #expect(try await storage.staleTrials(studyID: study, olderThan: later).map(\.number) == [quiet.number])
                #expect(try await storage.staleTrials(studyID: study, olderThan: Date.distantPast).isEmpty)
                let beat = try await storage.trial(id: alive.id).systemAttributes["forge:heartbeat"]?.doubleValue
                #expect(beat == later.addingTimeInterval(1).timeIntervalSince1970)
                await #expect(throws: TuningError.trialNotFound(id: 4242)) {
                    try await storage.recordHeartbeat(trialID: 4242, at: Date())
                }
                await #expect(throws: TuningError.trialAlreadyFinished(number: done.number, state: .complete)) {
                    try await storage.recordHeartbeat(trialID: done.id, at: Date())
                }
            }
        }
    }
}
