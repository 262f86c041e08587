import ForgeTensor
import Foundation
import Synchronization

@testable import ForgeTuning

/// A user-style sampler written against the public protocol: uniform (log-uniform) independent sampling
/// from a seeded Philox generator.
final class UniformTestSampler: Sampler {
    private let generator: Mutex<RandomGenerator>

    init(seed: UInt64 = 0) { generator = Mutex(RandomGenerator(seed: seed)) }

    func sampleIndependent(study: StudyView, trial: FrozenTrial, name: String, distribution: Distribution) throws
        -> Double
    {
        let unit = generator.withLock { $0.nextUnit() }
        switch distribution {
        case .float(let float):
            if float.log { return exp(log(float.low) + unit * (log(float.high) - log(float.low))) }
            return float.low + unit * (float.high - float.low)
        case .int(let int):
            return Double(int.low) + (unit * Double(int.high - int.low + 1)).rounded(.down)
        case .categorical(let categorical):
            return (unit * Double(categorical.choices.count)).rounded(.down)
        }
    }
}

/// A trial record for pruner and sampler tests.
func makeTrial(
    _ number: Int, state: TrialState = .complete, value: Double? = nil, intermediate: [Int: Double] = [:],
    params: [String: Double] = [:], distributions: [String: Distribution] = [:]
) -> FrozenTrial {
    FrozenTrial(
        id: number, number: number, state: state, values: value.map { [$0] }, startDate: Date(),
        internalParams: params, distributions: distributions, intermediateValues: intermediate)
}

/// Collects observer events.
actor EventLog {
    var events: [String] = []
    func append(_ event: String) { events.append(event) }
}

/// A temporary directory removed at deinit.
final class TemporaryDirectory: Sendable {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("forge-tuning-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }
}
