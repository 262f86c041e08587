import Foundation
import Testing

@testable import ForgeTraining

/// A temporary config directory, removed at the end of the test.
final class ConfigDirectory {
    let url: URL

    init(_ files: [String: String]) throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("forge-config-\(UUID().uuidString)")
        for (path, text) in files {
            let file = url.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: file, atomically: true, encoding: .utf8)
        }
    }

    deinit { try? FileManager.default.removeItem(at: url) }
}

@Suite("Configuration composition")
struct ConfigurationLoaderTests {
    static let files = [
        "config.yaml": """
        defaults:
          - model: mlp
          - optimizer: adam
          - _self_
        epochs: 10
        optimizer:
          weight_decay: 0.01
        run_name: ${model.name}-lr${optimizer.lr}
        """,
        "model/mlp.yaml": "name: mlp\nhidden: [128, 64]\ndropout: 0.1\n",
        "model/cnn.yaml": "name: cnn\nchannels: [16, 32]\n",
        "optimizer/adam.yaml": "name: adam\nlr: 0.001\nweight_decay: 0.0\n",
        "optimizer/sgd.yaml": "name: sgd\nlr: 0.1\nmomentum: 0.9\n",
        "data/digits.yaml": "path: data/digits.csv\nbatch_size: 32\n",
        "broken.yaml": "defaults:\n  - model: mlp\nepochs: [1,\n",
        "notmapping.yaml": "- 1\n- 2\n",
        "self_first.yaml": "defaults:\n  - _self_\n  - optimizer: adam\noptimizer:\n  lr: 0.5\n",
        "baseline.yaml": "defaults:\n  - common\nseed: 2\n",
        "common.yaml": "seed: 1\nlog_every: 10\n",
    ]

    @Test("defaults list loads group options under their keys and _self_ merges in order")
    func composition() throws {
        let directory = try ConfigDirectory(Self.files)
        let configuration = try ConfigurationLoader(directory: directory.url).compose()
        #expect(configuration[path: "model.hidden"] == [128, 64])
        #expect(configuration[path: "optimizer.name"] == .string("adam"))
        #expect(configuration[path: "optimizer.weight_decay"] == .double(0.01))  // _self_ after the group
        #expect(configuration[path: "epochs"] == .int(10))
        #expect(configuration[path: "run_name"] == .string("mlp-lr0.001"))
        #expect(configuration[path: "defaults"] == nil)
        // _self_ first: the group file overrides the primary file's own value.
        let selfFirst = try ConfigurationLoader(directory: directory.url).compose(primary: "self_first")
        #expect(selfFirst[path: "optimizer.lr"] == .double(0.001))
        // A bare name merges at the root; without _self_ the primary keys win (Hydra 1.1+).
        let baseline = try ConfigurationLoader(directory: directory.url).compose(primary: "baseline")
        #expect(baseline == ["seed": 2, "log_every": 10])
    }

    @Test("group overrides choose, add and remove options; value overrides apply after")
    func groupOverrides() throws {
        let directory = try ConfigDirectory(Self.files)
        let loader = ConfigurationLoader(directory: directory.url)
        let configuration = try loader.compose(overrides: [
            "model=cnn", "optimizer=sgd", "optimizer.lr=3e-4", "+data=digits",
        ])
        #expect(configuration[path: "model.channels"] == [16, 32] && configuration[path: "model.hidden"] == nil)
        #expect(configuration[path: "optimizer.momentum"] == .double(0.9))
        #expect(configuration[path: "optimizer.lr"] == .double(3e-4))
        #expect(configuration[path: "data.batch_size"] == .int(32))
        #expect(configuration[path: "run_name"] == .string("cnn-lr0.0003"))
        let withoutModel = try loader.compose(overrides: ["~model", "run_name=plain"])
        #expect(withoutModel[path: "model"] == nil && withoutModel[path: "run_name"] == .string("plain"))
        #expect(loader.options(forGroup: "model") == ["cnn", "mlp"])
    }

    @Test("multirun over group options and values composes one configuration per run")
    func sweepOverGroups() throws {
        let directory = try ConfigDirectory(Self.files)
        let loader = ConfigurationLoader(directory: directory.url)
        let runs = try ConfigurationSweep.expand(["model=mlp,cnn", "optimizer.lr=0.1,0.01"])
        let names = try runs.map { overrides -> String in
            let configuration = try loader.compose(overrides: overrides)
            guard case .string(let name) = configuration[path: "run_name"] else { return "" }
            return name
        }
        #expect(names == ["mlp-lr0.1", "mlp-lr0.01", "cnn-lr0.1", "cnn-lr0.01"])
    }

