// One tuning worker process for ForgeTuningPostgresTests: joins (or creates) a study in PostgreSQL and
// runs `trials` trials of a two-parameter quadratic, two at a time.
//
// Arguments: host port user database study trials worker-name
import ForgeTuning
import ForgeTuningPostgres
import Foundation
import PostgresNIO

/// Uniform random sampling of float parameters (a user-style sampler; the real ones live in ForgeTuning).
struct UniformFloatSampler: Sampler {
    func sampleIndependent(study: StudyView, trial: FrozenTrial, name: String, distribution: Distribution) throws
        -> Double
    {
        guard case .float(let float) = distribution else {
            throw TuningError.invalidArgument(reason: "the worker samples float parameters only, not \(name)")
        }
        return Double.random(in: float.low...float.high)
    }
}

let arguments = CommandLine.arguments
guard arguments.count == 8, let port = Int(arguments[2]), let budget = Int(arguments[6]) else {
    FileHandle.standardError.write(Data("usage: TuningPostgresWorker host port user database study trials name\n".utf8))
    exit(2)
}
let worker = arguments[7]
let configuration = PostgresClient.Configuration(
    host: arguments[1], port: port, username: arguments[3], password: nil, database: arguments[4], tls: .disable)
do {
    try await PostgresStudyStorage.withStorage(configuration: configuration) { storage in
        let study = try await Study.create(
            name: arguments[5], direction: .minimize, storage: storage, sampler: UniformFloatSampler(),
            loadIfExists: true)
        try await study.optimize(trials: budget, concurrency: 2) { trial in
            let x = try await trial.suggestFloat("x", -5...5)
            let y = try await trial.suggestFloat("y", -5...5)
            try await trial.setUserAttribute("worker", .string(worker))
            let value = (x - 1) * (x - 1) + (y + 2) * (y + 2)
            try await trial.report(value + 1, step: 0)
            try await Task.sleep(for: .milliseconds(2))
            return value
        }
    }
} catch {
    FileHandle.standardError.write(Data("worker \(worker) failed: \(error)\n".utf8))
    exit(1)
}
