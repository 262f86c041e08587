import Foundation
import Synchronization

/// Gaussian-process Bayesian optimization: a GP with an ARD Matérn-5/2 kernel on the parameters
/// normalized to [0, 1] (log parameters on their log scale, categorical ones by Hamming distance) and
/// standardized objective values, its length scales, signal variance and noise fitted by maximizing the
/// log marginal likelihood, and the next point chosen by maximizing log expected improvement (Ament et
/// al. 2023) — Sobol candidates, then quasi-Newton refinement. The design follows Optuna's `GPSampler`.
///
/// For studies of up to a few hundred trials whose objective is expensive: it needs far fewer trials
/// than TPE on smooth problems, at a cost of milliseconds to tens of milliseconds per suggestion.
/// Running trials are handled by the "kriging believer": the GP is conditioned on its own predictions
/// at their points, so concurrent workers do not pile onto one spot. Multi-objective studies fall back
/// to random sampling (use ``NSGAIISampler``).
///
/// ```swift
/// let study = try await Study.create(direction: .minimize, sampler: GPSampler(seed: 7))
/// ```
public struct GPSampler: Sampler {
    /// The GP sampler's settings.
    public struct Configuration: Sendable, Hashable {
        /// Random trials before the GP takes over.
        public var startupTrials = 10
        /// Sobol candidates scored per suggestion before local refinement.
        public var candidateCount = 2048
        /// Candidates refined by bounded L-BFGS per suggestion.
        public var localSearchCount = 10

        /// Optuna's defaults.
        public init() {}
    }

    /// The seed of every draw.
    public let seed: UInt64
    /// The settings.
    public let configuration: Configuration
    /// The last fitted hyperparameters (warm start for the next fit), per search space.
    private let cache = HyperparameterCache()

    /// Creates a GP sampler.
    /// - Precondition: `candidateCount ≥ 1`, `startupTrials ≥ 1`.
    public init(seed: UInt64? = nil, configuration: Configuration = Configuration()) {
        precondition(
            configuration.candidateCount >= 1 && configuration.startupTrials >= 1 && configuration.localSearchCount >= 0,
            "GPSampler: candidateCount \(configuration.candidateCount) and startupTrials "
                + "\(configuration.startupTrials) must be ≥ 1, localSearchCount \(configuration.localSearchCount) ≥ 0")
        self.seed = seed ?? SamplerRandomness.freshSeed()
        self.configuration = configuration
    }

    /// The parameters every complete trial shares.
    public func inferRelativeSearchSpace(study: StudyView, trial: FrozenTrial) -> [String: Distribution] {
        guard !study.isMultiObjective else { return [:] }
        return IntersectionSearchSpace.compute(study: study, includePruned: false)
    }

