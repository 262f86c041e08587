import Foundation

/// Replays journal entries into a ``StudyModel`` with Optuna's rules (`JournalStorageReplayResult`):
/// an entry that breaks a rule (a second finisher, a parameter on a finished trial, a duplicate study)
/// is skipped by every reader, and reported as an error only to the worker that wrote it.
struct JournalReplay {
    private(set) var model = StudyModel()
    let workerID: String
    private(set) var lastCreatedTrialID: Int?
    private(set) var ownedTrialIDs: Set<Int> = []
    /// The rule the last entry of this worker broke, taken by the storage after it wrote.
    var ownError: TuningError?

    init(workerID: String) { self.workerID = workerID }

    mutating func apply(_ entry: AttributeValue, file: String, line: Int) throws(TuningError) {
        func malformed(_ reason: String) -> TuningError { .malformedJournal(file: file, line: line, reason: reason) }
        guard case .object(let fields) = entry else { throw malformed("an entry must be a JSON object") }
        func integer(_ key: String) throws(TuningError) -> Int {
            guard case .int(let value) = fields[key] ?? .null else { throw malformed("'\(key)' must be an integer") }
            return value
        }
        func string(_ key: String) throws(TuningError) -> String {
            guard let value = fields[key]?.stringValue else { throw malformed("'\(key)' must be a string") }
            return value
        }
        func date(_ key: String) throws(TuningError) -> Date? {
            guard let value = fields[key], value != .null else { return nil }
            guard let text = value.stringValue, let parsed = JournalDate.parse(text) else {
                throw malformed("'\(key)' must be an ISO 8601 date")
            }
            return parsed
        }
        func singleAttribute(_ key: String) throws(TuningError) -> (String, AttributeValue) {
            guard case .object(let members) = fields[key] ?? .null, members.count == 1, let member = members.first
            else { throw malformed("'\(key)' must be an object with one key") }
            return member
        }
        func values(_ value: AttributeValue?) throws(TuningError) -> [Double]? {
            guard let value, value != .null else { return nil }
            if let number = value.doubleValue { return [number] }
            guard case .array(let elements) = value else { throw malformed("values must be a list of numbers") }
            var numbers: [Double] = []
            for element in elements {
                guard let number = element.doubleValue else { throw malformed("values must be a list of numbers") }
                numbers.append(number)
            }
            return numbers
        }
        func distribution(_ value: AttributeValue, _ name: String) throws(TuningError) -> Distribution {
            // Optuna stores each distribution as a JSON string (`distribution_to_json`); accept objects too.
            if let text = value.stringValue { return try Distribution(optunaJSON: try JSONText.decode(text), parameter: name) }
            return try Distribution(optunaJSON: value, parameter: name)
        }

        guard let operation = JournalOperation(rawValue: try integer("op_code")) else {
            throw malformed("unknown op_code \(fields["op_code"] ?? .null)")
        }
        let isMine = fields["worker_id"]?.stringValue == workerID
        do throws(TuningError) {
            switch operation {
            case .createStudy:
                guard case .array(let raw) = fields["directions"] ?? .null else { throw malformed("'directions' missing") }
                var directions: [StudyDirection] = []
                for value in raw {
                    guard case .int(let code) = value, let direction = StudyDirection(rawValue: code) else {
                        throw malformed("bad direction \(value)")
                    }
                    directions.append(direction)
                }
                try model.createStudy(name: try string("study_name"), directions: directions)
            case .deleteStudy:
                try model.deleteStudy(id: try integer("study_id"))
            case .setStudyUserAttribute, .setStudySystemAttribute:
                let system = operation == .setStudySystemAttribute
                let (key, value) = try singleAttribute(system ? "system_attr" : "user_attr")
                try model.setStudyAttribute(studyID: try integer("study_id"), key: key, value: value, system: system)
            case .createTrial:
                var template = FrozenTrial(id: -1, number: -1, state: .running)
                if let code = fields["state"], code != .null {
                    guard case .int(let raw) = code, let state = TrialState(rawValue: raw) else {
                        throw malformed("bad trial state \(code)")
                    }
                    template.state = state
                }
                template.startDate = try date("datetime_start")
                template.completeDate = try date("datetime_complete")
                let listed = try values(fields["values"])
                let single = try values(fields["value"])
                template.values = listed ?? single
                if case .object(let distributions) = fields["distributions"] ?? .null {
                    for (name, json) in distributions { template.distributions[name] = try distribution(json, name) }
                }
                if case .object(let params) = fields["params"] ?? .null {
                    for (name, value) in params {
                        guard let number = value.doubleValue, template.distributions[name] != nil else {
                            throw malformed("parameter '\(name)' needs a number and a distribution")
                        }
                        template.internalParams[name] = number
                    }
                }
                if case .object(let attributes) = fields["user_attrs"] ?? .null { template.userAttributes = attributes }
                if case .object(let attributes) = fields["system_attrs"] ?? .null { template.systemAttributes = attributes }
                if case .object(let intermediate) = fields["intermediate_values"] ?? .null {
                    for (step, value) in intermediate {
                        guard let number = Int(step), let reported = value.doubleValue else {
                            throw malformed("bad intermediate value at step '\(step)'")
                        }
                        template.intermediateValues[number] = reported
                    }
                }
                let created = try model.createTrial(
                    studyID: try integer("study_id"), template: template, now: template.startDate ?? Date())
                if isMine { lastCreatedTrialID = created.id }
            case .setTrialParameter:
                let name = try string("param_name")
                guard let value = fields["param_value_internal"]?.doubleValue else {
                    throw malformed("'param_value_internal' must be a number")
                }
                try model.setTrialParameter(
                    trialID: try integer("trial_id"), name: name, internalValue: value,
                    distribution: try distribution(fields["distribution"] ?? .null, name))
            case .setTrialStateValues:
                guard case .int(let raw) = fields["state"] ?? .null, let state = TrialState(rawValue: raw) else {
                    throw malformed("bad trial state \(fields["state"] ?? .null)")
                }
                let trialID = try integer("trial_id")
                let when = try (state == .running ? date("datetime_start") : date("datetime_complete")) ?? Date()
                let applied = try model.setTrialState(
                    trialID: trialID, state: state, values: try values(fields["values"]), now: when)
                if applied, isMine, state == .running { ownedTrialIDs.insert(trialID) }
            case .setTrialIntermediateValue:
                guard let value = fields["intermediate_value"]?.doubleValue else {
                    throw malformed("'intermediate_value' must be a number")
                }
                try model.setTrialIntermediateValue(trialID: try integer("trial_id"), step: try integer("step"), value: value)
            case .setTrialUserAttribute, .setTrialSystemAttribute:
                let system = operation == .setTrialSystemAttribute
                let (key, value) = try singleAttribute(system ? "system_attr" : "user_attr")
                try model.setTrialAttribute(trialID: try integer("trial_id"), key: key, value: value, system: system)
            case .discardTrials:
                break  // written only by Rustuna; Optuna skips it too
            }
        } catch {
            if case .malformedJournal = error { throw error }
            if case .malformedJSON = error { throw malformed("\(error)") }
            if case .invalidDistribution = error { throw malformed("\(error)") }
            if isMine { ownError = error }
        }
    }
}
