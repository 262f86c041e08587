// A worker process for ForgeTuning's multi-process tests: runs trials of one study in a shared storage,
// so a test can start several at once (or kill one mid-trial).
//
// Usage: TuningWorkerHelper <journal|sqlite> <storage path> <study> <trials> [hang]
//   hang: start one more trial, report a value, then sleep until killed.
import ForgeTensor
import ForgeTuning
import Foundation
import Synchronization

/// Uniform independent sampling seeded by the process id, so two workers draw different values.
final class WorkerSampler: Sampler {
    private let generator = Mutex(RandomGenerator(seed: UInt64(ProcessInfo.processInfo.processIdentifier)))

    func sampleIndependent(study: StudyView, trial: FrozenTrial, name: String, distribution: Distribution) throws
        -> Double
    {
        guard case .float(let float) = distribution else { return 0 }
        let unit = generator.withLock { $0.nextUnit() }
        return float.low + unit * (float.high - float.low)
    }
}

let arguments = CommandLine.arguments
guard arguments.count >= 5, let trials = Int(arguments[4]), ["journal", "sqlite"].contains(arguments[1]) else {
    FileHandle.standardError.write(Data("usage: TuningWorkerHelper <journal|sqlite> <path> <study> <trials> [hang]\n".utf8))
    exit(2)
}
do {
    let storage: any StudyStorage =
        arguments[1] == "journal"
        ? try JournalFileStorage(path: arguments[2]) : try SQLiteStudyStorage(path: arguments[2])
    let study = try await Study.create(
        name: arguments[3], storage: storage, sampler: WorkerSampler(), loadIfExists: true)
    let pid = Int(ProcessInfo.processInfo.processIdentifier)
    try await study.optimize(trials: trials) { trial in
        let x = try await trial.suggestFloat("x", -1...1)
        try await trial.setUserAttribute("pid", .int(pid))
        try await trial.report(x, step: 0)
        return x * x
    }
    if arguments.count > 5, arguments[5] == "hang" {
        let trial = try await study.ask()
        _ = try await trial.suggestFloat("x", -1...1)
        try await trial.report(1, step: 0)
        FileHandle.standardOutput.write(Data("hanging in trial \(trial.number)\n".utf8))
        while true { try await Task.sleep(for: .seconds(60)) }
    }
} catch {
    FileHandle.standardError.write(Data("TuningWorkerHelper: \(error)\n".utf8))
    exit(1)
}
