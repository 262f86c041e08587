import ForgeTensor
import Foundation
import Synchronization

/// NSGA-II (Deb et al. 2002), the evolutionary sampler for multi-objective studies: generations of
/// ``Configuration/populationSize`` trials; each new generation's parents are the elite of all earlier
/// complete trials (non-dominated fronts, then crowding distance), picked by binary tournament, recombined
/// by simulated binary or uniform crossover and mutated by polynomial mutation (categorical parameters:
/// uniform crossover and random resets).
///
/// Trial number k belongs to generation k / populationSize; the first generation is random. Everything
/// depends only on the seed, the trial number and the finished trials, so several workers can share
/// the study.
///
/// ```swift
/// let study = try await Study.create(directions: [.minimize, .minimize], sampler: NSGAIISampler(seed: 0))
/// ```
public struct NSGAIISampler: Sampler {
    /// How two parents are recombined.
    public enum Crossover: Sendable, Hashable {
        /// Simulated binary crossover with distribution index `eta` (numeric parameters; categorical ones
        /// swap with probability ½).
        case simulatedBinary(eta: Double)
        /// Each parameter from either parent with probability `swapProbability`.
        case uniform(swapProbability: Double)
    }

    /// NSGA-II's settings.
    public struct Configuration: Sendable, Hashable {
        /// Trials per generation (the population).
        public var populationSize = 50
        /// The recombination operator.
        public var crossover = Crossover.simulatedBinary(eta: 15)
        /// The probability that a child is a crossover of two parents (otherwise a copy of one).
        public var crossoverProbability = 0.9
        /// The per-parameter mutation probability; nil means 1 / number of parameters.
        public var mutationProbability: Double? = nil
        /// The distribution index of polynomial mutation.
        public var mutationEta = 20.0

        /// Defaults: population 50, SBX (η 15) with probability 0.9, polynomial mutation (η 20) at 1/d.
        public init() {}
    }

    /// The seed of every draw.
    public let seed: UInt64
    /// The settings.
    public let configuration: Configuration
    private let elites = EliteCache()

    /// Creates an NSGA-II sampler.
    /// - Precondition: `populationSize ≥ 2`, probabilities in [0, 1].
    public init(seed: UInt64? = nil, configuration: Configuration = Configuration()) {
        precondition(
            configuration.populationSize >= 2 && (0...1).contains(configuration.crossoverProbability)
                && (configuration.mutationProbability.map { (0...1).contains($0) } ?? true),
            "NSGAIISampler: populationSize \(configuration.populationSize) must be ≥ 2 and probabilities in [0, 1]")
        self.seed = seed ?? SamplerRandomness.freshSeed()
        self.configuration = configuration
    }

    /// The parameters every complete trial shares (from the second generation on).
    public func inferRelativeSearchSpace(study: StudyView, trial: FrozenTrial) -> [String: Distribution] {
        trial.number < configuration.populationSize ? [:] : IntersectionSearchSpace.compute(study: study)
    }

    /// A child of two tournament-selected elite parents.
    public func sampleRelative(
        study: StudyView, trial: FrozenTrial, searchSpace: [String: Distribution]
    ) throws -> [String: Double] {
        guard !searchSpace.isEmpty else { return [:] }
        let generation = trial.number / configuration.populationSize
        let space = OrderedSearchSpace(searchSpace)
        let parents = elites.elite(generation: generation, names: space.names) {
            eliteUnitPoints(study: study, space: space, before: generation * configuration.populationSize)
        }
        guard parents.count >= 2 else { return [:] }
        var generator = SamplerRandomness.generator(seed: seed, trial: trial.number, stream: 0x6E73_6761)
        // Binary tournament on the elite order (earlier = better).
        func pick() -> [Double] {
            let a = Int(generator.next(below: UInt64(parents.count)))
            let b = Int(generator.next(below: UInt64(parents.count)))
            return parents[min(a, b)]
        }
        let first = pick()
        let second = pick()
        var child = first
        if generator.nextUnit() < configuration.crossoverProbability {
            child = NSGAIIOperators.crossover(
                first, second, categorical: space.parameters.map(\.isCategorical), operator: configuration.crossover,
                generator: &generator)
        }
        let mutation = configuration.mutationProbability ?? 1 / Double(space.names.count)
        NSGAIIOperators.mutate(
            &child, parameters: space.parameters, probability: mutation, eta: configuration.mutationEta,
            generator: &generator)
        var result: [String: Double] = [:]
        for (index, name) in space.names.enumerated() { result[name] = space.parameters[index].value(fromUnit: child[index]) }
        return result
    }

    /// A random value (first generation, parameters outside the shared space).
    public func sampleIndependent(
        study: StudyView, trial: FrozenTrial, name: String, distribution: Distribution
    ) throws -> Double {
        RandomSampler.sample(distribution, seed: seed, trial: trial.number, name: name)
    }

    /// The best `populationSize` complete trials numbered below `limit`, best first, as unit points.
    private func eliteUnitPoints(study: StudyView, space: OrderedSearchSpace, before limit: Int) -> [[Double]] {
        var losses: [[Double]] = []
        var points: [[Double]] = []
        for trial in study.allTrials where trial.number < limit && trial.state == .complete {
            guard let values = trial.values, values.count == study.directions.count, let point = space.point(of: trial)
            else { continue }
            losses.append(zip(study.directions, values).map { $0.loss($1).isNaN ? .infinity : $0.loss($1) })
            points.append(zip(space.parameters, point).map { $0.unitValue(of: $1) })
        }
        return ParetoRanking.order(losses).prefix(configuration.populationSize).map { points[$0] }
    }
}

/// Elite populations already computed, per generation and search space.
final class EliteCache: Sendable {
    private let cache = Mutex<[Int: (names: [String], points: [[Double]])]>([:])

    /// The cached elite of `generation`, or `compute()`'s result, cached when non-empty.
    func elite(generation: Int, names: [String], compute: () -> [[Double]]) -> [[Double]] {
        if let cached = cache.withLock({ $0[generation] }), cached.names == names { return cached.points }
        let points = compute()
        if !points.isEmpty { cache.withLock { $0[generation] = (names, points) } }
        return points
    }
}
