import Foundation
import Testing

@testable import ForgeVersioning

@Suite("ForgeVersioning DVC interop (real dvc)", .enabled(if: PythonTools.hasModule("dvc")))
struct DVCInteropTests {
    var dvc: String { PythonTools.scripts! + "/dvc" }

    func dvcRepository(_ temporary: TemporaryDirectory, _ name: String) throws -> URL {
        let repository = temporary.appending(name)
        try FileManager.default.createDirectory(at: repository, withIntermediateDirectories: true)
        let initialized = try PythonTools.run(dvc, ["init", "--no-scm", "-q"], in: repository)
        try #require(initialized.status == 0, "dvc init: \(initialized.output)")
        return repository
    }

    @Test("an exported directory is accepted by dvc checkout and dvc status, .dir byte-for-byte as dvc add")
    func exportDirectory() throws {
        let temporary = try TemporaryDirectory()
        let data = try makeDataset(in: temporary)
        try temporary.write("ünïcode \"quoted\"", at: "data/naïve \"name\".txt")
        try temporary.write(pseudoRandomBytes(count: 3 << 20, seed: 8), at: "data/big.bin")  // chunked in Forge
        try temporary.write("", at: "data/empty.txt")
        let store = try VersionStore(at: temporary.appending("store"), create: true, chunkingThreshold: 1 << 20)
        try store.snapshot(data, name: "digits")
        let repository = try dvcRepository(temporary, "repo")
        let export = try store.exportToDVC("digits", repository: repository, path: "data")

        let checkout = try PythonTools.run(dvc, ["checkout"], in: repository)
        #expect(checkout.status == 0, "\(checkout.output)")
        let status = try PythonTools.run(dvc, ["status"], in: repository)
        #expect(status.status == 0 && status.output.contains("up to date"), "\(status.output)")
        #expect(try store.status(of: repository.appendingPathComponent("data"), against: "digits").isClean)

        // dvc add of the same tree in another repository computes the same .dir hash and bytes.
        let reference = try dvcRepository(temporary, "reference")
        try FileManager.default.copyItem(at: data, to: reference.appendingPathComponent("data"))
        let added = try PythonTools.run(dvc, ["add", "-q", "data"], in: reference)
        try #require(added.status == 0, "\(added.output)")
        let theirs = try String(contentsOf: reference.appendingPathComponent("data.dvc"), encoding: .utf8)
        #expect(theirs.contains("md5: \(export.md5)"), "dvc add wrote:\n\(theirs)")
        let ours = try String(contentsOf: export.dvcFile, encoding: .utf8)
        #expect(ours == theirs, "the .dvc files differ")
        let cacheFile = "/.dvc/cache/files/md5/\(export.md5.prefix(2))/\(export.md5.dropFirst(2))"
        #expect(try Data(contentsOf: URL(fileURLWithPath: repository.path + cacheFile))
            == Data(contentsOf: URL(fileURLWithPath: reference.path + cacheFile)))
    }

    @Test("a single-file export matches dvc add's .dvc file")
    func exportFile() throws {
        let temporary = try TemporaryDirectory()
        try temporary.write("weights v1", at: "model/model.bin")
        let store = try VersionStore(at: temporary.appending("store"), create: true)
        try store.snapshot(temporary.appending("model/model.bin"), name: "model")
        let repository = try dvcRepository(temporary, "repo")
        let export = try store.exportToDVC("model", repository: repository, path: "model.bin")
        #expect(try PythonTools.run(dvc, ["checkout"], in: repository).status == 0)
        #expect(try String(contentsOf: repository.appendingPathComponent("model.bin"), encoding: .utf8) == "weights v1")
        let reference = try dvcRepository(temporary, "reference")
        try "weights v1".write(to: reference.appendingPathComponent("model.bin"), atomically: true, encoding: .utf8)
        #expect(try PythonTools.run(dvc, ["add", "-q", "model.bin"], in: reference).status == 0)
        #expect(try String(contentsOf: export.dvcFile, encoding: .utf8)
            == String(contentsOf: reference.appendingPathComponent("model.bin.dvc"), encoding: .utf8))
    }

    @Test("a path tracked by dvc add is imported as a version, and a tampered cache is refused")
    func importTracked() throws {
        let temporary = try TemporaryDirectory()
        let repository = try dvcRepository(temporary, "repo")
        let source = try makeDataset(in: temporary, root: "repo/data")
        #expect(try PythonTools.run(dvc, ["add", "-q", "data"], in: repository).status == 0)
        let store = try VersionStore(at: temporary.appending("store"), create: true)
        let imported = try store.importFromDVC(dvcFile: repository.appendingPathComponent("data.dvc"), name: "digits")
        #expect(imported.manifest.entries.map(\.path) == ["README.md", "test/c.csv", "train/a.csv", "train/b.csv"])
        #expect(try store.status(of: source, against: "digits").isClean)
        // Tamper with one cache file: the import must refuse it.
        let cacheFiles = try FileManager.default.subpathsOfDirectory(atPath: repository.path + "/.dvc/cache/files/md5")
            .filter { !$0.hasSuffix(".dir") && $0.count > 3 }
        let victim = repository.path + "/.dvc/cache/files/md5/" + cacheFiles[0]
        chmod(victim, 0o644)
        try Data("tampered".utf8).write(to: URL(fileURLWithPath: victim))
        #expect(throws: VersioningError.self) {
            try store.importFromDVC(dvcFile: repository.appendingPathComponent("data.dvc"), name: "again")
        }
        #expect(throws: VersioningError.self) { try DVCFile.parse("outs:\n- md5: zz\n  path: ../x\n", path: "t") }
    }
}
