import Foundation
import Testing

@testable import ForgeTraining

@Suite("Configuration overrides and multirun")
struct ConfigurationOverrideTests {
    let base: ConfigurationValue = [
        "optimizer": ["name": "adam", "lr": 0.001], "model": ["hidden": [64], "dropout": 0.1], "epochs": 10,
    ]

    @Test("set, add, force-set and delete with typed values")
    func applyOverrides() throws {
        let result = try base.applying(overrides: [
            "optimizer.lr=3e-4", "model.hidden=[128,64]", "+trainer.seed=1", "++epochs=20", "++new.flag=true",
            "~model.dropout", "optimizer.name='sgd'", "epochs=0x10",
        ])
        #expect(result[path: "optimizer.lr"] == .double(3e-4))
        #expect(result[path: "model.hidden"] == [128, 64])
        #expect(result[path: "trainer.seed"] == .int(1))
        #expect(result[path: "new.flag"] == .bool(true))
        #expect(result[path: "model.dropout"] == nil)
        #expect(result[path: "optimizer.name"] == .string("sgd"))
        #expect(result[path: "epochs"] == .int(16))
        let strings = try base.applying(overrides: [
            "optimizer.name=", "optimizer.lr=null", "+note=a: b", "+quoted='1,2'",
        ])
        #expect(strings[path: "optimizer.name"] == .string("") && strings[path: "optimizer.lr"] == .null)
        #expect(strings[path: "note"] == .string("a: b") && strings[path: "quoted"] == .string("1,2"))
    }

    @Test("overriding a missing key without + is an error that says how to add it")
    func missingKey() throws {
        do {
            _ = try base.applying(overrides: ["optimizer.momentum=0.9"])
            Issue.record("expected missingKey")
        } catch let error as ConfigurationError {
            #expect(error.code == .missingKey && error.keyPath == "optimizer.momentum")
            #expect(error.description.contains("+optimizer.momentum=0.9"))
        }
        #expect(throws: ConfigurationError.self) { try base.applying(overrides: ["+epochs=3"]) }
        #expect(throws: ConfigurationError.self) { try base.applying(overrides: ["~nothing"]) }
        #expect(throws: ConfigurationError.self) { try base.applying(overrides: ["~epochs=11"]) }
        #expect(try base.applying(overrides: ["~epochs=10"])[path: "epochs"] == nil)
        // A new key never turns a list or a scalar into a mapping.
        for text in ["+model.hidden.3=1", "++epochs.inner=1", "+model.hidden.x.y=2"] {
            do {
                _ = try base.applying(overrides: [text])
                Issue.record("expected an error for \(text)")
            } catch let error as ConfigurationError {
                #expect(error.code == .invalidOverride && error.message.contains("not a mapping"), "\(text)")
            }
        }
        #expect(try base.applying(overrides: ["model.hidden.0=32"])[path: "model.hidden"] == [32])
    }

    @Test("malformed overrides are typed errors naming the override")
    func malformed() throws {
        for text in ["=3", "lr", "optimizer..lr=1", "model.hidden=[1,2", "a=[1]]", "x='open", "lr=1e-3,1e-4", "a b=1"] {
            do {
                _ = try ConfigurationOverride.parse(text)
                Issue.record("expected an error for \(text)")
            } catch let error as ConfigurationError {
                #expect(error.code == .invalidOverride, "\(text)")
                #expect(error.message.contains(text), "\(text): \(error.message)")
            }
        }
    }

    @Test("multirun expands to the cartesian product, first override slowest")
    func sweep() throws {
        let runs = try ConfigurationSweep.expand(["optimizer.lr=1e-3,1e-4", "model.hidden=[64],[128]", "epochs=3"])
        #expect(
            runs == [
                ["optimizer.lr=1e-3", "model.hidden=[64]", "epochs=3"],
                ["optimizer.lr=1e-3", "model.hidden=[128]", "epochs=3"],
                ["optimizer.lr=1e-4", "model.hidden=[64]", "epochs=3"],
                ["optimizer.lr=1e-4", "model.hidden=[128]", "epochs=3"],
            ])
        #expect(try ConfigurationSweep.expand(["model.hidden=[64,32]"]) == [["model.hidden=[64,32]"]])
        #expect(try ConfigurationSweep.expand([]) == [[]])
        let configured = try runs.map { try base.applying(overrides: $0) }
        #expect(configured[3][path: "model.hidden"] == [128] && configured[3][path: "optimizer.lr"] == .double(1e-4))
        #expect(try ConfigurationSweep.expand(["+seed=1,2,3"]) == [["+seed=1"], ["+seed=2"], ["+seed=3"]])
    }
}
