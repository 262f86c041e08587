/// Errors ForgeTuning throws: bad search spaces, misuse of a finished trial, and bad stored data.
///
/// Every case says what was wrong and where (the parameter, trial, study or file and line).
public enum TuningError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A distribution's bounds, step or choices are invalid (`low > high`, log with `low ≤ 0`, …).
    case invalidDistribution(parameter: String, reason: String)
    /// A parameter was suggested again in the same trial with a different distribution, or with a distribution
    /// of another kind, log scale or choices than earlier trials of the study.
    case incompatibleDistribution(parameter: String, existing: Distribution, requested: Distribution)
    /// A value does not belong to the parameter's distribution (an enqueued or told value, say).
    case valueOutsideDistribution(parameter: String, value: String, distribution: Distribution)
    /// No study with this name exists in the storage.
    case studyNotFound(name: String)
    /// A study with this name already exists and loading it was not allowed.
    case studyAlreadyExists(name: String)
    /// The study exists but with other optimization directions.
    case directionsMismatch(study: String, stored: [StudyDirection], requested: [StudyDirection])
    /// No trial with this id exists in the storage.
    case trialNotFound(id: Int)
    /// The trial was already finished (by this process or another) and cannot change any more.
    case trialAlreadyFinished(number: Int, state: TrialState)
    /// A state change that the trial life cycle does not allow (for example `complete` without values).
    case invalidStateTransition(number: Int, from: TrialState, to: TrialState, reason: String)
    /// The number of objective values does not match the study's number of directions.
    case valuesCountMismatch(number: Int, expected: Int, got: Int)
    /// The study has no completed trial yet, so there is no best trial.
    case noCompletedTrials(study: String)
    /// A best single trial was asked of a multi-objective study; use `bestTrials`.
    case multiObjectiveStudy(study: String)
    /// JSON text could not be parsed.
    case malformedJSON(reason: String)
    /// A journal line could not be understood.
    case malformedJournal(file: String, line: Int, reason: String)
    /// A storage back end failed (I/O, database, lock).
    case storageFailure(reason: String)
    /// An argument outside the search space was given (a bad budget, concurrency, grid, …).
    case invalidArgument(reason: String)

    /// A sentence that says what went wrong and where.
    public var description: String {
        switch self {
        case .invalidDistribution(let parameter, let reason):
            "parameter '\(parameter)': invalid distribution: \(reason)"
        case .incompatibleDistribution(let parameter, let existing, let requested):
            "parameter '\(parameter)' was suggested with \(existing) before and now with \(requested);"
                + " a name keeps one distribution within a trial, and its kind, log scale and choices across a study"
        case .valueOutsideDistribution(let parameter, let value, let distribution):
            "parameter '\(parameter)': value \(value) is outside \(distribution)"
        case .studyNotFound(let name):
            "study '\(name)' does not exist in the storage"
        case .studyAlreadyExists(let name):
            "study '\(name)' already exists; pass loadIfExists: true to resume it"
        case .directionsMismatch(let study, let stored, let requested):
            "study '\(study)' is stored with directions \(stored), not \(requested)"
        case .trialNotFound(let id):
            "trial with id \(id) does not exist in the storage"
        case .trialAlreadyFinished(let number, let state):
            "trial \(number) is already finished (\(state)) and cannot be changed"
        case .invalidStateTransition(let number, let from, let to, let reason):
            "trial \(number): cannot go from \(from) to \(to): \(reason)"
        case .valuesCountMismatch(let number, let expected, let got):
            "trial \(number): the study has \(expected) objective(s) but \(got) value(s) were given"
        case .noCompletedTrials(let study):
            "study '\(study)' has no completed trial yet"
        case .multiObjectiveStudy(let study):
            "study '\(study)' has several objectives; use bestTrials for the Pareto front"
        case .malformedJSON(let reason):
            "malformed JSON: \(reason)"
        case .malformedJournal(let file, let line, let reason):
            "\(file):\(line): malformed journal entry: \(reason)"
        case .storageFailure(let reason):
            "study storage failed: \(reason)"
        case .invalidArgument(let reason):
            "invalid argument: \(reason)"
        }
    }
}

/// Thrown by an objective to say the trial was stopped early; the study records it as pruned.
///
/// ```swift
/// if try await trial.shouldPrune() { throw TrialPruned() }
/// ```
public struct TrialPruned: Error, Sendable, CustomStringConvertible {
    /// An optional reason for logs.
    public var reason: String

    /// Creates the error, with an optional reason.
    public init(_ reason: String = "pruned") { self.reason = reason }

    /// The reason.
    public var description: String { "trial pruned: \(reason)" }
}
