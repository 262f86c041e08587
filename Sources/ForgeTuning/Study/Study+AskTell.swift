import Foundation

extension Study {
    /// Starts a trial: claims the oldest waiting (enqueued) trial or creates a new one, and runs the
    /// sampler's relative phase. Pair with ``tell(_:values:state:)``; ``optimize(trials:timeout:concurrency:objective:)``
    /// does both for you.
    ///
    /// ```swift
    /// let trial = try await study.ask()
    /// let x = try await trial.suggestFloat("x", -10...10)
    /// try await study.tell(trial, values: [(x - 2) * (x - 2)])
    /// ```
    public func ask() async throws -> Trial {
        if let heartbeatInterval {
            try await failStaleTrials(olderThan: heartbeatInterval * 2)
        }
        var stored: FrozenTrial?
        for waiting in try await storage.trials(studyID: id, states: [.waiting]) {
            if try await storage.setTrialState(trialID: waiting.id, state: .running, values: nil) {
                stored = try await storage.trial(id: waiting.id)
                break
            }
        }
        let frozen: FrozenTrial
        if let stored {
            frozen = stored
        } else {
            frozen = try await storage.createTrial(studyID: id, template: nil)
        }
        let trial = Trial(study: self, trial: frozen, view: try await view())
        do {
            try await trial.prepareRelativeSample()
        } catch {
            try await finish(trialID: frozen.id, snapshot: frozen, state: .failed, values: nil, reason: "\(error)")
            throw error
        }
        for observer in observers.withLock({ $0 }) {
            await observer.trialDidStart(study: self, trial: frozen)
        }
        return trial
    }

    /// Finishes a trial from ``ask()`` with its objective values (or as pruned or failed).
    ///
    /// A complete trial needs one value per direction; a NaN value records the trial as failed instead.
    /// - Returns: the stored, finished trial.
    /// - Throws: ``TuningError/valuesCountMismatch(number:expected:got:)``,
    ///   ``TuningError/trialAlreadyFinished(number:state:)`` when it was already told.
    @discardableResult
    public func tell(_ trial: Trial, values: [Double]?, state: TrialState = .complete) async throws -> FrozenTrial {
        try await tell(trialID: trial.id, snapshot: await trial.snapshot, values: values, state: state)
    }

    /// Finishes the trial with number `trialNumber` (for ask-and-tell across processes).
    @discardableResult
    public func tell(trialNumber: Int, values: [Double]?, state: TrialState = .complete) async throws -> FrozenTrial {
        guard let stored = try await trials().first(where: { $0.number == trialNumber }) else {
            throw TuningError.invalidArgument(reason: "study '\(name)' has no trial number \(trialNumber)")
        }
        return try await tell(trialID: stored.id, snapshot: stored, values: values, state: state)
    }

    private func tell(trialID: Int, snapshot: FrozenTrial, values: [Double]?, state: TrialState) async throws
        -> FrozenTrial
    {
        switch state {
        case .complete:
            guard let values else {
                throw TuningError.invalidStateTransition(
                    number: snapshot.number, from: snapshot.state, to: state, reason: "a complete trial needs values")
            }
            guard values.count == directions.count else {
                throw TuningError.valuesCountMismatch(
                    number: snapshot.number, expected: directions.count, got: values.count)
            }
            if values.contains(where: \.isNaN) {
                return try await finish(
                    trialID: trialID, snapshot: snapshot, state: .failed, values: nil,
                    reason: "the objective returned NaN: \(values)")
            }
            return try await finish(trialID: trialID, snapshot: snapshot, state: .complete, values: values, reason: nil)
        case .pruned, .failed:
            return try await finish(trialID: trialID, snapshot: snapshot, state: state, values: nil, reason: nil)
        case .running, .waiting:
            throw TuningError.invalidStateTransition(
                number: snapshot.number, from: snapshot.state, to: state, reason: "tell needs a finished state")
        }
    }

