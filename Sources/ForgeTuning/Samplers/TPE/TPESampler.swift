import Synchronization

/// The Tree-structured Parzen Estimator (Bergstra et al. 2011; Watanabe 2023), with Optuna 5's
/// defaults: 10 random start-up trials, γ(n) = min(⌈0.1·n⌉, 25) good trials, 24 candidates drawn from
/// l(x), the one maximizing l(x)/g(x) kept, prior weight 1, magic clip, weights that fade the oldest bad
/// trials, **multivariate** kernels over the parameters every finished trial shares, and the
/// **constant liar**: running trials count among the bad ones, so concurrent workers spread out.
///
/// Integers, stepped and log-scale floats get truncated-normal kernels on the right scale with
/// grid-point masses; categorical parameters get smoothed one-hot kernels. Parameters outside the
/// shared space (conditional ones) are sampled by univariate TPE. One addition to Optuna: the start-up
/// trials follow a scrambled Sobol sequence (``Configuration/quasiRandomStartup``), which covers the
/// space more evenly than random draws.
///
/// ```swift
/// let study = try await Study.create(direction: .minimize, sampler: TPESampler(seed: 1))
/// try await study.optimize(trials: 100) { trial in
///     let lr = try await trial.suggestFloat("lr", 1e-5...1e-1, log: true)
///     return try await validationLoss(learningRate: lr)
/// }
/// ```
public struct TPESampler: Sampler {
    /// TPE's settings; the defaults are Optuna 5's.
    public struct Configuration: Sendable, Hashable {
        /// Random trials before TPE takes over.
        public var startupTrials = 10
        /// Candidates drawn from l(x) per suggestion.
        public var candidateCount = 24
        /// Whether parameters every finished trial shares are sampled jointly (the default for one objective).
        public var multivariate = true
        /// Whether running trials count as bad ones (for concurrent trials).
        public var constantLiar = true
        /// The weight of the prior kernel.
        public var priorWeight = 1.0
        /// Whether kernel widths are floored at range / min(100, 1 + kernels).
        public var magicClip = true
        /// Whether the outermost kernels' widths count the distance to the range ends.
        public var considerEndpoints = false
        /// Whether the start-up trials follow a scrambled Sobol sequence over the first trial's parameters
        /// instead of independent random draws (Forge's addition: the same number of start-up trials,
        /// covering the space more evenly; `false` gives Optuna's behaviour).
        public var quasiRandomStartup = true

        /// The defaults (Optuna 5's).
        public init() {}
    }

    /// The seed of every draw.
    public let seed: UInt64
    /// The settings.
    public let configuration: Configuration
    /// Relative samples of trials still running, for the constant liar (this process's trials; trials
    /// of other processes count with the parameters they already stored).
    private let pending = PendingRelativeSamples()
    /// The intersection search space of the finished trials, updated incrementally.
    private let intersection = IncrementalIntersectionSearchSpace()

    /// Creates a TPE sampler.
    /// - Precondition: `startupTrials ≥ 0`, `candidateCount ≥ 1`, `priorWeight ≥ 0`.
    public init(seed: UInt64? = nil, configuration: Configuration = Configuration()) {
        precondition(
            configuration.startupTrials >= 0 && configuration.candidateCount >= 1 && configuration.priorWeight >= 0,
            "TPESampler: startupTrials \(configuration.startupTrials) must be ≥ 0, candidateCount "
                + "\(configuration.candidateCount) ≥ 1 and priorWeight \(configuration.priorWeight) ≥ 0")
        self.seed = seed ?? SamplerRandomness.freshSeed()
        self.configuration = configuration
    }

    private var settings: ParzenEstimatorSettings {
        ParzenEstimatorSettings(
            priorWeight: configuration.priorWeight, magicClip: configuration.magicClip,
            considerEndpoints: configuration.considerEndpoints)
    }

    /// The parameters of every finished (complete or pruned) trial, when multivariate.
    /// During quasi-random start-up, the parameters of the study's first trial.
    public func inferRelativeSearchSpace(study: StudyView, trial: FrozenTrial) -> [String: Distribution] {
        if finishedCount(study) < configuration.startupTrials {
            return configuration.quasiRandomStartup ? startupSampler.inferRelativeSearchSpace(study: study, trial: trial) : [:]
        }
        guard configuration.multivariate, !study.isMultiObjective else { return [:] }
        return intersection.update(with: study)
    }

    /// The start-up trials' quasi-random sampler (scrambled with this sampler's seed).
    private var startupSampler: QuasiRandomSampler { QuasiRandomSampler(seed: seed) }

    /// Samples the shared parameters jointly (nothing during the start-up trials).
    public func sampleRelative(
        study: StudyView, trial: FrozenTrial, searchSpace: [String: Distribution]
    ) throws -> [String: Double] {
        guard !searchSpace.isEmpty else { return [:] }
        if finishedCount(study) < configuration.startupTrials {
            guard configuration.quasiRandomStartup else { return [:] }
            return try startupSampler.sampleRelative(study: study, trial: trial, searchSpace: searchSpace)
        }
        let space = OrderedSearchSpace(searchSpace)
        let point = suggest(study: study, trial: trial, space: space, stream: 0)
        let result = space.dictionary(point)
        if configuration.constantLiar { pending.record(result, trial: trial.number) }
        return result
    }

