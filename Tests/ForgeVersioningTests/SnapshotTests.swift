import Foundation
import Testing

@testable import ForgeVersioning

@Suite("ForgeVersioning snapshots")
struct SnapshotTests {
    @Test("object ids are SHA-256 of the content")
    func objectIDs() throws {
        #expect(ObjectID.hashing(Data("hello".utf8)).hex == "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824")
        #expect(ObjectID(hex: "XYZ") == nil)
        #expect(ObjectID(hex: String(repeating: "A", count: 64)) == nil)
    }

    @Test("snapshot stores read-only objects and a manifest that lists every file")
    func snapshotTree() throws {
        let temporary = try TemporaryDirectory()
        let data = try makeDataset(in: temporary)
        let store = try VersionStore(at: temporary.appending("store"), create: true)
        let result = try store.snapshot(data, name: "digits", message: "first", author: "ada", metadata: ["source": "unit"])
        #expect(result.reference == "digits@v1")
        #expect(result.manifest.entries.map(\.path) == ["README.md", "test/c.csv", "train/a.csv", "train/b.csv"])
        let entry = try #require(result.manifest.entriesByPath["train/a.csv"])
        #expect(entry.object == ObjectID.hashing(Data("x,y\n1,2\n".utf8)))
        #expect(entry.size == 8)
        let info = try #require(FileSystem.linkStatus(store.objectPath(entry.object)))
        #expect(info.st_mode & 0o222 == 0, "objects must be read-only")
        let record = try store.record(result.version)
        #expect(record.message == "first" && record.author == "ada" && record.metadata == ["source": "unit"])
        #expect(record.fileCount == 4 && record.totalSize == 8 * 3 + 9)
        // The same tree again: same manifest, nothing new but the version record.
        let again = try store.snapshot(data, name: "digits")
        #expect(again.reference == "digits@v2")
        #expect(again.record.manifest == record.manifest)
        #expect(again.record.parents == [result.version])
        #expect(again.newObjects == 0)
    }

    @Test("names, tags and log resolve as documented")
    func namesAndTags() throws {
        let temporary = try TemporaryDirectory()
        let data = try makeDataset(in: temporary)
        let store = try VersionStore(at: temporary.appending("store"), create: true)
        let first = try store.snapshot(data, name: "digits", message: "one")
        try temporary.write("x,y\n7,8\n", at: "data/train/a.csv")
        let second = try store.snapshot(data, name: "digits", message: "two")
        #expect(try store.resolve("digits") == second.version)
        #expect(try store.resolve("digits@latest") == second.version)
        #expect(try store.resolve("digits@v1") == first.version)
        #expect(try store.resolve(first.version.hex) == first.version)
        try store.tag("digits@v1", as: "production")
        #expect(try store.resolve("digits@production") == first.version)
        let log = try store.log("digits")
        #expect(log.map(\.reference) == ["digits@v2", "digits@v1"])
        #expect(log.map(\.record.message) == ["two", "one"])
        #expect(log[1].tags == ["production"])
        #expect(store.names() == ["digits"])
        #expect(throws: VersioningError.unknownReference("digits@v3")) { try store.resolve("digits@v3") }
        #expect(throws: VersioningError.self) { try store.resolve("../etc") }
        #expect(throws: VersioningError.self) { try store.tag("digits@v1", as: "v7") }
        #expect(throws: VersioningError.self) { try store.snapshot(data, name: "bad/name") }
    }

    @Test("paths with .., absolute paths and escaping symlinks are rejected with typed errors")
    func pathValidation() throws {
        #expect(throws: VersioningError.invalidPath("../x", reason: "'..' escapes the tree")) {
            try TreePath.validate("../x")
        }
        #expect(throws: VersioningError.self) { try TreePath.validate("/etc/passwd") }
        #expect(throws: VersioningError.self) { try TreePath.validate("a//b") }
        try TreePath.validate("a/b.c/d")
        #expect(TreePath.symlinkStaysInside(linkPath: "a/b/link", target: "../c"))
        #expect(!TreePath.symlinkStaysInside(linkPath: "a/link", target: "../../c"))
        let temporary = try TemporaryDirectory()
        let data = try makeDataset(in: temporary)
        let store = try VersionStore(at: temporary.appending("store"), create: true)
        try FileManager.default.createSymbolicLink(atPath: data.path + "/train/inside", withDestinationPath: "a.csv")
        let result = try store.snapshot(data, name: "links")
        #expect(result.manifest.entriesByPath["train/inside"]?.kind == .symlink)
        try FileManager.default.createSymbolicLink(atPath: data.path + "/escape", withDestinationPath: "../../etc")
        #expect(throws: VersioningError.symlinkEscapesTree(path: "escape", target: "../../etc")) {
            try store.snapshot(data, name: "links")
        }
        // A manifest naming a path with '..' is refused when parsed.
        let bad = Data("forge-manifest 1\nf 644 1 \(ObjectID.hashing(Data()).hex) ../evil\n".utf8)
        #expect(throws: VersioningError.self) { try Manifest(serialized: bad, location: "test") }
    }

    @Test("a single file can be snapshotted and checked out")
    func singleFile() throws {
        let temporary = try TemporaryDirectory()
        try temporary.write("weights", at: "model.bin")
        let store = try VersionStore(at: temporary.appending("store"), create: true)
        let result = try store.snapshot(temporary.appending("model.bin"), name: "model")
        #expect(result.manifest.entries.map(\.path) == ["model.bin"])
        try store.checkout("model", to: temporary.appending("out"))
        #expect(try String(contentsOf: temporary.appending("out/model.bin"), encoding: .utf8) == "weights")
    }
}
