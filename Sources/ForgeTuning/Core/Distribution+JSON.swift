extension Distribution {
    /// The distribution in Optuna's JSON form (`distribution_to_json`), for example
    /// `{"name": "FloatDistribution", "attributes": {"low": 0.0, "high": 1.0, "log": false, "step": null}}`.
    public var optunaJSON: AttributeValue {
        switch self {
        case .float(let float):
            return [
                "name": "FloatDistribution",
                "attributes": [
                    "low": .double(float.low), "high": .double(float.high), "log": .bool(float.log),
                    "step": float.step.map(AttributeValue.double) ?? .null,
                ],
            ]
        case .int(let int):
            return [
                "name": "IntDistribution",
                "attributes": [
                    "low": .int(int.low), "high": .int(int.high), "log": .bool(int.log), "step": .int(int.step),
                ],
            ]
        case .categorical(let categorical):
            return [
                "name": "CategoricalDistribution",
                "attributes": ["choices": .array(categorical.choices.map(\.attributeValue))],
            ]
        }
    }

    /// Reads a distribution from Optuna's JSON form, including Optuna's legacy names (`UniformDistribution`,
    /// `LogUniformDistribution`, `DiscreteUniformDistribution`, `IntUniformDistribution`,
    /// `IntLogUniformDistribution`).
    /// - Throws: ``TuningError/malformedJSON(reason:)`` for an unknown name or a missing attribute, and
    ///   ``TuningError/invalidDistribution(parameter:reason:)`` for bad bounds.
    public init(optunaJSON json: AttributeValue, parameter: String = "unnamed") throws(TuningError) {
        if case .object(let members) = json, members["name"] == nil, let type = members["type"]?.stringValue {
            self = try Self.abbreviated(type: type, members, parameter: parameter)
            return
        }
        guard case .object(let members) = json, let name = members["name"]?.stringValue,
            case .object(let attributes) = members["attributes"] ?? .null
        else {
            throw .malformedJSON(reason: "parameter '\(parameter)': a distribution needs 'name' and 'attributes'")
        }
        func number(_ key: String) throws(TuningError) -> Double {
            guard let value = attributes[key]?.doubleValue else {
                throw .malformedJSON(reason: "parameter '\(parameter)': \(name) needs a numeric '\(key)'")
            }
            return value
        }
        func integer(_ key: String) throws(TuningError) -> Int {
            let value = try number(key)
            guard value == value.rounded(), abs(value) < 9e15 else {
                throw .malformedJSON(reason: "parameter '\(parameter)': \(name).\(key) must be an integer")
            }
            return Int(value)
        }
        func flag(_ key: String) -> Bool {
            if case .bool(let value) = attributes[key] ?? .null { return value }
            return false
        }
        switch name {
        case "FloatDistribution":
            let step = attributes["step"]?.doubleValue
            self = .float(
                try FloatDistribution(
                    low: try number("low"), high: try number("high"), log: flag("log"), step: step,
                    parameter: parameter))
        case "UniformDistribution":
            self = .float(try FloatDistribution(low: try number("low"), high: try number("high"), parameter: parameter))
        case "LogUniformDistribution":
            self = .float(
                try FloatDistribution(low: try number("low"), high: try number("high"), log: true, parameter: parameter))
        case "DiscreteUniformDistribution":
            self = .float(
                try FloatDistribution(
                    low: try number("low"), high: try number("high"), step: try number("q"), parameter: parameter))
        case "IntDistribution", "IntUniformDistribution", "IntLogUniformDistribution":
            let step = attributes["step"] == nil || attributes["step"] == .null ? 1 : try integer("step")
            self = .int(
                try IntDistribution(
                    low: try integer("low"), high: try integer("high"),
                    log: flag("log") || name == "IntLogUniformDistribution", step: step, parameter: parameter))
        case "CategoricalDistribution":
            guard case .array(let values) = attributes["choices"] ?? .null else {
                throw .malformedJSON(reason: "parameter '\(parameter)': CategoricalDistribution needs 'choices'")
            }
            var choices: [ParameterValue] = []
            for value in values {
                // Optuna allows None as a choice; Forge keeps it as the string "None".
                choices.append(ParameterValue(value) ?? .string(value == .null ? "None" : value.description))
            }
            self = .categorical(try CategoricalDistribution(choices: choices, parameter: parameter))
        default:
            throw .malformedJSON(reason: "parameter '\(parameter)': unknown distribution '\(name)'")
        }
    }

    /// Optuna's abbreviated form: `{"type": "float", "low": 0, "high": 1, "log": false, "step": null}`.
    private static func abbreviated(type: String, _ members: [String: AttributeValue], parameter: String)
        throws(TuningError) -> Distribution
    {
        var attributes = members
        attributes["type"] = nil
        let name: String
        switch type {
        case "float": name = "FloatDistribution"
        case "int": name = "IntDistribution"
        case "categorical": name = "CategoricalDistribution"
        default: throw .malformedJSON(reason: "parameter '\(parameter)': unknown distribution type '\(type)'")
        }
        return try Distribution(optunaJSON: ["name": .string(name), "attributes": .object(attributes)], parameter: parameter)
    }

    /// Decodes the Optuna JSON form.
    public init(from decoder: any Decoder) throws {
        try self.init(optunaJSON: try AttributeValue(from: decoder))
    }

    /// Encodes the Optuna JSON form.
    public func encode(to encoder: any Encoder) throws {
        try optunaJSON.encode(to: encoder)
    }
}