    /// The log-EI maximizer over the shared parameters (nothing during start-up).
    public func sampleRelative(
        study: StudyView, trial: FrozenTrial, searchSpace: [String: Distribution]
    ) throws -> [String: Double] {
        guard !searchSpace.isEmpty else { return [:] }
        let space = OrderedSearchSpace(searchSpace)
        let dimension = space.names.count
        var inputs: [Double] = []
        var losses: [Double] = []
        var running: [Double] = []
        for other in study.allTrials where other.number != trial.number {
            if other.state == .running, let point = space.point(of: other) {
                running += zip(space.parameters, point).map { $0.unitValue(of: $1) }
            }
            guard other.state == .complete, let value = other.value, let point = space.point(of: other) else { continue }
            inputs += zip(space.parameters, point).map { $0.unitValue(of: $1) }
            losses.append(study.direction.loss(value))
        }
        guard losses.count >= configuration.startupTrials else { return [:] }
        let outputs = Self.standardizedScores(losses)
        let categorical = space.parameters.map(\.isCategorical)
        let warmStart = cache.hyperparameters(for: space.names)
        guard
            let fitted = GaussianProcessFitting.fit(
                inputs: inputs, outputs: outputs, categorical: categorical, warmStart: warmStart)
        else { return [:] }
        cache.store(fitted.hyperparameters, for: space.names)
        var process = fitted
        if !running.isEmpty {
            process = Self.believing(process, runningInputs: running) ?? fitted
        }
        let bestIndex = outputs.indices.max { outputs[$0] < outputs[$1] } ?? 0
        let incumbent = outputs[bestIndex]
        let warmStarts = [Array(inputs[(bestIndex * dimension)..<((bestIndex + 1) * dimension)])]
        let sequence = SobolSequence(
            dimension: min(dimension, SobolDirectionNumbers.dimensionLimit),
            scrambleSeed: SamplerRandomness.mix(seed ^ SamplerRandomness.mix(UInt64(truncatingIfNeeded: trial.number))))
        let optimizer = AcquisitionOptimizer(
            candidateCount: configuration.candidateCount, localSearchCount: configuration.localSearchCount)
        let (unit, _) = optimizer.maximize(
            process: process, incumbent: incumbent, warmStarts: warmStarts, sequence: sequence, offset: 0)
        var result: [String: Double] = [:]
        for (index, name) in space.names.enumerated() {
            result[name] = space.parameters[index].value(fromUnit: unit[index])
        }
        return result
    }

    /// Random values for parameters outside the shared space.
    public func sampleIndependent(
        study: StudyView, trial: FrozenTrial, name: String, distribution: Distribution
    ) throws -> Double {
        RandomSampler.sample(distribution, seed: seed, trial: trial.number, name: name)
    }

    /// Losses turned into standardized scores to maximize: negated, infinities clipped to the finite
    /// range, then centred and scaled to unit variance (Optuna's `_standardize_values`).
    static func standardizedScores(_ losses: [Double]) -> [Double] {
        let finite = losses.filter(\.isFinite)
        let low = finite.min() ?? 0
        let high = finite.max() ?? 0
        let scores = losses.map { -min(max($0.isNaN ? high : $0, low), high) }
        let mean = scores.reduce(0, +) / Double(scores.count)
        let variance = scores.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(scores.count)
        let deviation = max(variance.squareRoot(), 1e-10)
        return scores.map { ($0 - mean) / deviation }
    }

    /// The process also conditioned on its own posterior means at `runningInputs` (kriging believer),
    /// with the same hyperparameters.
    static func believing(
        _ process: GaussianProcessRegressor, runningInputs: [Double]
    ) -> GaussianProcessRegressor? {
        let dimension = process.dimension
        let count = runningInputs.count / dimension
        var scratch = [Double](repeating: 0, count: 2 * process.count)
        var believed: [Double] = []
        for row in 0..<count {
            let mean = runningInputs.withUnsafeBufferPointer { inputs in
                scratch.withUnsafeMutableBufferPointer { scratch in
                    process.posterior(
                        at: inputs.baseAddress! + row * dimension, scratch: scratch.baseAddress!, gradient: nil
                    ).mean
                }
            }
            believed.append(mean)
        }
        return try? GaussianProcessRegressor(
            inputs: process.inputs + runningInputs, outputs: process.outputs + believed,
            categorical: process.categorical, hyperparameters: process.hyperparameters)
    }
}

/// The GP sampler's last fitted hyperparameters, shared by concurrent suggestions.
final class HyperparameterCache: Sendable {
    private let slot = Mutex<(names: [String], hyperparameters: GaussianProcessHyperparameters)?>(nil)

    /// The last fit for the search space `names`, if any.
    func hyperparameters(for names: [String]) -> GaussianProcessHyperparameters? {
        slot.withLock { $0?.names == names ? $0?.hyperparameters : nil }
    }

    /// Keeps `hyperparameters` as the warm start for `names`.
    func store(_ hyperparameters: GaussianProcessHyperparameters, for names: [String]) {
        slot.withLock { $0 = (names, hyperparameters) }
    }
}
