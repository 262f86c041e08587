import Foundation

/// A storage that keeps studies in memory: the default of a ``Study``, and the reference for tests.
/// Shared only inside one process.
///
/// ```swift
/// let study = try await Study.create(name: "mlp", direction: .maximize, storage: InMemoryStudyStorage())
/// ```
public actor InMemoryStudyStorage: StudyStorage {
    private var model = StudyModel()

    /// Creates an empty storage.
    public init() {}

    /// Creates a study; see ``StudyStorage/createStudy(name:directions:)``.
    public func createStudy(name: String, directions: [StudyDirection]) throws -> Int {
        try model.createStudy(name: name, directions: directions)
    }

    /// The id of the study called `name`.
    public func studyID(named name: String) throws -> Int { try model.studyID(named: name) }

    /// The record of study `id`.
    public func study(id: Int) throws -> StudyRecord { try model.study(id: id) }

    /// Every study.
    public func allStudies() -> [StudyRecord] { model.studies.values.sorted { $0.id < $1.id } }

    /// Deletes a study and its trials.
    public func deleteStudy(id: Int) throws { try model.deleteStudy(id: id) }

    /// Sets a study user attribute.
    public func setStudyUserAttribute(studyID: Int, key: String, value: AttributeValue) throws {
        try model.setStudyAttribute(studyID: studyID, key: key, value: value, system: false)
    }

    /// Sets a study system attribute.
    public func setStudySystemAttribute(studyID: Int, key: String, value: AttributeValue) throws {
        try model.setStudyAttribute(studyID: studyID, key: key, value: value, system: true)
    }

    /// Creates a trial with the next number.
    public func createTrial(studyID: Int, template: FrozenTrial?) throws -> FrozenTrial {
        try model.createTrial(studyID: studyID, template: template, now: Date())
    }

    /// Stores a parameter.
    public func setTrialParameter(trialID: Int, name: String, internalValue: Double, distribution: Distribution) throws {
        try model.setTrialParameter(trialID: trialID, name: name, internalValue: internalValue, distribution: distribution)
    }

    /// Stores an intermediate value.
    public func setTrialIntermediateValue(trialID: Int, step: Int, value: Double) throws {
        try model.setTrialIntermediateValue(trialID: trialID, step: step, value: value)
    }

    /// Moves a trial to a new state.
    @discardableResult
    public func setTrialState(trialID: Int, state: TrialState, values: [Double]?) throws -> Bool {
        try model.setTrialState(trialID: trialID, state: state, values: values, now: Date())
    }

    /// Sets a trial user attribute.
    public func setTrialUserAttribute(trialID: Int, key: String, value: AttributeValue) throws {
        try model.setTrialAttribute(trialID: trialID, key: key, value: value, system: false)
    }

    /// Sets a trial system attribute.
    public func setTrialSystemAttribute(trialID: Int, key: String, value: AttributeValue) throws {
        try model.setTrialAttribute(trialID: trialID, key: key, value: value, system: true)
    }

    /// The trial with id `trialID`.
    public func trial(id trialID: Int) throws -> FrozenTrial { try model.trial(id: trialID) }

    /// The trials of a study.
    public func trials(studyID: Int, states: Set<TrialState>?) throws -> [FrozenTrial] {
        try model.trials(studyID: studyID, states: states)
    }
}