    @discardableResult
    func finish(trialID: Int, snapshot: FrozenTrial, state: TrialState, values: [Double]?, reason: String?)
        async throws -> FrozenTrial
    {
        if let reason {
            try await storage.setTrialSystemAttribute(trialID: trialID, key: "fail_reason", value: .string(reason))
        }
        sampler.afterTrial(study: try await view(), trial: snapshot, state: state, values: values)
        try await storage.setTrialState(trialID: trialID, state: state, values: values)
        let finished = try await storage.trial(id: trialID)
        for observer in observers.withLock({ $0 }) {
            await observer.trialDidFinish(study: self, trial: finished)
        }
        return finished
    }

    /// Queues a trial with fixed parameters (a known good configuration, say); the next ``ask()`` by any
    /// worker evaluates it. Parameters the objective suggests that are not fixed are sampled as usual.
    ///
    /// - Parameters:
    ///   - params: values by parameter name, as the objective will receive them.
    ///   - userAttributes: attributes stored on the trial.
    ///   - skipIfExists: do nothing when a trial with the same fixed parameters is waiting, running or
    ///     finished already.
    public func enqueueTrial(
        params: [String: ParameterValue], userAttributes: [String: AttributeValue] = [:], skipIfExists: Bool = false
    ) async throws {
        if skipIfExists {
            for existing in try await trials() {
                if existing.params == params { return }
                if case .object(let fixed) = existing.systemAttributes[fixedParamsAttributeKey] ?? .null,
                    fixed == params.mapValues(\.attributeValue)
                {
                    return
                }
            }
        }
        let template = FrozenTrial(
            id: -1, number: -1, state: .waiting, userAttributes: userAttributes,
            systemAttributes: [fixedParamsAttributeKey: .object(params.mapValues(\.attributeValue))])
        _ = try await storage.createTrial(studyID: id, template: template)
    }

    /// Adds a finished trial evaluated elsewhere (warm-starting from earlier results, say).
    /// - Throws: ``TuningError/invalidArgument(reason:)`` when the trial is not finished, a parameter is outside
    ///   its distribution, or a complete trial has the wrong number of values.
    @discardableResult
    public func addTrial(_ trial: FrozenTrial) async throws -> FrozenTrial {
        guard trial.state.isFinished else {
            throw TuningError.invalidArgument(reason: "addTrial needs a finished trial, not \(trial.state)")
        }
        if trial.state == .complete, trial.values?.count != directions.count {
            throw TuningError.valuesCountMismatch(
                number: trial.number, expected: directions.count, got: trial.values?.count ?? 0)
        }
        for (name, value) in trial.internalParams {
            guard let distribution = trial.distributions[name], distribution.contains(value) else {
                throw TuningError.invalidArgument(reason: "parameter '\(name)' = \(value) is outside its distribution")
            }
        }
        return try await storage.createTrial(studyID: id, template: trial)
    }

    /// Fails every running trial whose heartbeat (or, without heartbeats, start) is older than `age`, so a
    /// study whose worker crashed can resume. Returns the numbers of the trials it failed.
    ///
    /// Without heartbeats, `age` must exceed the longest trial, or live trials of other workers are failed.
    @discardableResult
    public func failStaleTrials(olderThan age: Duration) async throws -> [Int] {
        let seconds = Double(age.components.seconds) + Double(age.components.attoseconds) * 1e-18
        let cutoff = Date().addingTimeInterval(-seconds)
        var failed: [Int] = []
        for trial in try await storage.staleTrials(studyID: id, olderThan: cutoff) {
            do {
                try await storage.setTrialSystemAttribute(
                    trialID: trial.id, key: "fail_reason", value: .string("stale: no heartbeat since \(cutoff)"))
                try await storage.setTrialState(trialID: trial.id, state: .failed, values: nil)
                failed.append(trial.number)
            } catch TuningError.trialAlreadyFinished {
                continue  // its worker finished it meanwhile, or another worker failed it first
            }
        }
        return failed
    }
}
