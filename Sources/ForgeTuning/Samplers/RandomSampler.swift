/// Samples every parameter independently and uniformly (log-uniformly on a log scale; every grid point
/// equally likely for integers and stepped floats) — the baseline, and the start-up sampler of TPE and
/// the GP sampler.
///
/// Draws depend only on the seed, the trial number and the parameter name, so a seeded study suggests
/// the same values however its trials are scheduled.
///
/// ```swift
/// let study = try await Study.create(direction: .minimize, sampler: RandomSampler(seed: 42))
/// ```
public struct RandomSampler: Sampler {
    /// The seed of every draw.
    public let seed: UInt64

    /// Creates a random sampler; without a seed, each sampler instance draws a fresh one.
    public init(seed: UInt64? = nil) {
        self.seed = seed ?? SamplerRandomness.freshSeed()
    }

    /// Draws `distribution` uniformly for `name` in `trial`.
    public func sampleIndependent(
        study: StudyView, trial: FrozenTrial, name: String, distribution: Distribution
    ) throws -> Double {
        Self.sample(distribution, seed: seed, trial: trial.number, name: name)
    }

    /// One uniform draw, shared with the samplers that fall back to random sampling.
    static func sample(_ distribution: Distribution, seed: UInt64, trial: Int, name: String) -> Double {
        var generator = SamplerRandomness.generator(seed: seed, trial: trial, stream: SamplerRandomness.stableHash(name))
        return SamplerParameter(distribution).value(fromUnit: generator.nextUnit())
    }
}
