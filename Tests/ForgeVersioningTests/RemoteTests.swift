import Foundation
import Testing

@testable import ForgeVersioning

@Suite("ForgeVersioning push and pull")
struct RemoteTests {
    /// A store with `digits@v1`, `digits@v2` (one changed file) and a 3 MiB chunked file.
    func makeStore(_ temporary: TemporaryDirectory) throws -> (VersionStore, URL) {
        let data = try makeDataset(in: temporary)
        try temporary.write(pseudoRandomBytes(count: 3 << 20, seed: 21), at: "data/big.bin")
        let store = try VersionStore(at: temporary.appending("store"), create: true, chunkingThreshold: 1 << 20)
        try store.snapshot(data, name: "digits", message: "one")
        try temporary.write("x,y\n9,9\n", at: "data/train/a.csv")
        try store.snapshot(data, name: "digits", message: "two")
        try store.tag("digits@v1", as: "baseline")
        return (store, data)
    }

    /// Pushes to `remote`, pulls into a fresh store, and checks the name, tags and contents came across.
    func roundTrip(through remote: any ObjectStore, _ temporary: TemporaryDirectory) async throws {
        let (store, data) = try makeStore(temporary)
        let pushed = try await store.push("digits", to: remote)
        #expect(pushed.transferredObjects > 5 && pushed.skippedObjects == 0)
        let again = try await store.push("digits", to: remote)
        #expect(again.transferredObjects == 0, "a second push sends nothing")
        let other = try VersionStore(at: temporary.appending("other"), create: true)
        let pulled = try await other.pull("digits", from: remote)
        #expect(pulled.transferredObjects == pushed.transferredObjects)
        #expect(try other.log("digits").map(\.record.message) == ["two", "one"])
        #expect(try other.resolve("digits@baseline") == store.resolve("digits@v1"))
        try other.checkout("digits", to: temporary.appending("clone"))
        #expect(try store.status(of: temporary.appending("clone"), against: "digits").isClean)
        #expect(try Data(contentsOf: temporary.appending("clone/big.bin")) == Data(contentsOf: data.appendingPathComponent("big.bin")))
        #expect(try other.verify() == [])
        let nothing = try await other.pull("digits", from: remote)
        #expect(nothing.transferredObjects == 0)
    }

    @Test("round trip through a directory remote") func directory() async throws {
        let temporary = try TemporaryDirectory()
        try await roundTrip(through: DirectoryObjectStore(at: temporary.appending("remote")), temporary)
    }

    @Test("round trip through an S3 remote (moto on 127.0.0.1)", .enabled(if: PythonTools.hasModule("moto.server")))
    func s3() async throws {
        let server = try MotoServer()
        let remote = S3ObjectStore(
            endpoint: server.endpoint, bucket: "forge-remote", prefix: "datasets", accessKey: "test", secretKey: "test")
        try await remote.createBucket()
        let temporary = try TemporaryDirectory()
        try await roundTrip(through: remote, temporary)
        withExtendedLifetime(server) {}
    }

    @Test("an interrupted push resumes, sending only what is missing")
    func resume() async throws {
        let temporary = try TemporaryDirectory()
        let (store, _) = try makeStore(temporary)
        let remote = CountingObjectStore()
        remote.failAfterWrites = 4
        await #expect(throws: CountingObjectStore.Interrupted.self) { try await store.push("digits", to: remote, concurrency: 1) }
        #expect(try await remote.reference(named: "digits") == nil, "the name is published only after every object")
        remote.failAfterWrites = nil
        let resumed = try await store.push("digits", to: remote)
        #expect(resumed.skippedObjects == 4)
        let total = try store.objectsToTransfer(from: [try store.resolve("digits")]).count
        #expect(remote.writes == total, "every object written exactly once across both attempts")
    }

    @Test("pull rejects an object whose bytes do not match its id")
    func corruptRemote() async throws {
        let temporary = try TemporaryDirectory()
        let (store, _) = try makeStore(temporary)
        let remote = CountingObjectStore()
        try await store.push("digits", to: remote)
        let manifest = try store.manifest(of: store.resolve("digits"))
        let victim = try #require(manifest.entriesByPath["README.md"]).object
        remote.overwrite(victim, with: Data("tampered".utf8))
        let other = try VersionStore(at: temporary.appending("other"), create: true)
        await #expect(throws: VersioningError.self) { try await other.pull("digits", from: remote) }
        #expect(!other.containsObject(victim))
        #expect(other.names().isEmpty, "a failed pull does not publish the name")
    }
}
