public import Foundation

/// What a storage knows about a study.
public struct StudyRecord: Sendable, Hashable, Codable, Identifiable {
    /// The study's id in its storage.
    public var id: Int
    /// The study's unique name.
    public var name: String
    /// One direction per objective.
    public var directions: [StudyDirection]
    /// Attributes set by the user.
    public var userAttributes: [String: AttributeValue]
    /// Attributes set by Forge and samplers.
    public var systemAttributes: [String: AttributeValue]

    /// Creates a record.
    public init(
        id: Int, name: String, directions: [StudyDirection], userAttributes: [String: AttributeValue] = [:],
        systemAttributes: [String: AttributeValue] = [:]
    ) {
        self.id = id
        self.name = name
        self.directions = directions
        self.userAttributes = userAttributes
        self.systemAttributes = systemAttributes
    }
}

/// Where studies and trials live: in memory, a journal file, SQLite or PostgreSQL. Several processes (or
/// machines) that share one storage share the study.
///
/// Conformers must guarantee:
/// - **Unique numbers.** ``createTrial(studyID:template:)`` gives each trial of a study the next number
///   (0, 1, 2, …) atomically, even when several processes create trials at once; no number is given twice
///   and none is lost.
/// - **One finisher.** ``setTrialState(trialID:state:values:)`` to a finished state succeeds only once;
///   a second attempt throws ``TuningError/trialAlreadyFinished(number:state:)``. Claiming a waiting
///   trial (`state: .running`) returns `false` when another worker claimed it first.
/// - **No changes after finishing.** Parameters, intermediate values and attributes of a finished trial
///   cannot change (``TuningError/trialAlreadyFinished(number:state:)``).
/// - **One kind per parameter name.** A parameter keeps its distribution kind, log scale and categorical
///   choices across the study (Optuna's rule): the earliest trial with the name fixes them, and setting an
///   incompatible one throws ``TuningError/incompatibleDistribution(parameter:existing:requested:)``.
/// - **Typed errors.** Unknown names and ids throw ``TuningError/studyNotFound(name:)`` and
///   ``TuningError/trialNotFound(id:)``; back-end failures throw ``TuningError/storageFailure(reason:)`` or
///   the driver's own error.
/// - **Durability.** A write that returned is visible to every process that reads afterwards.
///
/// Reads may be cached where that is safe: a finished trial never changes.
public protocol StudyStorage: Sendable {
    /// Creates a study and returns its id.
    /// - Throws: ``TuningError/studyAlreadyExists(name:)`` when the name is taken.
    func createStudy(name: String, directions: [StudyDirection]) async throws -> Int

    /// The id of the study called `name`.
    /// - Throws: ``TuningError/studyNotFound(name:)``.
    func studyID(named name: String) async throws -> Int

    /// The record of study `id`.
    func study(id: Int) async throws -> StudyRecord

    /// Every study in the storage.
    func allStudies() async throws -> [StudyRecord]

    /// Deletes a study and its trials.
    func deleteStudy(id: Int) async throws

    /// Sets (or replaces) a user attribute of a study.
    func setStudyUserAttribute(studyID: Int, key: String, value: AttributeValue) async throws

    /// Sets (or replaces) a system attribute of a study.
    func setStudySystemAttribute(studyID: Int, key: String, value: AttributeValue) async throws

    /// Creates a trial with the next number of the study.
    ///
    /// Without a template the trial is `running` with no parameters, started now. With a template its
    /// state, parameters, values, intermediate values, attributes and dates are copied (its id and number
    /// are ignored): `waiting` for an enqueued trial, or a finished state to add a trial evaluated elsewhere.
    /// - Returns: the stored trial with its id and number.
    func createTrial(studyID: Int, template: FrozenTrial?) async throws -> FrozenTrial

    /// Stores a parameter's value (internal representation) and distribution.
    /// - Throws: ``TuningError/trialAlreadyFinished(number:state:)``, or
    ///   ``TuningError/incompatibleDistribution(parameter:existing:requested:)`` when the parameter is
    ///   already set with another distribution.
    func setTrialParameter(trialID: Int, name: String, internalValue: Double, distribution: Distribution) async throws

    /// Stores an intermediate value at a step (replacing an earlier value at the same step).
    func setTrialIntermediateValue(trialID: Int, step: Int, value: Double) async throws

    /// Moves a trial to `state`, storing `values` when given.
    ///
    /// `running` claims a waiting trial (returns `false` when it is not waiting any more); a finished state
    /// is allowed only from `running` (or `waiting`) and sets the complete date.
    /// - Throws: ``TuningError/trialAlreadyFinished(number:state:)`` when the trial is already finished.
    @discardableResult
    func setTrialState(trialID: Int, state: TrialState, values: [Double]?) async throws -> Bool

    /// Sets (or replaces) a user attribute of a trial.
    func setTrialUserAttribute(trialID: Int, key: String, value: AttributeValue) async throws

    /// Sets (or replaces) a system attribute of a trial.
    func setTrialSystemAttribute(trialID: Int, key: String, value: AttributeValue) async throws

    /// The trial with id `trialID`.
    func trial(id trialID: Int) async throws -> FrozenTrial

    /// The trials of a study in number order, only those in `states` when given.
    func trials(studyID: Int, states: Set<TrialState>?) async throws -> [FrozenTrial]

    /// Records that a running trial's worker is alive (for ``staleTrials(studyID:olderThan:)``).
    func recordHeartbeat(trialID: Int, at date: Date) async throws

    /// The running trials whose last heartbeat (or start, without heartbeats) is older than `date`.
    func staleTrials(studyID: Int, olderThan date: Date) async throws -> [FrozenTrial]
}

/// The system attribute that default heartbeats are stored in (seconds since 1970).
package let heartbeatAttributeKey = "forge:heartbeat"

extension StudyStorage {
    /// Default: stores the time as the system attribute `forge:heartbeat`.
    public func recordHeartbeat(trialID: Int, at date: Date) async throws {
        try await setTrialSystemAttribute(
            trialID: trialID, key: heartbeatAttributeKey, value: .double(date.timeIntervalSince1970))
    }

    /// Default: running trials whose `forge:heartbeat` (or start date) is older than `date`.
    public func staleTrials(studyID: Int, olderThan date: Date) async throws -> [FrozenTrial] {
        try await trials(studyID: studyID, states: [.running]).filter { trial in
            if let beat = trial.systemAttributes[heartbeatAttributeKey]?.doubleValue {
                return beat < date.timeIntervalSince1970
            }
            return (trial.startDate ?? .distantPast) < date
        }
    }

    /// All trials of a study, in number order.
    public func trials(studyID: Int) async throws -> [FrozenTrial] {
        try await trials(studyID: studyID, states: nil)
    }
}
