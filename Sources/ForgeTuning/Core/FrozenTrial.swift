public import Foundation

/// A snapshot of one trial as stored: its parameters, values, state, intermediate values and attributes.
///
/// Parameters are kept in the internal representation together with their distributions (as in
/// Optuna), so any sampler can work on them; ``params`` gives the values the objective saw.
public struct FrozenTrial: Sendable, Hashable, Codable, Identifiable {
    /// The trial's id, unique in its storage across studies.
    public var id: Int
    /// The trial's number inside its study: 0, 1, 2, … in creation order, unique across processes.
    public var number: Int
    /// The life-cycle state.
    public var state: TrialState
    /// The objective values (one per study direction), set when the trial completes.
    public var values: [Double]?
    /// When the trial started running (`nil` while waiting).
    public var startDate: Date?
    /// When the trial finished (`nil` while waiting or running).
    public var completeDate: Date?
    /// Parameter values in the internal representation (see ``Distribution``).
    public var internalParams: [String: Double]
    /// The distribution each parameter was drawn from.
    public var distributions: [String: Distribution]
    /// Intermediate objective values reported with ``Trial/report(_:step:)``, by step.
    public var intermediateValues: [Int: Double]
    /// Attributes set by the user.
    public var userAttributes: [String: AttributeValue]
    /// Attributes set by Forge and samplers (for example the fixed parameters of an enqueued trial).
    public var systemAttributes: [String: AttributeValue]

    /// Creates a trial record.
    public init(
        id: Int, number: Int, state: TrialState, values: [Double]? = nil, startDate: Date? = nil,
        completeDate: Date? = nil, internalParams: [String: Double] = [:], distributions: [String: Distribution] = [:],
        intermediateValues: [Int: Double] = [:], userAttributes: [String: AttributeValue] = [:],
        systemAttributes: [String: AttributeValue] = [:]
    ) {
        self.id = id
        self.number = number
        self.state = state
        self.values = values
        self.startDate = startDate
        self.completeDate = completeDate
        self.internalParams = internalParams
        self.distributions = distributions
        self.intermediateValues = intermediateValues
        self.userAttributes = userAttributes
        self.systemAttributes = systemAttributes
    }

    /// Parameter values as the objective saw them.
    public var params: [String: ParameterValue] {
        var result: [String: ParameterValue] = [:]
        for (name, internalValue) in internalParams {
            if let distribution = distributions[name] { result[name] = distribution.toExternal(internalValue) }
        }
        return result
    }

    /// The single objective value of a single-objective trial, or `nil`.
    public var value: Double? {
        guard let values, values.count == 1 else { return nil }
        return values[0]
    }

    /// The last reported intermediate value and its step, or `nil` when nothing was reported.
    public var lastStep: Int? { intermediateValues.keys.max() }

    /// How long the trial ran (`nil` until it finished).
    public var duration: TimeInterval? {
        guard let startDate, let completeDate else { return nil }
        return completeDate.timeIntervalSince(startDate)
    }
}

extension FrozenTrial {
    /// Whether trial `self` Pareto-dominates `other` for `directions`: no worse in every objective and better
    /// in at least one. Trials without values dominate nothing.
    public func dominates(_ other: FrozenTrial, directions: [StudyDirection]) -> Bool {
        guard let mine = values, let theirs = other.values, mine.count == directions.count,
            theirs.count == directions.count
        else { return false }
        var strictlyBetter = false
        for (index, direction) in directions.enumerated() {
            let a = direction.loss(mine[index])
            let b = direction.loss(theirs[index])
            if a > b { return false }
            if a < b { strictlyBetter = true }
        }
        return strictlyBetter
    }
}
