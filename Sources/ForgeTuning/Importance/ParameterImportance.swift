import Foundation

/// How much of the variation of the objective one parameter explains on its own (fANOVA).
public struct ParameterImportance: Sendable, Hashable {
    /// The parameter's name.
    public var name: String
    /// Its share, between 0 and 1; the shares of a study sum to 1.
    public var importance: Double

    /// Creates an entry.
    public init(name: String, importance: Double) {
        self.name = name
        self.importance = importance
    }
}

extension StudyView {
    /// Parameter importances by fANOVA on a random forest (Optuna's default evaluator; see the note on
    /// categorical parameters in the DocC article), most important first.
    ///
    /// Uses the completed trials and the parameters every one of them has with the same distribution
    /// (the intersection search space). Float and integer parameters are scaled to [0, 1] (on a log scale
    /// when their distribution is), categorical ones by their choice index.
    ///
    /// - Parameters:
    ///   - parameters: only these parameters (all shared ones when `nil`).
    ///   - objective: which objective of a multi-objective study.
    ///   - treeCount: trees in the forest (64, as Optuna).
    ///   - seed: seeds the forest's bootstrap samples.
    /// - Throws: ``TuningError/invalidArgument(reason:)`` with fewer than two completed trials or no shared
    ///   parameter, or an unknown parameter or objective.
    public func parameterImportances(
        parameters: [String]? = nil, objective: Int = 0, treeCount: Int = 64, seed: UInt64 = 0
    ) throws(TuningError) -> [ParameterImportance] {
        guard objective >= 0, objective < directions.count else {
            throw .invalidArgument(reason: "study '\(name)' has no objective \(objective)")
        }
        let completed = trials(states: [.complete]).filter {
            ($0.values?.count ?? 0) > objective && $0.values?[objective].isFinite == true
        }
        guard completed.count >= 2 else {
            throw .invalidArgument(reason: "study '\(name)': importances need at least 2 completed trials")
        }
        let space = IntersectionSearchSpace.compute(study: StudyView(name: name, directions: directions, trials: completed))
        var names = space.keys.sorted()
        if let parameters {
            for parameter in parameters where space[parameter] == nil {
                throw .invalidArgument(
                    reason: "parameter '\(parameter)' is not shared by every completed trial of study '\(name)'")
            }
            names = parameters
        }
        guard !names.isEmpty else {
            throw .invalidArgument(reason: "study '\(name)': the completed trials share no varying parameter")
        }
        let features = completed.map { trial in
            names.map { parameter -> Double in
                guard let distribution = space[parameter], let value = trial.internalParams[parameter] else { return 0 }
                return Self.scaled(value, distribution)
            }
        }
        let targets = completed.map { $0.values?[objective] ?? 0 }
        let shares = FanovaImportance.importances(features: features, targets: targets, treeCount: treeCount, seed: seed)
        return zip(names, shares).map { ParameterImportance(name: $0, importance: $1) }
            .sorted { $0.importance != $1.importance ? $0.importance > $1.importance : $0.name < $1.name }
    }

    /// An internal value scaled into [0, 1] of its distribution (log-scaled where the distribution is).
    static func scaled(_ value: Double, _ distribution: Distribution) -> Double {
        func unit(_ value: Double, _ low: Double, _ high: Double, _ log: Bool) -> Double {
            let (v, l, h) = log ? (Foundation.log(value), Foundation.log(low), Foundation.log(high)) : (value, low, high)
            return h > l ? min(max((v - l) / (h - l), 0), 1) : 0
        }
        switch distribution {
        case .float(let float): return unit(value, float.low, float.high, float.log)
        case .int(let int): return unit(value, Double(int.low), Double(int.high), int.log)
        case .categorical(let categorical):
            return categorical.choices.count > 1 ? value / Double(categorical.choices.count - 1) : 0
        }
    }
}

extension Study {
    /// Parameter importances of the study by fANOVA; see ``StudyView/parameterImportances(parameters:objective:treeCount:seed:)``.
    ///
    /// ```swift
    /// for entry in try await study.parameterImportances() { print(entry.name, entry.importance) }
    /// ```
    public func parameterImportances(parameters: [String]? = nil, objective: Int = 0, seed: UInt64 = 0) async throws
        -> [ParameterImportance]
    {
        try await view().parameterImportances(parameters: parameters, objective: objective, seed: seed)
    }
}
