import Foundation
import Testing

@testable import ForgeVersioning

@Suite("ForgeVersioning lineage")
struct LineageTests {
    @Test("lineage links a model to data, code, parameters and run, queried both ways")
    func bothWays() throws {
        let temporary = try TemporaryDirectory()
        let data = try makeDataset(in: temporary)
        let store = try VersionStore(at: temporary.appending("store"), create: true)
        try store.snapshot(data, name: "digits")
        try temporary.write("x,y\n0,1\n", at: "data/extra.csv")
        try store.snapshot(data, name: "digits")
        try temporary.write("weights-1", at: "model/w.bin")
        try store.snapshot(temporary.appending("model"), name: "classifier")
        try temporary.write("weights-2", at: "model/w.bin")
        try store.snapshot(temporary.appending("model"), name: "classifier")
        let code = CodeVersion(commit: String(repeating: "a", count: 40), dirty: true)
        try store.recordLineage(
            model: "classifier@v1", data: ["digits@v1"], code: code, parameters: ["lr": "0.1"], run: "run-1")
        try store.recordLineage(model: "classifier@v2", data: ["digits@v1", "digits@v2"], parameters: ["lr": "0.01"], run: "run-2")

        let produced = try #require(try store.lineage(ofModel: "classifier@v1"))
        #expect(produced.data == [try store.resolve("digits@v1")])
        #expect(produced.code == code && produced.parameters == ["lr": "0.1"] && produced.run == "run-1")
        let onFirst = try store.models(trainedOn: "digits@v1").map(\.run)
        #expect(Set(onFirst) == ["run-1", "run-2"])
        #expect(try store.models(trainedOn: "digits@v2").map(\.model) == [try store.resolve("classifier@v2")])
        #expect(try store.lineage(ofModel: "digits@v2") == nil)
        #expect(throws: VersioningError.unknownReference("nope")) { try store.recordLineage(model: "nope", data: []) }
    }

    @Test("the code version of a git checkout has its commit and dirty flag")
    func codeVersion() throws {
        let temporary = try TemporaryDirectory()
        #expect(CodeVersion.current(in: temporary.url) == nil)
        func git(_ arguments: String...) throws {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["git", "-C", temporary.path, "-c", "user.name=t", "-c", "user.email=t@t"] + arguments
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
        }
        try git("init", "-q")
        try temporary.write("print(1)", at: "train.py")
        try git("add", "train.py")
        try git("commit", "-q", "-m", "one")
        let clean = try #require(CodeVersion.current(in: temporary.url))
        #expect(clean.commit.count == 40 && !clean.dirty)
        try temporary.write("print(2)", at: "train.py")
        #expect(CodeVersion.current(in: temporary.url)?.dirty == true)
    }
}
