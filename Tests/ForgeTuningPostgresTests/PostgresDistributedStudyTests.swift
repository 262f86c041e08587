import ForgePostgresTestSupport
import ForgeTuning
import ForgeTuningPostgres
import Foundation
import PostgresNIO
import Testing

/// Uniform random sampling of float parameters, for studies in these tests.
struct UniformFloatSampler: Sampler {
    func sampleIndependent(study: StudyView, trial: FrozenTrial, name: String, distribution: Distribution) throws
        -> Double
    {
        guard case .float(let float) = distribution else { throw TuningError.invalidArgument(reason: name) }
        return Double.random(in: float.low...float.high)
    }
}

extension PostgresStudyStorageTests {
    @Suite("Workers sharing one study")
    struct Distributed {
        @Test func trialNumbersStayUniqueAndContiguousUnderConcurrentCreation() async throws {
            let configuration = try freshDatabase().configuration
            let study = try await PostgresStudyStorage.withStorage(configuration: configuration) { storage in
                try await storage.createStudy(name: "race", directions: [.minimize])
            }
            let numbers = try await withThrowingTaskGroup(of: [Int].self) { group in
                for _ in 0..<4 {  // four pools, as four machines would have
                    group.addTask {
                        try await PostgresStudyStorage.withStorage(configuration: configuration) { storage in
                            try await withThrowingTaskGroup(of: Int.self) { tasks in
                                for _ in 0..<10 {
                                    tasks.addTask {
                                        try await storage.createTrial(studyID: study, template: nil).number
                                    }
                                }
                                return try await tasks.reduce(into: []) { $0.append($1) }
                            }
                        }
                    }
                }
                return try await group.reduce(into: [Int]()) { $0 += $1 }
            }
            #expect(numbers.sorted() == Array(0..<40))
        }

        @Test func onlyOneOfManyFinishersSucceeds() async throws {
            try await withFreshStorage { storage in
                let study = try await storage.createStudy(name: "finish", directions: [.minimize])
                let trial = try await storage.createTrial(studyID: study, template: nil)
                let outcomes = await withTaskGroup(of: Result<Double, any Error>.self) { group in
                    for index in 0..<8 {
                        group.addTask {
                            do {
                                try await storage.setTrialState(
                                    trialID: trial.id, state: .complete, values: [Double(index)])
                                return .success(Double(index))
                            } catch {
                                return .failure(error)
                            }
                        }
                    }
                    return await group.reduce(into: [Result<Double, any Error>]()) { $0.append($1) }
                }
                let winners = outcomes.compactMap { try? $0.get() }
                #expect(winners.count == 1)
                for case .failure(let error) in outcomes {
                    #expect(error as? TuningError == .trialAlreadyFinished(number: trial.number, state: .complete))
                }
                #expect(try await storage.trial(id: trial.id).values == winners)
            }
        }

        @Test func twoWorkerProcessesOptimizeOneStudy() async throws {
            let (server, configuration) = try freshDatabase()
            let database = try #require(configuration.database)
            let perWorker = 12
            let workers = try ["alpha", "beta"].map { name in
                let process = Process()
                process.executableURL = try workerURL()
                process.arguments = [
                    server.host, String(server.port), server.user, database, "shared", String(perWorker), name,
                ]
                let errors = Pipe()
                process.standardError = errors
                try process.run()
                return (process, errors)
            }
            for (process, errors) in workers {
                let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                process.waitUntilExit()
                #expect(process.terminationStatus == 0, "worker failed: \(message)")
            }
            try await PostgresStudyStorage.withStorage(configuration: configuration) { storage in
                let study = try await Study.load(name: "shared", storage: storage, sampler: UniformFloatSampler())
                let trials = try await study.trials()
                #expect(trials.map(\.number) == Array(0..<(2 * perWorker)), "numbers unique and contiguous")
                #expect(trials.allSatisfy { $0.state == .complete && $0.values?.count == 1 })
                let byWorker = Dictionary(grouping: trials) { $0.userAttributes["worker"]?.stringValue ?? "?" }
                #expect(byWorker["alpha"]?.count == perWorker && byWorker["beta"]?.count == perWorker)
                for trial in trials {
                    let x = try #require(trial.params["x"]?.doubleValue)
                    let y = try #require(trial.params["y"]?.doubleValue)
                    let value = try #require(trial.value)
                    #expect(abs(value - ((x - 1) * (x - 1) + (y + 2) * (y + 2))) < 1e-12, "trial \(trial.number)")
                    #expect(trial.intermediateValues == [0: value + 1])
                }
                let best = try await study.bestTrial
                #expect(best.value == trials.compactMap(\.value).min())
                #expect(try await study.bestValue == best.value)
            }
        }
    }
}

/// The `TuningPostgresWorker` executable, built next to the test binary.
func workerURL() throws -> URL {
    let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    var folder = testBinary.deletingLastPathComponent()
    if folder.path.hasSuffix(".xctest/Contents/MacOS") {  // Darwin bundles
        folder = folder.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }
    let worker = folder.appendingPathComponent("TuningPostgresWorker")
    try #require(FileManager.default.isExecutableFile(atPath: worker.path), "worker not built at \(worker.path)")
    return worker
}
