import Foundation
import Testing

@testable import ForgeVersioning

@Suite("ForgeVersioning status, diff and checkout")
struct StatusDiffCheckoutTests {
    @Test("status reports added, removed, modified and renamed files; a clean tree is not re-hashed")
    func status() throws {
        let temporary = try TemporaryDirectory()
        let data = try makeDataset(in: temporary)
        let store = try VersionStore(at: temporary.appending("store"), create: true)
        try store.snapshot(data, name: "digits")
        Thread.sleep(forTimeInterval: 0.03)  // leave the racy-clean window so the stat cache is trusted
        try store.snapshot(data, name: "digits")
        #expect(try store.status(of: data, against: "digits").isClean)
        let cache = StatCache.load(from: StatCache.path(store: store, tree: data.standardizedFileURL.path))
        #expect(cache.entries.count == 4)
        #expect(try store.workingState(of: data).hashedFiles == 0, "a clean tree must come from the stat cache")
        try temporary.write("x,y\n1,3\n", at: "data/train/a.csv")  // same size, new content
        #expect(try store.workingState(of: data).hashedFiles == 1)
        try temporary.write("x,y\n1,2\n", at: "data/train/a.csv")

        try temporary.write("x,y\n9,9\n", at: "data/train/a.csv")  // modified
        try temporary.write("new\n", at: "data/extra.txt")  // added
        try FileManager.default.removeItem(at: data.appendingPathComponent("README.md"))  // removed
        try FileManager.default.moveItem(
            at: data.appendingPathComponent("test/c.csv"), to: data.appendingPathComponent("test/moved.csv"))
        let changes = try store.status(of: data, against: "digits")
        #expect(changes.added == ["extra.txt"])
        #expect(changes.removed == ["README.md"])
        #expect(changes.modified == ["train/a.csv"])
        #expect(changes.renamed == [Rename(from: "test/c.csv", to: "test/moved.csv")])
        #expect(!changes.isClean)
    }

    @Test("diff between two versions")
    func diff() throws {
        let temporary = try TemporaryDirectory()
        let data = try makeDataset(in: temporary)
        let store = try VersionStore(at: temporary.appending("store"), create: true)
        try store.snapshot(data, name: "digits")
        try temporary.write("x,y\n0,0\n", at: "data/train/b.csv")
        try FileManager.default.moveItem(
            at: data.appendingPathComponent("README.md"), to: data.appendingPathComponent("DOCS.md"))
        try store.snapshot(data, name: "digits")
        let changes = try store.diff("digits@v1", "digits@v2")
        #expect(changes == TreeChanges(modified: ["train/b.csv"], renamed: [Rename(from: "README.md", to: "DOCS.md")]))
        #expect(try store.diff("digits@v2", "digits@v2").isClean)
    }

    @Test("checkout materializes a version by copy and by hard link, then status is clean", arguments: [
        MaterializeStrategy.copy, .hardLink,
    ])
    func checkout(strategy: MaterializeStrategy) throws {
        let temporary = try TemporaryDirectory()
        let data = try makeDataset(in: temporary)
        try temporary.write(pseudoRandomBytes(count: 3 << 20, seed: 7), at: "data/big.bin")
        let store = try VersionStore(at: temporary.appending("store"), create: true, chunkingThreshold: 1 << 20)
        let first = try store.snapshot(data, name: "digits")
        #expect(first.manifest.entriesByPath["big.bin"]?.kind == .chunkedFile)
        try temporary.write("changed", at: "data/train/a.csv")
        try store.snapshot(data, name: "digits")

        let out = temporary.appending("out")
        try store.checkout("digits@v1", to: out, strategy: strategy)
        for path in ["README.md", "test/c.csv", "train/a.csv", "train/b.csv", "big.bin"] {
            let original = path == "train/a.csv" ? Data("x,y\n1,2\n".utf8) : try Data(contentsOf: data.appendingPathComponent(path))
            #expect(try Data(contentsOf: out.appendingPathComponent(path)) == original, "\(path)")
        }
        let linked = try #require(FileSystem.linkStatus(out.path + "/train/b.csv"))
        #expect((linked.st_nlink > 1) == (strategy == .hardLink))
        #expect(try store.status(of: out, against: "digits@v1").isClean)
        // Switching to v2 rewrites only the changed file; an extra file goes with removingOthers.
        try Data("stray".utf8).write(to: out.appendingPathComponent("stray.txt"))
        try store.checkout("digits@v2", to: out, strategy: strategy, removingOthers: true)
        #expect(try String(contentsOf: out.appendingPathComponent("train/a.csv"), encoding: .utf8) == "changed")
        #expect(!FileManager.default.fileExists(atPath: out.path + "/stray.txt"))
        #expect(try store.status(of: out, against: "digits@v2").isClean)
    }

    @Test("checkout refuses to write through a symlinked directory")
    func checkoutThroughSymlink() throws {
        let temporary = try TemporaryDirectory()
        let data = try makeDataset(in: temporary)
        let store = try VersionStore(at: temporary.appending("store"), create: true)
        try store.snapshot(data, name: "digits")
        let out = temporary.appending("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: temporary.appending("elsewhere"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: out.path + "/train", withDestinationPath: temporary.path + "/elsewhere")
        #expect(throws: VersioningError.self) { try store.checkout("digits", to: out) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: temporary.path + "/elsewhere").isEmpty)
    }
}
