/// Quasi-random search: trial number k gets point k of a scrambled Sobol sequence (Joe–Kuo direction
/// numbers), which covers the space far more evenly than independent random draws — the same idea as
/// Optuna's `QMCSampler`.
///
/// The sequence's dimensions are the parameters of the study's first trial (sorted by name); that trial
/// itself and any parameter outside that space are drawn at random. Spaces of more than
/// ``SobolDirectionNumbers/dimensionLimit`` parameters fall back to random sampling.
///
/// ```swift
/// let study = try await Study.create(direction: .minimize, sampler: QuasiRandomSampler(seed: 3))
/// ```
public struct QuasiRandomSampler: Sampler {
    /// The seed of the scramble (and of the random fallback).
    public let seed: UInt64
    /// Whether the sequence is scrambled (unscrambled, trial 1 gets the centre of the space).
    public let scrambled: Bool

    /// Creates a quasi-random sampler.
    public init(seed: UInt64? = nil, scrambled: Bool = true) {
        self.seed = seed ?? SamplerRandomness.freshSeed()
        self.scrambled = scrambled
    }

    /// The parameters of the study's first trial that has any.
    public func inferRelativeSearchSpace(study: StudyView, trial: FrozenTrial) -> [String: Distribution] {
        guard let first = study.allTrials.first(where: { $0.number != trial.number && !$0.distributions.isEmpty })
        else { return [:] }
        let space = first.distributions.filter { !$0.value.isSingleValue }
        return space.count <= SobolDirectionNumbers.dimensionLimit ? space : [:]
    }

    /// Sobol point `trial.number`, mapped onto the parameters.
    public func sampleRelative(
        study: StudyView, trial: FrozenTrial, searchSpace: [String: Distribution]
    ) throws -> [String: Double] {
        guard !searchSpace.isEmpty else { return [:] }
        let space = OrderedSearchSpace(searchSpace)
        let sequence = SobolSequence(dimension: space.names.count, scrambleSeed: scrambled ? seed : nil)
        let unit = sequence.point(trial.number % (1 << SobolSequence.bits))
        var result: [String: Double] = [:]
        for (index, name) in space.names.enumerated() {
            result[name] = space.parameters[index].value(fromUnit: unit[index])
        }
        return result
    }

    /// A random value for parameters outside the Sobol space.
    public func sampleIndependent(
        study: StudyView, trial: FrozenTrial, name: String, distribution: Distribution
    ) throws -> Double {
        RandomSampler.sample(distribution, seed: seed, trial: trial.number, name: name)
    }
}
