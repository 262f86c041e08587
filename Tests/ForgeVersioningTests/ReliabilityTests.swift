import Foundation
import Testing

@testable import ForgeVersioning

#if canImport(Glibc)
import Glibc
#endif

/// The `VersioningCrashHelper` executable, built next to the test binary.
func crashHelperURL() throws -> URL {
    let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    var folder = testBinary.deletingLastPathComponent()
    if folder.path.hasSuffix(".xctest/Contents/MacOS") {  // Darwin bundles
        folder = folder.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }
    let helper = folder.appendingPathComponent("VersioningCrashHelper")
    try #require(FileManager.default.isExecutableFile(atPath: helper.path), "helper not built at \(helper.path)")
    return helper
}

func startHelper(store: URL, tree: URL, name: String, count: Int) throws -> Process {
    let process = Process()
    process.executableURL = try crashHelperURL()
    process.arguments = [store.path, tree.path, name, String(count)]
    process.standardError = FileHandle.nullDevice
    try process.run()
    return process
}

@Suite("ForgeVersioning reliability")
struct ReliabilityTests {
    @Test("two processes snapshotting into one store at once both succeed")
    func concurrentProcesses() throws {
        let temporary = try TemporaryDirectory()
        let storeURL = temporary.appending("store")
        _ = try VersionStore(at: storeURL, create: true)
        for tree in ["one", "two"] { try temporary.write("seed", at: "\(tree)/seed.txt") }
        let first = try startHelper(store: storeURL, tree: temporary.appending("one"), name: "shared", count: 6)
        let second = try startHelper(store: storeURL, tree: temporary.appending("two"), name: "shared", count: 6)
        first.waitUntilExit()
        second.waitUntilExit()
        #expect(first.terminationStatus == 0 && second.terminationStatus == 0)
        let store = try VersionStore(at: storeURL)
        #expect(try store.log("shared").count == 12, "every snapshot of both processes is in the name's log")
        #expect(try store.verify().isEmpty)
    }

    @Test("a process killed mid-snapshot many times leaves a consistent store")
    func killedMidSnapshot() throws {
        let temporary = try TemporaryDirectory()
        let storeURL = temporary.appending("store")
        try temporary.write(pseudoRandomBytes(count: 3 << 20, seed: 1), at: "tree/large.bin")
        for index in 0..<40 { try temporary.write("file \(index)\n", at: "tree/small/\(index).txt") }
        var kills = 0
        for round in 0..<20 {
            let child = try startHelper(store: storeURL, tree: temporary.appending("tree"), name: "crash", count: 0)
            Thread.sleep(forTimeInterval: 0.08 + Double(round % 8) * 0.045)
            if child.isRunning {
                kill(child.processIdentifier, SIGKILL)
                kills += 1
            }
            child.waitUntilExit()
        }
        #expect(kills >= 15)
        let store = try VersionStore(at: storeURL)
        #expect(try store.verify() == [], "the store must verify clean after \(kills) kills")
        let log = try store.log("crash")
        #expect(!log.isEmpty)
        for entry in log.prefix(3) {  // every named version is complete and can be materialized
            let out = temporary.appending("out-\(entry.version.hex.prefix(8))")
            try store.checkout(entry.reference, to: out)
            #expect(try store.status(of: out, against: entry.reference).isClean)
        }
        let report = try store.collectGarbage()  // cleans what the killed processes left unreferenced
        #expect(try store.verify() == [])
        #expect(report.keptObjects > 0)
    }

    @Test("a corrupt object is detected, reported with its path, and never used")
    func corruptObject() throws {
        let temporary = try TemporaryDirectory()
        let data = try makeDataset(in: temporary)
        let store = try VersionStore(at: temporary.appending("store"), create: true, verifyReads: true)
        let result = try store.snapshot(data, name: "digits")
        let entry = try #require(result.manifest.entriesByPath["train/a.csv"])
        let path = store.objectPath(entry.object)
        chmod(path, 0o644)
        try Data("x,y\n6,6\n".utf8).write(to: URL(fileURLWithPath: path))
        let problems = try store.verify()
        #expect(problems.count == 1)
        #expect(problems.first?.kind == .corrupt && problems.first?.path == path)
        #expect(problems.first?.object == entry.object.hex)
        let actual = ObjectID.hashing(Data("x,y\n6,6\n".utf8)).hex
        #expect(throws: VersioningError.corruptObject(id: entry.object.hex, path: path, actualID: actual)) {
            try store.checkout("digits", to: temporary.appending("out"))
        }
        #expect(!FileManager.default.fileExists(atPath: temporary.path + "/out/train/a.csv"))
        // A missing object is reported as missing.
        unlink(path)
        #expect(try store.verify().map(\.kind) == [.missing])
    }

    @Test("garbage collection keeps what names, tags and lineage reach and removes the rest")
    func garbageCollection() throws {
        let temporary = try TemporaryDirectory()
        let data = try makeDataset(in: temporary)
        let store = try VersionStore(at: temporary.appending("store"), create: true)
        let named = try store.snapshot(data, name: "digits")
        try temporary.write("only in the unnamed snapshot", at: "data/unnamed.txt")
        let unnamed = try store.snapshot(data)
        try FileManager.default.removeItem(at: data.appendingPathComponent("unnamed.txt"))
        try temporary.write("model weights", at: "model/weights.bin")
        let model = try store.snapshot(temporary.appending("model"))
        try temporary.write("other data", at: "other/x.txt")
        let otherData = try store.snapshot(temporary.appending("other"))
        try store.recordLineage(model: model.version.hex, data: [otherData.version.hex])
        let report = try store.collectGarbage()
        #expect(report.removedObjects == 3, "the unnamed version, its manifest and its one new file")
        #expect(!store.containsObject(unnamed.version))
        #expect(store.containsObject(named.version) && store.containsObject(model.version))
        #expect(store.containsObject(otherData.version))
        #expect(try store.verify() == [])
        try store.checkout(model.version.hex, to: temporary.appending("restored"))
        #expect(try String(contentsOf: temporary.appending("restored/weights.bin"), encoding: .utf8) == "model weights")
    }
}
