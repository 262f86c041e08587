import Foundation
import Testing

@testable import ForgeTraining

@Suite("Configuration YAML")
struct ConfigurationYAMLTests {
    @Test("scalars are typed by the YAML 1.2 core schema; quoted scalars stay strings")
    func scalarTyping() throws {
        let value = try ConfigurationValue(
            yaml: """
                lr: 3e-4
                small: .5
                epochs: 10
                negative: -3
                hex: 0x1F
                flag: true
                capital: False
                answer: yes
                country: NO
                nothing: null
                tilde: ~
                empty:
                quoted: "10"
                single: 'true'
                underscored: 1_000
                infinity: .inf
                name: mlp
                """)
        #expect(value[path: "lr"] == .double(3e-4))
        #expect(value[path: "small"] == .double(0.5))
        #expect(value[path: "epochs"] == .int(10))
        #expect(value[path: "negative"] == .int(-3))
        #expect(value[path: "hex"] == .int(31))
        #expect(value[path: "flag"] == .bool(true))
        #expect(value[path: "capital"] == .bool(false))
        #expect(value[path: "answer"] == .string("yes"))  // YAML 1.1 would say true
        #expect(value[path: "country"] == .string("NO"))
        #expect(value[path: "nothing"] == .null && value[path: "tilde"] == .null && value[path: "empty"] == .null)
        #expect(value[path: "quoted"] == .string("10") && value[path: "single"] == .string("true"))
        #expect(value[path: "underscored"] == .string("1_000"))
        #expect(value[path: "infinity"] == .double(.infinity))
        #expect(value[path: "name"] == .string("mlp"))
        #expect(value.mapping?.keys.first == "lr")
    }

    @Test("nested mappings and sequences; paths index sequences")
    func nesting() throws {
        let value = try ConfigurationValue(
            yaml: """
                model:
                  hidden: [128, 64]
                  layers:
                    - {kind: linear, width: 8}
                    - kind: relu
                """)
        #expect(value[path: "model.hidden"] == [128, 64])
        #expect(value[path: "model.hidden.1"] == .int(64))
        #expect(value[path: "model.layers.0.width"] == .int(8))
        #expect(value[path: "model.layers.1.kind"] == .string("relu"))
        #expect(value[path: "model.missing"] == nil && value[path: "model.hidden.5"] == nil)
        #expect(try ConfigurationValue(yaml: "") == .emptyMapping)
        #expect(try ConfigurationValue(yaml: "# only a comment\n") == .emptyMapping)
    }

    @Test("syntax errors carry the file, line and column")
    func syntaxErrors() throws {
        do {
            _ = try ConfigurationValue(yaml: "model:\n  hidden: [1, 2\nlr: 3\n", file: "conf/config.yaml")
            Issue.record("expected a syntax error")
        } catch let error as ConfigurationError {
            #expect(error.code == .yamlSyntax)
            #expect(error.file == "conf/config.yaml")
            #expect(error.line == 3)
            #expect(error.description.hasPrefix("conf/config.yaml:3:"))
        }
        do {
            _ = try ConfigurationValue(yaml: "a: 1\nb: [x\n  c: : d\n")
            Issue.record("expected a syntax error")
        } catch let error as ConfigurationError {
            #expect(error.code == .yamlSyntax && error.line != nil && error.description.hasPrefix("<string>:"))
        }
        do {
            _ = try ConfigurationValue(yaml: "a: 1\na: 2\n")
            Issue.record("expected a duplicate-key error")
        } catch let error as ConfigurationError {
            #expect(error.code == .yamlSyntax && error.message.contains("duplicate"))
        }
        #expect(throws: ConfigurationError.self) {
            try ConfigurationValue(contentsOf: URL(fileURLWithPath: "/nonexistent/forge/config.yaml"))
        }
    }

    @Test("defaults from a Codable value keep types")
    func encodingDefaults() throws {
        struct Defaults: Codable {
            var epochs = 5
            var lr = 0.001
            var name = "yes"
            var hidden = [32, 16]
            var shuffle = true
        }
        let value = try ConfigurationValue(encoding: Defaults())
        #expect(value[path: "epochs"] == .int(5))
        #expect(value[path: "lr"] == .double(0.001))
        #expect(value[path: "name"] == .string("yes"))
        #expect(value[path: "hidden"] == [32, 16])
        #expect(value[path: "shuffle"] == .bool(true))
    }

    @Test("YAML dump reads back to the same tree; ambiguous strings are quoted")
    func dumpRoundTrip() throws {
        let value: ConfigurationValue = [
            "optimizer": ["name": "adam", "lr": 0.0003, "betas": [0.9, 0.999]],
            "model": ["hidden": [128, 64], "activation": "relu", "extra": .emptyMapping],
            "tricky": ["number_text": "10", "bool_text": "true", "yes_text": "yes", "colon": "a: b", "empty": ""],
            "seed": 7, "resume": .null, "debug": false,
        ]
        let yaml = try value.yamlString()
        #expect(yaml.contains("hidden: [128, 64]"))
        #expect(yaml.contains("number_text: \"10\""))
        #expect(yaml.hasPrefix("optimizer:"))
        #expect(try ConfigurationValue(yaml: yaml) == value)
    }

    @Test("flattened dotted keys for run parameters")
    func flattened() throws {
        let value: ConfigurationValue = [
            "optimizer": ["name": "adam", "lr": 0.001], "model": ["hidden": [128, 64], "extra": .emptyMapping],
            "seed": 7, "note": .null, "names": ["a,b", "c"],
        ]
        #expect(
            value.flattened() == [
                "optimizer.name": "adam", "optimizer.lr": "0.001", "model.hidden": "[128, 64]", "model.extra": "{}",
                "seed": "7", "note": "null", "names": "[\"a,b\", c]",
            ])
    }

    @Test("deep merge: mappings merge key by key, other values are replaced")
    func merge() {
        let base: ConfigurationValue = ["model": ["hidden": [64], "dropout": 0.1], "lr": 0.1]
        let overlay: ConfigurationValue = ["model": ["hidden": [128, 64]], "epochs": 3]
        let merged = base.merging(overlay)
        #expect(merged == ["model": ["hidden": [128, 64], "dropout": 0.1], "lr": 0.1, "epochs": 3])
        #expect(merged.mapping?.keys == ["model", "lr", "epochs"])
    }
}
