import Foundation
import Testing

@testable import ForgeTraining

@Suite("Configuration decoding")
struct ConfigurationDecoderTests {
    enum Activation: String, Codable { case relu, tanh }

    struct Model: Codable, Equatable {
        var hidden: [Int]
        var activation: Activation
        var dropout: Double?
    }

    struct Optimizer: Codable, Equatable {
        var name: String
        var lr: Double
        var betas: [Float]
        var momentum: Double?
    }

    struct RunConfiguration: Codable, Equatable {
        var epochs: Int
        var seed: UInt32
        var shuffle: Bool
        var model: Model
        var optimizer: Optimizer
        var tags: [String: String]
    }

    static let yaml = """
        epochs: 10
        seed: 7
        shuffle: true
        model: {hidden: [128, 64], activation: relu}
        optimizer: {name: adam, lr: 3e-4, betas: [0.9, 0.999]}
        tags: {owner: forge, version: 2}
        """

    @Test("decodes nested Codable types; ints widen to doubles; strings accept scalars")
    func decodes() throws {
        let value = try ConfigurationValue(yaml: Self.yaml)
        let configuration = try value.decode(RunConfiguration.self)
        #expect(configuration.model == Model(hidden: [128, 64], activation: .relu, dropout: nil))
        #expect(configuration.optimizer.lr == 3e-4 && configuration.optimizer.betas == [0.9, 0.999])
        #expect(configuration.tags == ["owner": "forge", "version": "2"])
        #expect(configuration.seed == 7 && configuration.shuffle)
        let optimizer = try value.decode(Optimizer.self, at: "optimizer")
        #expect(optimizer.name == "adam")
        let widened = try ConfigurationValue(yaml: "name: sgd\nlr: 1\nbetas: []\nmomentum: null").decode(Optimizer.self)
        #expect(widened.lr == 1 && widened.momentum == nil)
    }

    @Test("type errors name the full key path, the value found and the type expected")
    func typeErrors() throws {
        let cases: [(String, String)] = [
            ("optimizer.lr=fast", "optimizer.lr: expected a number, found \"fast\""),
            ("epochs=2.5", "epochs: expected an integer, found 2.5"),
            ("seed=-1", "seed: expected an integer (UInt32) in 0...4294967295, found -1"),
            ("shuffle=yes", "shuffle: expected a boolean (true or false), found \"yes\""),
            ("model.hidden=[128,wide]", "model.hidden.1: expected an integer, found \"wide\""),
            ("model.hidden=128", "model.hidden: expected a sequence, found 128"),
            ("model=small", "model: expected a mapping, found \"small\""),
            ("model.activation=gelu", "model.activation: expected one of the cases of Activation, found \"gelu\""),
            ("optimizer.name=null", "optimizer.name: expected a string, found null"),
        ]
        let value = try ConfigurationValue(yaml: Self.yaml)
        for (override, message) in cases {
            do {
                _ = try value.applying(overrides: [override]).decode(RunConfiguration.self)
                Issue.record("expected a decoding error for \(override)")
            } catch let error as ConfigurationError {
                #expect(error.code == .typeMismatch, "\(override)")
                #expect(error.description == message)
            }
        }
    }

    @Test("errors inside lists of structs and dictionaries name the element")
    func nestedPaths() throws {
        struct Layer: Decodable { var kind: String; var width: Int }
        struct Network: Decodable { var layers: [Layer]; var heads: [String: Layer] }
        let value = try ConfigurationValue(
            yaml: """
                layers: [{kind: linear, width: 8}, {kind: linear, width: wide}]
                heads: {main: {kind: linear, width: 2}}
                """)
        do {
            _ = try value.decode(Network.self)
            Issue.record("expected a type error")
        } catch let error as ConfigurationError {
            #expect(error.description == "layers.1.width: expected an integer, found \"wide\"")
        }
        let fixed = try value.applying(overrides: ["layers.1.width=16"]).decode(Network.self)
        #expect(fixed.layers.map(\.width) == [8, 16] && fixed.heads["main"]?.width == 2)
        do {
            _ = try value.applying(overrides: ["layers.1.width=16", "~heads.main.kind"]).decode(Network.self)
            Issue.record("expected keyNotFound")
        } catch let error as ConfigurationError {
            #expect(error.description == "heads.main.kind: required key is missing")
        }
    }

    @Test("a missing required key is reported with its path; subtree decoding prefixes paths")
    func missingKeys() throws {
        let value = try ConfigurationValue(yaml: Self.yaml).applying(overrides: ["~optimizer.lr"])
        do {
            _ = try value.decode(RunConfiguration.self)
            Issue.record("expected keyNotFound")
        } catch let error as ConfigurationError {
            #expect(error.code == .keyNotFound)
            #expect(error.description == "optimizer.lr: required key is missing")
        }
        do {
            _ = try value.decode(Optimizer.self, at: "optimizer")
            Issue.record("expected keyNotFound")
        } catch let error as ConfigurationError {
            #expect(error.description == "optimizer.lr: required key is missing")
        }
        #expect(throws: ConfigurationError.self) { try value.decode(Optimizer.self, at: "scheduler") }
    }
}