    /// Samples one parameter by univariate TPE (randomly during the start-up trials).
    public func sampleIndependent(
        study: StudyView, trial: FrozenTrial, name: String, distribution: Distribution
    ) throws -> Double {
        guard finishedCount(study) >= configuration.startupTrials else {
            return RandomSampler.sample(distribution, seed: seed, trial: trial.number, name: name)
        }
        let space = OrderedSearchSpace([name: distribution])
        return suggest(study: study, trial: trial, space: space, stream: SamplerRandomness.stableHash(name))[0]
    }

    /// Forgets the trial's pending relative sample.
    public func afterTrial(study: StudyView, trial: FrozenTrial, state: TrialState, values: [Double]?) {
        pending.remove(trial: trial.number)
    }

    private func finishedCount(_ study: StudyView) -> Int {
        var count = 0
        for trial in study.allTrials where trial.state == .complete || trial.state == .pruned { count += 1 }
        return count
    }

    /// TPE's choice over `space` for `trial`.
    private func suggest(study: StudyView, trial: FrozenTrial, space: OrderedSearchSpace, stream: UInt64) -> [Double] {
        let observations = Self.observations(
            study: study, excluding: trial.number, space: space,
            running: configuration.constantLiar ? pending.snapshot() : nil)
        var generator = SamplerRandomness.generator(seed: seed, trial: trial.number, stream: stream)
        return TPEEngine.suggest(
            observations: observations, parameters: space.parameters, settings: settings,
            candidateCount: configuration.candidateCount, generator: &generator,
            multiObjective: study.isMultiObjective)
    }

    /// The study's trials as TPE observations: complete and pruned ones, and running ones when `running`
    /// (the constant liar's pending relative samples) is given. Multi-objective values become their rank
    /// in the non-dominated order (front, then crowding distance).
    static func observations(
        study: StudyView, excluding number: Int, space: OrderedSearchSpace, running: [Int: [String: Double]]?
    ) -> [TPEObservation] {
        var result: [TPEObservation] = []
        result.reserveCapacity(study.allTrials.count)
        var multiObjective: [(index: Int, losses: [Double])] = []
        for trial in study.allTrials where trial.number != number {
            switch trial.state {
            case .complete:
                guard let values = trial.values, values.count == study.directions.count else { continue }
                let point = space.point(of: trial)
                if study.isMultiObjective {
                    let losses = zip(study.directions, values).map { $0.loss($1) }
                    multiObjective.append((result.count, losses.map { $0.isNaN ? .infinity : $0 }))
                    result.append(TPEObservation(number: trial.number, outcome: .complete(0), point: point))
                } else {
                    result.append(
                        TPEObservation(number: trial.number, outcome: .complete(study.direction.loss(values[0])), point: point))
                }
            case .pruned:
                let step = trial.lastStep
                let value = step.flatMap { trial.intermediateValues[$0] }.map { study.direction.loss($0) } ?? 0
                result.append(TPEObservation(number: trial.number, outcome: .pruned(step: step, value: value), point: space.point(of: trial)))
            case .running:
                guard let running else { continue }
                result.append(
                    TPEObservation(number: trial.number, outcome: .running, point: space.point(of: trial, extra: running[trial.number])))
            case .failed, .waiting:
                continue
            }
        }
        if !multiObjective.isEmpty {
            for (rank, position) in ParetoRanking.order(multiObjective.map(\.losses)).enumerated() {
                let index = multiObjective[position].index
                result[index] = TPEObservation(number: result[index].number, outcome: .complete(Double(rank)), point: result[index].point)
            }
        }
        return result
    }
}

/// The relative samples of this process's running trials, shared by concurrent `ask`s.
final class PendingRelativeSamples: Sendable {
    private let samples = Mutex<[Int: [String: Double]]>([:])

    func record(_ sample: [String: Double], trial: Int) { samples.withLock { $0[trial] = sample } }
    func remove(trial: Int) { _ = samples.withLock { $0.removeValue(forKey: trial) } }
    func snapshot() -> [Int: [String: Double]] { samples.withLock { $0 } }
}

/// ``IntersectionSearchSpace/compute(study:includePruned:excludingSingleValue:)`` over complete and pruned
/// trials, kept up to date incrementally: finished trials never change, so each is intersected once
/// (per study name) instead of on every suggestion.
final class IncrementalIntersectionSearchSpace: Sendable {
    private struct State {
        var study = ""
        var seen = Set<Int>()
        var space: [String: Distribution]?
    }
    private let state = Mutex(State())

    /// The intersection of the parameters of every finished trial of `study`, single values excluded.
    func update(with study: StudyView) -> [String: Distribution] {
        let space = state.withLock { state -> [String: Distribution] in
            if state.study != study.name { state = State(study: study.name) }
            for trial in study.allTrials where trial.state == .complete || trial.state == .pruned {
                guard state.seen.insert(trial.number).inserted else { continue }
                guard var current = state.space else {
                    state.space = trial.distributions
                    continue
                }
                for (name, distribution) in current where trial.distributions[name] != distribution {
                    current[name] = nil
                }
                state.space = current
            }
            return state.space ?? [:]
        }
        return space.filter { !$0.value.isSingleValue }
    }
}
