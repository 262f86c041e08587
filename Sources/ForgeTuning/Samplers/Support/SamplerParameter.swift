import Foundation

/// One parameter as the sampler engines see it, in Optuna's internal representation: floats and
/// integers as their value, categorical choices as their index.
///
/// The engines work either on this representation directly (TPE) or on the unit interval
/// (``unitValue(of:)`` / ``value(fromUnit:)``: Sobol, GP, NSGA-II, coarse-to-fine), where a log
/// parameter is uniform in its logarithm and a stepped or integer parameter owns an equal slice of
/// [0, 1] per grid point.
struct SamplerParameter: Sendable, Hashable {
    /// What values the parameter takes.
    enum Kind: Sendable, Hashable {
        /// A real number in `low...high`.
        case continuous
        /// A multiple of `step` above `low` (integers, stepped floats).
        case discrete(step: Double)
        /// One of `count` choices, represented by its index.
        case categorical(count: Int)
    }

    /// What values the parameter takes.
    let kind: Kind
    /// The smallest value (0 for a categorical parameter).
    let low: Double
    /// The largest value (`count − 1` for a categorical parameter).
    let high: Double
    /// Whether the parameter is searched on a log scale.
    let isLog: Bool

    /// A continuous parameter in `low...high`.
    static func continuous(_ low: Double, _ high: Double, log: Bool = false) -> SamplerParameter {
        SamplerParameter(kind: .continuous, low: low, high: high, isLog: log)
    }

    /// A parameter on the grid `low, low + step, …` up to `high`.
    static func discrete(_ low: Double, _ high: Double, step: Double, log: Bool = false) -> SamplerParameter {
        SamplerParameter(kind: .discrete(step: step), low: low, high: high, isLog: log)
    }

    /// A categorical parameter with `count` choices.
    static func categorical(_ count: Int) -> SamplerParameter {
        SamplerParameter(kind: .categorical(count: count), low: 0, high: Double(max(count - 1, 0)), isLog: false)
    }

    /// The grid step, or nil for continuous and categorical parameters.
    var step: Double? {
        if case .discrete(let step) = kind { return step }
        return nil
    }

    /// Whether the parameter is categorical.
    var isCategorical: Bool {
        if case .categorical = kind { return true }
        return false
    }

    /// Whether the parameter has a single possible value.
    var isSingle: Bool { low == high }

    /// The range the engines model, transformed (log for log parameters): `low...high` widened by half a
    /// step on each side for a discrete parameter, so every grid point owns an equal share of it.
    var modelRange: (low: Double, high: Double) {
        var (lower, upper) = (low, high)
        if let step {
            lower -= step / 2
            upper += step / 2
        }
        return isLog ? (Foundation.log(lower), Foundation.log(upper)) : (lower, upper)
    }

    /// `value` (internal representation) moved onto the grid and into the bounds.
    @inline(__always)
    func snapped(_ value: Double) -> Double {
        switch kind {
        case .continuous:
            return min(max(value, low), high)
        case .discrete(let step):
            let index = ((value - low) / step).rounded()
            return min(max(low + index * step, low), high)
        case .categorical(let count):
            return Double(min(max(Int(value.rounded()), 0), count - 1))
        }
    }

    /// The position of `value` (internal representation) in [0, 1].
    func unitValue(of value: Double) -> Double {
        if case .categorical(let count) = kind { return (value + 0.5) / Double(count) }
        let range = modelRange
        if range.high <= range.low { return 0.5 }
        let transformed = isLog ? Foundation.log(value) : value
        return min(max((transformed - range.low) / (range.high - range.low), 0), 1)
    }

    /// The value (internal representation) at position `unit` of [0, 1], snapped to the grid.
    func value(fromUnit unit: Double) -> Double {
        if case .categorical(let count) = kind {
            return Double(min(max(Int(unit * Double(count)), 0), count - 1))
        }
        let range = modelRange
        let transformed = range.low + min(max(unit, 0), 1) * (range.high - range.low)
        return snapped(isLog ? exp(transformed) : transformed)
    }
}

extension SamplerParameter {
    /// The engine view of a study distribution (integers and stepped floats are discrete).
    init(_ distribution: Distribution) {
        switch distribution {
        case .float(let float):
            if let step = float.step {
                self = .discrete(float.low, float.high, step: step)
            } else {
                self = .continuous(float.low, float.high, log: float.log)
            }
        case .int(let int):
            self = .discrete(Double(int.low), Double(int.high), step: Double(int.step), log: int.log)
        case .categorical(let categorical):
            self = .categorical(categorical.choices.count)
        }
    }
}

/// A relative search space in a fixed order (names sorted), so engines see the same columns in every
/// process and call.
struct OrderedSearchSpace {
    /// Parameter names, sorted.
    let names: [String]
    /// Their distributions, aligned with `names`.
    let distributions: [Distribution]
    /// Their engine view, aligned with `names`.
    let parameters: [SamplerParameter]

    init(_ space: [String: Distribution]) {
        let sorted = space.sorted { $0.key < $1.key }
        names = sorted.map(\.key)
        distributions = sorted.map(\.value)
        parameters = distributions.map(SamplerParameter.init)
    }

    /// The trial's values for every parameter (internal representation), or nil when one is missing or
    /// was drawn from another distribution; `extra` supplies values not stored yet (constant liar).
    func point(of trial: FrozenTrial, extra: [String: Double]? = nil) -> [Double]? {
        var point = [Double]()
        point.reserveCapacity(names.count)
        for (index, name) in names.enumerated() {
            if let value = trial.internalParams[name] {
                guard trial.distributions[name] == distributions[index] else { return nil }
                point.append(value)
            } else if let value = extra?[name] {
                point.append(value)
            } else {
                return nil
            }
        }
        return point
    }

    /// The point as a dictionary keyed by parameter name.
    func dictionary(_ point: [Double]) -> [String: Double] {
        var result: [String: Double] = [:]
        for (index, name) in names.enumerated() { result[name] = point[index] }
        return result
    }
}
