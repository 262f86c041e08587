import Foundation

/// Coarse-to-fine search: quasi-random (scrambled Sobol) points over the whole space for the first
/// stage, then, stage after stage, over a box that narrows around the best trials so far.
///
/// After every ``Configuration/stageSize`` complete trials the box is rebuilt on the unit scale of each
/// parameter (log scale for log parameters): it spans the best ``Configuration/topFraction`` of the
/// complete trials and is at least `shrink^stage` wide, centred on the best trial, inside the original
/// range. Categorical parameters keep only the choices the best trials used. The box depends only on
/// the complete trials, so any process computes the same one.
///
/// ```swift
/// let sampler = CoarseToFineSampler(seed: 1, configuration: .init(stageSize: 20, shrink: 0.5))
/// ```
public struct CoarseToFineSampler: Sampler {
    /// The stage settings.
    public struct Configuration: Sendable, Hashable {
        /// Complete trials per stage.
        public var stageSize: Int
        /// The fraction of complete trials (at least 2) whose span the box covers.
        public var topFraction: Double
        /// The factor the minimum box width shrinks by per stage (in (0, 1)).
        public var shrink: Double

        /// Creates a configuration.
        /// - Precondition: `stageSize ≥ 1`, `topFraction` in (0, 1], `shrink` in (0, 1).
        public init(stageSize: Int = 10, topFraction: Double = 0.2, shrink: Double = 0.5) {
            precondition(
                stageSize >= 1 && topFraction > 0 && topFraction <= 1 && shrink > 0 && shrink < 1,
                "CoarseToFineSampler.Configuration: stageSize \(stageSize) must be ≥ 1, topFraction \(topFraction) "
                    + "in (0, 1], shrink \(shrink) in (0, 1)")
            self.stageSize = stageSize
            self.topFraction = topFraction
            self.shrink = shrink
        }
    }

    /// The seed of the scrambled sequence.
    public let seed: UInt64
    /// The stage settings.
    public let configuration: Configuration

    /// Creates a coarse-to-fine sampler.
    public init(seed: UInt64? = nil, configuration: Configuration = Configuration()) {
        self.seed = seed ?? SamplerRandomness.freshSeed()
        self.configuration = configuration
    }

    /// The parameters every complete trial shares.
    public func inferRelativeSearchSpace(study: StudyView, trial: FrozenTrial) -> [String: Distribution] {
        let space = IntersectionSearchSpace.compute(study: study)
        return space.count <= SobolDirectionNumbers.dimensionLimit ? space : [:]
    }

    /// A Sobol point inside the current stage's box.
    public func sampleRelative(
        study: StudyView, trial: FrozenTrial, searchSpace: [String: Distribution]
    ) throws -> [String: Double] {
        guard !searchSpace.isEmpty else { return [:] }
        let space = OrderedSearchSpace(searchSpace)
        var ranked: [(loss: Double, unit: [Double])] = []
        for other in study.allTrials where other.state == .complete {
            guard let value = other.value, !value.isNaN, let point = space.point(of: other) else { continue }
            ranked.append((study.direction.loss(value), zip(space.parameters, point).map { $0.unitValue(of: $1) }))
        }
        ranked.sort { $0.loss < $1.loss }
        let stage = ranked.count / configuration.stageSize
        let sequence = SobolSequence(dimension: space.names.count, scrambleSeed: seed)
        let unit = sequence.point(trial.number % (1 << SobolSequence.bits))
        var result: [String: Double] = [:]
        let top = ranked.prefix(max(2, Int((configuration.topFraction * Double(ranked.count)).rounded(.up))))
        for (index, parameter) in space.parameters.enumerated() {
            var position = unit[index]
            if stage > 0, let best = top.first {
                if parameter.isCategorical {
                    let choices = Array(Set(top.map { parameter.value(fromUnit: $0.unit[index]) })).sorted()
                    result[space.names[index]] = choices[min(Int(position * Double(choices.count)), choices.count - 1)]
                    continue
                }
                var low = top.map { $0.unit[index] }.min() ?? 0
                var high = top.map { $0.unit[index] }.max() ?? 1
                let minimumWidth = pow(configuration.shrink, Double(stage))
                if high - low < minimumWidth {
                    let centre = best.unit[index]
                    low = min(low, centre - minimumWidth / 2)
                    high = max(high, centre + minimumWidth / 2)
                }
                // Slide the box back inside [0, 1] without shrinking it.
                if low < 0 { (low, high) = (0, min(1, high - low)) }
                if high > 1 { (low, high) = (max(0, low - (high - 1)), 1) }
                position = low + position * (high - low)
            }
            result[space.names[index]] = parameter.value(fromUnit: position)
        }
        return result
    }

    /// A random value for parameters outside the shared space (and for the first trial).
    public func sampleIndependent(
        study: StudyView, trial: FrozenTrial, name: String, distribution: Distribution
    ) throws -> Double {
        RandomSampler.sample(distribution, seed: seed, trial: trial.number, name: name)
    }
}
