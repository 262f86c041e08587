public import Foundation

/// A study storage in one append-only file of JSON lines that several processes on one machine share:
/// the file format of Optuna's `JournalFileBackend`, so `optuna.load_study` and optuna-dashboard open
/// Forge studies, and Forge opens studies Optuna wrote.
///
/// Every change is one line (an operation with Optuna's op codes and field names); the state is rebuilt
/// by replaying the lines, and each call first reads only the lines appended since the last one. Appends
/// take Optuna's lock (a symbolic link `<file>.lock`), so Forge and Optuna workers can share a file.
/// Trial numbers follow the order of lines in the file, so they are unique across processes.
///
/// ```swift
/// let storage = try JournalFileStorage(path: "studies/mlp.log")
/// let study = try await Study.create(name: "mlp", storage: storage, sampler: TPESampler(), loadIfExists: true)
/// ```
///
/// Python reads the same file with
/// `optuna.load_study(study_name="mlp", storage=JournalStorage(JournalFileBackend("studies/mlp.log")))`.
public actor JournalFileStorage: StudyStorage {
    /// The journal file's path.
    public nonisolated let path: String
    private var file: JournalFile
    private var replay: JournalReplay

    /// Opens (or creates) the journal at `path` and replays it.
    /// - Parameters:
    ///   - path: the journal file.
    ///   - lockGracePeriod: seconds after which a lock whose holder seems dead is broken (Optuna: 30).
    /// - Throws: ``TuningError/storageFailure(reason:)`` when the file cannot be created or read, and
    ///   ``TuningError/malformedJournal(file:line:reason:)`` for a line that is not a journal entry.
    public init(path: String, lockGracePeriod: Double = 30) throws {
        self.path = path
        file = try JournalFile(path: path, lockGracePeriod: lockGracePeriod)
        replay = JournalReplay(workerID: UUID().uuidString.lowercased() + "-forge")
        var initialFile = file
        var initialReplay = replay
        try Self.sync(&initialFile, &initialReplay)
        file = initialFile
        replay = initialReplay
    }

    /// Opens (or creates) the journal at a file URL.
    public init(url: URL, lockGracePeriod: Double = 30) throws {
        try self.init(path: url.path, lockGracePeriod: lockGracePeriod)
    }

    private static func sync(_ file: inout JournalFile, _ replay: inout JournalReplay) throws(TuningError) {
        for (number, text) in try file.readNewLines() {
            let entry: AttributeValue
            do {
                entry = try JSONText.decode(String(text))
            } catch {
                throw .malformedJournal(file: file.path, line: number, reason: "\(error)")
            }
            try replay.apply(entry, file: file.path, line: number)
        }
    }

    private func sync() throws(TuningError) {
        try Self.sync(&file, &replay)
    }

    private func write(_ operation: JournalOperation, _ fields: [String: AttributeValue]) throws(TuningError) {
        var entry = fields
        entry["op_code"] = .int(operation.rawValue)
        entry["worker_id"] = .string(replay.workerID)
        try file.append([JSONText.encode(.object(entry), compact: true)])
        try sync()
        if let error = replay.ownError {
            replay.ownError = nil
            throw error
        }
    }

    private var model: StudyModel { replay.model }

    /// Creates a study; see ``StudyStorage/createStudy(name:directions:)``.
    public func createStudy(name: String, directions: [StudyDirection]) throws -> Int {
        try sync()
        guard (try? model.studyID(named: name)) == nil else { throw TuningError.studyAlreadyExists(name: name) }
        guard !directions.isEmpty else { throw TuningError.invalidArgument(reason: "study '\(name)' needs a direction") }
        try write(.createStudy, ["study_name": .string(name), "directions": .array(directions.map { .int($0.rawValue) })])
        return try model.studyID(named: name)
    }

    /// The id of the study called `name`.
    public func studyID(named name: String) throws -> Int {
        try sync()
        return try model.studyID(named: name)
    }

    /// The record of study `id`.
    public func study(id: Int) throws -> StudyRecord {
        try sync()
        return try model.study(id: id)
    }

    /// Every study in the journal.
    public func allStudies() throws -> [StudyRecord] {
        try sync()
        return model.studies.values.sorted { $0.id < $1.id }
    }

    /// Deletes a study (its trials stay in the file, as in Optuna, but are no longer listed).
    public func deleteStudy(id: Int) throws {
        try write(.deleteStudy, ["study_id": .int(id)])
    }

    /// Sets a study user attribute.
    public func setStudyUserAttribute(studyID: Int, key: String, value: AttributeValue) throws {
        try write(.setStudyUserAttribute, ["study_id": .int(studyID), "user_attr": .object([key: value])])
    }

    /// Sets a study system attribute.
    public func setStudySystemAttribute(studyID: Int, key: String, value: AttributeValue) throws {
        try write(.setStudySystemAttribute, ["study_id": .int(studyID), "system_attr": .object([key: value])])
    }

    /// Creates a trial; its number is its position among the study's trials in the file.
    public func createTrial(studyID: Int, template: FrozenTrial?) throws -> FrozenTrial {
        var fields: [String: AttributeValue] = [
            "study_id": .int(studyID), "datetime_start": .string(JournalDate.format(Date())),
        ]
        if let template {
            fields["state"] = .int(template.state.rawValue)
            if let values = template.values, values.count > 1 {
                fields["value"] = .null
                fields["values"] = .array(values.map(AttributeValue.double))
            } else {
                fields["value"] = template.values?.first.map(AttributeValue.double) ?? .null
                fields["values"] = .null
            }
            fields["datetime_start"] = template.startDate.map { .string(JournalDate.format($0)) } ?? .null
            if let complete = template.completeDate { fields["datetime_complete"] = .string(JournalDate.format(complete)) }
            fields["distributions"] = .object(
                template.distributions.mapValues { .string(JSONText.encode($0.optunaJSON)) })
            fields["params"] = .object(template.internalParams.mapValues(AttributeValue.double))
            fields["user_attrs"] = .object(template.userAttributes)
            fields["system_attrs"] = .object(template.systemAttributes)
            fields["intermediate_values"] = .object(
                Dictionary(uniqueKeysWithValues: template.intermediateValues.map { (String($0.key), .double($0.value)) }))
        }
        try write(.createTrial, fields)
        guard let id = replay.lastCreatedTrialID else {
            throw TuningError.storageFailure(reason: "\(path): the created trial was not found after writing it")
        }
        return try model.trial(id: id)
    }

    /// Stores a parameter.
    public func setTrialParameter(trialID: Int, name: String, internalValue: Double, distribution: Distribution) throws {
        try checkUnfinished(trialID)
        try write(
            .setTrialParameter,
            [
                "trial_id": .int(trialID), "param_name": .string(name), "param_value_internal": .double(internalValue),
                "distribution": .string(JSONText.encode(distribution.optunaJSON)),
            ])
    }

    /// Stores an intermediate value.
    public func setTrialIntermediateValue(trialID: Int, step: Int, value: Double) throws {
        try checkUnfinished(trialID)
        try write(
            .setTrialIntermediateValue,
            ["trial_id": .int(trialID), "step": .int(step), "intermediate_value": .double(value)])
    }

    /// Moves a trial to a new state; claiming a waiting trial returns `false` when another worker's claim
    /// came first in the file.
    @discardableResult
    public func setTrialState(trialID: Int, state: TrialState, values: [Double]?) throws -> Bool {
        try checkUnfinished(trialID)
        if state == .running, try model.trial(id: trialID).state != .waiting { return false }
        var fields: [String: AttributeValue] = [
            "trial_id": .int(trialID), "state": .int(state.rawValue),
            "values": values.map { .array($0.map(AttributeValue.double)) } ?? .null,
        ]
        if state == .running {
            fields["datetime_start"] = .string(JournalDate.format(Date()))
        } else if state.isFinished {
            fields["datetime_complete"] = .string(JournalDate.format(Date()))
        }
        try write(.setTrialStateValues, fields)
        return state != .running || replay.ownedTrialIDs.contains(trialID)
    }

    /// Sets a trial user attribute.
    public func setTrialUserAttribute(trialID: Int, key: String, value: AttributeValue) throws {
        try checkUnfinished(trialID)
        try write(.setTrialUserAttribute, ["trial_id": .int(trialID), "user_attr": .object([key: value])])
    }

    /// Sets a trial system attribute.
    public func setTrialSystemAttribute(trialID: Int, key: String, value: AttributeValue) throws {
        try checkUnfinished(trialID)
        try write(.setTrialSystemAttribute, ["trial_id": .int(trialID), "system_attr": .object([key: value])])
    }

    /// The trial with id `trialID`.
    public func trial(id trialID: Int) throws -> FrozenTrial {
        try sync()
        return try model.trial(id: trialID)
    }

    /// The trials of a study.
    public func trials(studyID: Int, states: Set<TrialState>?) throws -> [FrozenTrial] {
        try sync()
        return try model.trials(studyID: studyID, states: states)
    }

    /// Syncs and throws when the trial is unknown or finished, so no useless line is written.
    private func checkUnfinished(_ trialID: Int) throws(TuningError) {
        try sync()
        let trial = try model.trial(id: trialID)
        if trial.state.isFinished { throw .trialAlreadyFinished(number: trial.number, state: trial.state) }
    }
}
