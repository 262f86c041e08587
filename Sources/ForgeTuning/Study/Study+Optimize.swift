import Foundation

extension Study {
    /// Runs the objective on new trials until `trials` trials ran, `timeout` passed, or ``stop()`` was called.
    ///
    /// With `concurrency` above 1 that many trials run at once (as child tasks). An objective that throws
    /// records its trial as failed (with the error in the `fail_reason` system attribute) and the study goes
    /// on; throwing ``TrialPruned`` records it as pruned; a NaN value records it as failed.
    ///
    /// - Parameters:
    ///   - trials: how many trials this call runs (unbounded when `nil`).
    ///   - timeout: no trial starts after this much time (running trials finish).
    ///   - concurrency: how many trials run at once.
    ///   - objective: evaluates one trial and returns its objective value.
    /// - Throws: storage errors, and ``TuningError/invalidArgument(reason:)`` for `concurrency < 1` or a
    ///   multi-objective study.
    public func optimize(
        trials: Int? = nil, timeout: Duration? = nil, concurrency: Int = 1,
        objective: @escaping @Sendable (Trial) async throws -> Double
    ) async throws {
        guard directions.count == 1 else {
            throw TuningError.invalidArgument(
                reason: "study '\(name)' has \(directions.count) objectives; use optimize(objectives:)")
        }
        try await optimize(trials: trials, timeout: timeout, concurrency: concurrency) { trial in
            [try await objective(trial)]
        }
    }

    /// Runs a multi-objective study; the objective returns one value per direction.
    /// See ``optimize(trials:timeout:concurrency:objective:)``.
    public func optimize(
        trials: Int? = nil, timeout: Duration? = nil, concurrency: Int = 1,
        objectives: @escaping @Sendable (Trial) async throws -> [Double]
    ) async throws {
        guard concurrency >= 1 else { throw TuningError.invalidArgument(reason: "concurrency \(concurrency) < 1") }
        if let trials, trials < 0 { throw TuningError.invalidArgument(reason: "trials \(trials) < 0") }
        stopRequested.store(false, ordering: .relaxed)
        let clock = ContinuousClock()
        let start = clock.now
        var started = 0
        func mayStart() -> Bool {
            if stopRequested.load(ordering: .relaxed) || Task.isCancelled { return false }
            if let trials, started >= trials { return false }
            if let timeout, clock.now - start >= timeout { return false }
            return true
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            var running = 0
            while running < concurrency, mayStart() {
                group.addTask { try await self.runTrial(objectives) }
                started += 1
                running += 1
            }
            while try await group.next() != nil {
                running -= 1
                if mayStart() {
                    group.addTask { try await self.runTrial(objectives) }
                    started += 1
                    running += 1
                }
            }
        }
    }

    /// Asks, runs the objective (with heartbeats when configured) and tells the outcome.
    func runTrial(_ objectives: @escaping @Sendable (Trial) async throws -> [Double]) async throws {
        let trial = try await ask()
        let outcome = await evaluate(trial, objectives)
        let snapshot = await trial.snapshot
        switch outcome {
        case .success(let values):
            if values.count != directions.count {
                try await finish(
                    trialID: trial.id, snapshot: snapshot, state: .failed, values: nil,
                    reason: "the objective returned \(values.count) value(s) for \(directions.count) direction(s)")
            } else {
                try await tell(trial, values: values)
            }
        case .failure(let error as TrialPruned):
            _ = error
            try await tell(trial, values: nil, state: .pruned)
        case .failure(let error):
            try await finish(trialID: trial.id, snapshot: snapshot, state: .failed, values: nil, reason: "\(error)")
            if error is CancellationError, Task.isCancelled { throw error }
        }
    }

    private func evaluate(_ trial: Trial, _ objectives: @escaping @Sendable (Trial) async throws -> [Double]) async
        -> Result<[Double], any Error>
    {
        guard let interval = heartbeatInterval else {
            do { return .success(try await objectives(trial)) } catch { return .failure(error) }
        }
        let storage = self.storage
        let trialID = trial.id
        // The first heartbeat before the objective starts, so even a trial shorter than the interval has one.
        try? await storage.recordHeartbeat(trialID: trialID, at: Date())
        return await withTaskGroup(of: Result<[Double], any Error>?.self) { group in
            group.addTask {
                do { return .success(try await objectives(trial)) } catch { return .failure(error) }
            }
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: interval)
                    if Task.isCancelled { break }
                    try? await storage.recordHeartbeat(trialID: trialID, at: Date())
                }
                return nil
            }
            var outcome: Result<[Double], any Error> = .failure(CancellationError())
            for await result in group {
                if let result {
                    outcome = result
                    group.cancelAll()
                }
            }
            return outcome
        }
    }
}