    @Test("included files compose their own defaults, relative to their group")
    func nestedDefaults() throws {
        let directory = try ConfigDirectory([
            "config.yaml": "defaults:\n  - model: deep\n  - base\nepochs: 1\n",
            "base.yaml": "defaults:\n  - logging\nseed: 3\n",
            "logging.yaml": "log_every: 5\nseed: 0\n",
            "model/deep.yaml": "defaults:\n  - activation: relu\n  - _self_\nlayers: 4\nactivation:\n  slope: 0.1\n",
            "model/activation/relu.yaml": "name: relu\nslope: 0.0\n",
            "model/activation/tanh.yaml": "name: tanh\n",
            "loop.yaml": "defaults:\n  - loop\n",
            "escape.yaml": "defaults:\n  - model: ../../outside\n",
        ])
        let loader = ConfigurationLoader(directory: directory.url)
        let configuration = try loader.compose()
        #expect(
            configuration == [
                "model": ["activation": ["name": "relu", "slope": 0.1], "layers": 4], "log_every": 5, "seed": 3,
                "epochs": 1,
            ])
        #expect(throws: ConfigurationError.self) { try loader.compose(primary: "loop") }
        do {
            _ = try loader.compose(primary: "escape")
            Issue.record("expected a path error")
        } catch let error as ConfigurationError {
            #expect(error.code == .invalidDefaults || error.code == .groupOptionNotFound)
            #expect(error.message.contains("outside"))
        }
    }

    @Test("Codable defaults are the lowest layer")
    func codableDefaults() throws {
        struct Trainer: Codable { var epochs = 1; var seed = 42 }
        let directory = try ConfigDirectory(Self.files)
        let configuration = try ConfigurationLoader(directory: directory.url).compose(
            defaults: try ConfigurationValue(encoding: Trainer()))
        #expect(configuration[path: "epochs"] == .int(10) && configuration[path: "seed"] == .int(42))
    }

    @Test("errors: missing option lists the available ones; YAML errors name file and line")
    func errors() throws {
        let directory = try ConfigDirectory(Self.files)
        let loader = ConfigurationLoader(directory: directory.url)
        do {
            _ = try loader.compose(overrides: ["model=transformer"])
            Issue.record("expected groupOptionNotFound")
        } catch let error as ConfigurationError {
            #expect(error.code == .groupOptionNotFound)
            #expect(error.message.contains("available: cnn, mlp"))
        }
        do {
            _ = try loader.compose(primary: "broken")
            Issue.record("expected a syntax error")
        } catch let error as ConfigurationError {
            #expect(error.code == .yamlSyntax && error.file?.hasSuffix("broken.yaml") == true && error.line == 4)
        }
        #expect(throws: ConfigurationError.self) { try loader.compose(primary: "notmapping") }
        #expect(throws: ConfigurationError.self) { try loader.compose(primary: "absent") }
        #expect(throws: ConfigurationError.self) { try loader.compose(overrides: ["model.layers=3"]) }
        let badDefaults = try ConfigDirectory(["config.yaml": "defaults:\n  - [1, 2]\n"])
        do {
            _ = try ConfigurationLoader(directory: badDefaults.url).compose()
            Issue.record("expected invalidDefaults")
        } catch let error as ConfigurationError {
            #expect(error.code == .invalidDefaults && error.keyPath == "defaults.0")
        }
    }
}

@Suite("Configuration interpolation")
struct ConfigurationInterpolationTests {
    @Test("whole-string references keep the type; embedded ones splice text; chains resolve")
    func resolves() throws {
        let value: ConfigurationValue = [
            "base": ["lr": 0.01, "width": 64, "layers": [1, 2]],
            "optimizer": ["lr": "${base.lr}"],
            "model": ["hidden": "${base.layers}", "name": "mlp-${base.width}x${model.depth}", "depth": 3],
            "chain": "${optimizer.lr}",
            "literal": "cost \\${not.a.reference}",
        ]
        let resolved = try value.resolvingInterpolations()
        #expect(resolved[path: "optimizer.lr"] == .double(0.01))
        #expect(resolved[path: "model.hidden"] == [1, 2])
        #expect(resolved[path: "model.name"] == .string("mlp-64x3"))
        #expect(resolved[path: "chain"] == .double(0.01))
        #expect(resolved[path: "literal"] == .string("cost ${not.a.reference}"))
    }

    @Test("missing keys, cycles, unclosed braces and collections in text are errors with the key path")
    func errors() throws {
        let cases: [(ConfigurationValue, String, String)] = [
            (["a": "${missing.key}"], "a", "does not exist"),
            (["a": "${b}", "b": "${a}"], "a", "cycle"),
            (["a": ["b": "x${c"]], "a.b", "unclosed"),
            (["a": "v${list}", "list": [1]], "a", "cannot insert a sequence"),
        ]
        for (value, keyPath, fragment) in cases {
            do {
                _ = try value.resolvingInterpolations()
                Issue.record("expected an interpolation error for \(keyPath)")
            } catch let error as ConfigurationError {
                #expect(error.code == .interpolation && error.keyPath == keyPath && error.message.contains(fragment))
            }
        }
    }
}
