/// One evaluation of the objective, handed to it by the study: the objective *asks* the trial for
/// parameter values (define-by-run), reports intermediate values, and asks whether to stop early.
///
/// Conditional search spaces are ordinary Swift control flow:
///
/// ```swift
/// try await study.optimize(trials: 50) { trial in
///     let learningRate = try await trial.suggestFloat("lr", 1e-5...1e-1, log: true)
///     let layers = try await trial.suggestInt("layers", 1...3)
///     var width = 0
///     if layers > 1 { width = try await trial.suggestInt("width", 16...256, log: true) }
///     for epoch in 0..<10 {
///         let accuracy = train(learningRate, layers, width, epoch)
///         try await trial.report(accuracy, step: epoch)
///         if try await trial.shouldPrune() { throw TrialPruned() }
///     }
///     return evaluate()
/// }
/// ```
///
/// Suggesting the same name twice in one trial returns the same value; suggesting it with another
/// distribution throws ``TuningError/incompatibleDistribution(parameter:existing:requested:)``.
public actor Trial {
    /// The study the trial belongs to.
    public nonisolated let study: Study
    /// The trial's number in the study (0, 1, 2, …).
    public nonisolated let number: Int
    /// The trial's id in the storage.
    public nonisolated let id: Int

    private var frozen: FrozenTrial
    private var view: StudyView
    private var relativeSearchSpace: [String: Distribution] = [:]
    private var relativeParams: [String: Double] = [:]
    private let fixedParams: [String: ParameterValue]

    init(study: Study, trial: FrozenTrial, view: StudyView) {
        self.study = study
        self.number = trial.number
        self.id = trial.id
        self.frozen = trial
        self.view = view
        var fixed: [String: ParameterValue] = [:]
        if case .object(let members) = trial.systemAttributes[fixedParamsAttributeKey] ?? .null {
            for (name, value) in members { fixed[name] = ParameterValue(value) }
        }
        self.fixedParams = fixed
    }

    /// Runs the sampler's relative phase; called once by the study before the objective starts.
    func prepareRelativeSample() throws {
        let sampler = study.sampler
        sampler.beforeTrial(study: view, trial: frozen)
        relativeSearchSpace = sampler.inferRelativeSearchSpace(study: view, trial: frozen)
        if !relativeSearchSpace.isEmpty {
            relativeParams = try sampler.sampleRelative(study: view, trial: frozen, searchSpace: relativeSearchSpace)
        }
    }

    /// The trial as stored so far (parameters, intermediate values, attributes), as this worker sees it.
    public var snapshot: FrozenTrial { frozen }

    /// The parameter values suggested so far.
    public var params: [String: ParameterValue] { frozen.params }

    /// Suggests a float from `range`, optionally on a log scale or on a grid of `step`.
    ///
    /// - Parameters:
    ///   - name: the parameter's name, unique in the trial.
    ///   - range: the interval `low...high`.
    ///   - step: a grid spacing that divides `high − low`, or `nil`.
    ///   - log: whether to search `log(value)` (needs `low > 0`, no step).
    /// - Throws: ``TuningError/invalidDistribution(parameter:reason:)`` for bad bounds.
    public func suggestFloat(
        _ name: String, _ range: ClosedRange<Double>, step: Double? = nil, log: Bool = false
    ) async throws -> Double {
        let distribution = Distribution.float(
            try FloatDistribution(low: range.lowerBound, high: range.upperBound, log: log, step: step, parameter: name))
        return try await suggest(name, distribution).doubleValue ?? range.lowerBound
    }

    /// Suggests an integer from `range`, optionally on a log scale or every `step`.
    /// - Throws: ``TuningError/invalidDistribution(parameter:reason:)`` for bad bounds.
    public func suggestInt(_ name: String, _ range: ClosedRange<Int>, step: Int = 1, log: Bool = false) async throws
        -> Int
    {
        let distribution = Distribution.int(
            try IntDistribution(low: range.lowerBound, high: range.upperBound, log: log, step: step, parameter: name))
        return try await suggest(name, distribution).intValue ?? range.lowerBound
    }

    /// Suggests one of `choices`.
    /// - Throws: ``TuningError/invalidDistribution(parameter:reason:)`` when `choices` is empty.
    public func suggestCategorical(_ name: String, _ choices: [ParameterValue]) async throws -> ParameterValue {
        try await suggest(name, .categorical(try CategoricalDistribution(choices: choices, parameter: name)))
    }

    /// Suggests one of `choices` given as strings.
    public func suggestCategorical(_ name: String, _ choices: [String]) async throws -> String {
        let value = try await suggestCategorical(name, choices.map(ParameterValue.string))
        return value.stringValue ?? choices[0]
    }

    /// Suggests a value from any distribution; the typed `suggest…` methods call this.
    /// - Throws: ``TuningError/incompatibleDistribution(parameter:existing:requested:)`` when `name` was
    ///   suggested before in this trial with another distribution, and storage errors.
    public func suggest(_ name: String, _ distribution: Distribution) async throws -> ParameterValue {
        if let existing = frozen.distributions[name], let internalValue = frozen.internalParams[name] {
            guard existing == distribution else {
                throw TuningError.incompatibleDistribution(parameter: name, existing: existing, requested: distribution)
            }
            return existing.toExternal(internalValue)
        }
        var internalValue: Double
        if let fixed = fixedParams[name] {
            internalValue = try distribution.toInternal(fixed, parameter: name)
        } else if distribution.isSingleValue {
            internalValue = try distribution.toInternal(distribution.toExternal(-Double.greatestFiniteMagnitude))
        } else if let relative = relativeParams[name], relativeSearchSpace[name] == distribution {
            internalValue = relative
        } else {
            internalValue = try study.sampler.sampleIndependent(
                study: view, trial: frozen, name: name, distribution: distribution)
        }
        if !distribution.contains(internalValue) {
            // Snap to the grid and clamp into the bounds, so a sampler's rounding never stores a bad value.
            internalValue = try distribution.toInternal(distribution.toExternal(internalValue), parameter: name)
        }
        try await study.storage.setTrialParameter(
            trialID: id, name: name, internalValue: internalValue, distribution: distribution)
        frozen.internalParams[name] = internalValue
        frozen.distributions[name] = distribution
        updateViewCopy()
        return distribution.toExternal(internalValue)
    }

    /// Reports an intermediate objective value (validation accuracy after an epoch, say) at `step`.
    ///
    /// A step reported twice keeps its first value, as in Optuna.
    /// - Throws: ``TuningError/invalidArgument(reason:)`` for a negative step; storage errors.
    public func report(_ value: Double, step: Int) async throws {
        guard step >= 0 else { throw TuningError.invalidArgument(reason: "trial \(number): step \(step) is negative") }
        guard frozen.intermediateValues[step] == nil else { return }
        try await study.storage.setTrialIntermediateValue(trialID: id, step: step, value: value)
        frozen.intermediateValues[step] = value
        updateViewCopy()
    }

    /// Asks the study's pruner whether to stop now, on a fresh snapshot of the study.
    ///
    /// Throw ``TrialPruned`` from the objective when it returns `true`.
    public func shouldPrune() async throws -> Bool {
        guard study.directions.count == 1 else { return false }
        var fresh = try await study.view()
        if let index = fresh.allTrials.firstIndex(where: { $0.id == id }) { fresh.allTrials[index] = frozen }
        let decision = study.pruner.decide(study: fresh, trial: frozen)
        for (key, value) in decision.trialSystemAttributes.sorted(by: { $0.key < $1.key }) {
            try await setSystemAttribute(key, value)
        }
        return decision.prune
    }

    /// Sets a user attribute of the trial (stored, and shown in trials tables and reports).
    public func setUserAttribute(_ key: String, _ value: AttributeValue) async throws {
        try await study.storage.setTrialUserAttribute(trialID: id, key: key, value: value)
        frozen.userAttributes[key] = value
    }

    /// Sets a system attribute of the trial (for samplers and tools rather than people).
    public func setSystemAttribute(_ key: String, _ value: AttributeValue) async throws {
        try await study.storage.setTrialSystemAttribute(trialID: id, key: key, value: value)
        frozen.systemAttributes[key] = value
    }

    /// The user attributes set so far.
    public var userAttributes: [String: AttributeValue] { frozen.userAttributes }

    private func updateViewCopy() {
        if let index = view.allTrials.lastIndex(where: { $0.id == id }) { view.allTrials[index] = frozen }
    }
}

/// The system attribute holding an enqueued trial's fixed parameters (Optuna's name, for interop).
package let fixedParamsAttributeKey = "fixed_params"
