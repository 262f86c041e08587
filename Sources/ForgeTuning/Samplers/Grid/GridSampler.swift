/// Exhaustive grid search over a ``GridSearchSpace``: trial number k gets grid point k (in a shuffled
/// order when seeded), so every point is tried exactly once even when trials run concurrently or in
/// several processes — trial numbers are unique in a study. After ``GridSearchSpace/count`` trials the
/// grid is exhausted and `ask` throws ``SearchSpaceExhausted``; run the study with
/// `trials: space.count`.
///
/// The objective suggests the grid's parameters as usual, with distributions that contain the grid values:
///
/// ```swift
/// let space = try GridSearchSpace(["lr": [.double(0.1), .double(0.01)], "layers": [.int(1), .int(2), .int(3)]])
/// let study = try await Study.create(direction: .minimize, sampler: GridSampler(space))
/// try await study.optimize(trials: space.count) { trial in
///     let lr = try await trial.suggestFloat("lr", 0.001...1, log: true)
///     let layers = try await trial.suggestInt("layers", 1...3)
///     return try await train(lr: lr, layers: layers)
/// }
/// ```
public struct GridSampler: Sampler {
    /// The grid.
    public let space: GridSearchSpace
    /// The visiting order (a permutation of the grid indices).
    private let order: [Int]

    /// Creates a grid sampler; with a `seed`, the grid is visited in a seeded random order (as Optuna's
    /// `GridSampler`), otherwise in index order.
    public init(_ space: GridSearchSpace, seed: UInt64? = nil) {
        self.space = space
        var order = Array(0..<space.count)
        if let seed {
            var generator = SamplerRandomness.generator(seed: seed, trial: 0, stream: 0x6772_6964)
            for index in stride(from: order.count - 1, to: 0, by: -1) {  // Fisher–Yates
                order.swapAt(index, Int(generator.next(below: UInt64(index + 1))))
            }
        }
        self.order = order
    }

    /// The grid point's value of `name` for `trial`.
    /// - Throws: ``SearchSpaceExhausted`` after the last grid point; ``TuningError/invalidArgument(reason:)``
    ///   when `name` is not a grid axis; ``TuningError/valueOutsideDistribution(parameter:value:distribution:)``
    ///   when the grid value is not in `distribution`.
    public func sampleIndependent(
        study: StudyView, trial: FrozenTrial, name: String, distribution: Distribution
    ) throws -> Double {
        guard trial.number < order.count else {
            throw SearchSpaceExhausted(pointCount: order.count, trialNumber: trial.number)
        }
        guard let value = space.point(at: order[trial.number])[name] else {
            throw TuningError.invalidArgument(
                reason: "grid sampler: parameter '\(name)' is not in the grid (\(space.names.joined(separator: ", ")))")
        }
        return try distribution.toInternal(value, parameter: name)
    }
}
