import Testing

@testable import ForgeTuning

@Suite("Distribution")
struct DistributionTests {
    @Test func rejectsBadBoundsNamingTheParameter() {
        #expect(throws: TuningError.invalidDistribution(parameter: "lr", reason: "low 0.1 is greater than high 0.01")) {
            _ = try FloatDistribution(low: 0.1, high: 0.01, parameter: "lr")
        }
        #expect(throws: TuningError.invalidDistribution(parameter: "lr", reason: "log scale needs low > 0, got low 0.0")) {
            _ = try FloatDistribution(low: 0, high: 1, log: true, parameter: "lr")
        }
        #expect(throws: TuningError.invalidDistribution(parameter: "units", reason: "low 8 is greater than high 4")) {
            _ = try IntDistribution(low: 8, high: 4, parameter: "units")
        }
        #expect(throws: TuningError.invalidDistribution(parameter: "units", reason: "log scale needs low ≥ 1, got low 0")) {
            _ = try IntDistribution(low: 0, high: 4, log: true, parameter: "units")
        }
        #expect(throws: TuningError.self) { _ = try IntDistribution(low: 0, high: 10, step: 3, parameter: "units") }
        #expect(throws: TuningError.self) { _ = try FloatDistribution(low: 0, high: 1, step: 0.3, parameter: "x") }
        #expect(throws: TuningError.self) { _ = try FloatDistribution(low: 1, high: 2, log: true, step: 0.5) }
        #expect(throws: TuningError.self) { _ = try CategoricalDistribution(choices: [], parameter: "kind") }
        let message = TuningError.invalidDistribution(parameter: "lr", reason: "low 0.1 is greater than high 0.01")
            .description
        #expect(message.contains("'lr'") && message.contains("0.1"))
    }

    @Test func internalRoundTrip() throws {
        let float = try Distribution.float(low: 0, high: 1, step: 0.25)
        #expect(try float.toInternal(.double(0.5)) == 0.5)
        #expect(float.toExternal(0.6) == .double(0.5))
        #expect(float.contains(0.75) && !float.contains(0.7) && !float.contains(1.25))
        let int = try Distribution.int(low: 2, high: 10, step: 2)
        #expect(int.toExternal(5.2) == .int(6))
        #expect(int.contains(4) && !int.contains(5) && !int.contains(4.5))
        #expect(try int.toInternal(.int(8)) == 8)
        #expect(throws: TuningError.self) { _ = try int.toInternal(.int(7)) }
        let categorical = try Distribution.categorical(["adam", "sgd", 3, true])
        #expect(try categorical.toInternal("sgd") == 1)
        #expect(try categorical.toInternal(.double(3)) == 2)
        #expect(categorical.toExternal(3) == .bool(true))
        #expect(!categorical.contains(4) && !categorical.contains(0.5))
        #expect(throws: TuningError.self) { _ = try categorical.toInternal("rmsprop", parameter: "optimizer") }
    }

    @Test func singleValueDetection() throws {
        #expect(try Distribution.float(low: 1, high: 1).isSingleValue)
        #expect(try !Distribution.float(low: 1, high: 2).isSingleValue)
        #expect(try Distribution.int(low: 3, high: 3).isSingleValue)
        #expect(try Distribution.categorical(["only"]).isSingleValue)
        #expect(try !Distribution.categorical(["a", "b"]).isSingleValue)
    }

    @Test func optunaJSONRoundTrip() throws {
        let distributions: [Distribution] = [
            try .float(low: 1e-5, high: 0.1, log: true), try .float(low: 0, high: 1, step: 0.1),
            try .int(low: 1, high: 128, log: true), try .int(low: 0, high: 10, step: 2),
            try .categorical(["relu", 1, 2.0, false]),
        ]
        for distribution in distributions {
            let text = JSONText.encode(distribution.optunaJSON)
            let back = try Distribution(optunaJSON: try JSONText.decode(text))
            #expect(back == distribution, "\(text)")
        }
        let optunaText = #"{"name": "FloatDistribution", "attributes": {"step": null, "low": 0.001, "high": 1.0, "log": true}}"#
        #expect(try Distribution(optunaJSON: try JSONText.decode(optunaText)) == .float(low: 0.001, high: 1, log: true))
        let legacy = #"{"name": "IntUniformDistribution", "attributes": {"low": 1, "high": 9, "step": 2}}"#
        #expect(try Distribution(optunaJSON: try JSONText.decode(legacy)) == .int(low: 1, high: 9, step: 2))
        #expect(throws: TuningError.self) {
            _ = try Distribution(optunaJSON: try JSONText.decode(#"{"name": "Beta", "attributes": {}}"#))
        }
    }

    @Test func jsonKeepsIntegersAndFloatsApart() throws {
        let value: AttributeValue = ["a": 2, "b": 2.0, "c": [1e-05, "x\n\"y\"", nil, true], "d": .double(.infinity)]
        let text = JSONText.encode(value)
        #expect(text == #"{"a": 2, "b": 2.0, "c": [1e-05, "x\n\"y\"", null, true], "d": Infinity}"#)
        #expect(try JSONText.decode(text) == value)
        #expect(try JSONText.decode(#""caf\u00e9 \ud83d\ude00""#) == .string("café 😀"))
        #expect(throws: TuningError.self) { _ = try JSONText.decode("{\"a\": }") }
        #expect(throws: TuningError.self) { _ = try JSONText.decode("[1, 2") }
    }
}
