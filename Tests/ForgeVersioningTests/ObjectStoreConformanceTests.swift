import Foundation
import Testing

@testable import ForgeVersioning

/// What every ``ObjectStore`` must do; any implementation can be run through it.
func checkObjectStoreConformance(_ store: any ObjectStore) async throws {
    let payloads = [Data("alpha".utf8), Data(), pseudoRandomBytes(count: 300_000, seed: 4)]
    let ids = payloads.map { ObjectID.hashing($0) }
    let absent = ObjectID.hashing(Data("never written".utf8))
    #expect(try await store.contains(absent) == false)
    await #expect(throws: VersioningError.self) { try await store.read(absent) }
    for (data, id) in zip(payloads, ids) { try await store.write(data, as: id) }
    for (data, id) in zip(payloads, ids) {
        #expect(try await store.contains(id))
        #expect(try await store.read(id) == data)
    }
    try await store.write(payloads[0], as: ids[0])  // writing again is harmless
    #expect(try await store.read(ids[0]) == payloads[0])
    #expect(try await store.allObjects().isSuperset(of: ids))
    #expect(try await store.missing(from: ids + [absent]) == [absent])
    #expect(try await store.reference(named: "digits") == nil)
    try await store.setReference(Data("one".utf8), named: "digits")
    try await store.setReference(Data("two".utf8), named: "digits")
    #expect(try await store.reference(named: "digits") == Data("two".utf8))
}

/// A user-style remote written only against the public protocol: objects in a dictionary behind a lock,
/// counting writes (as an application's own key-value service might).
final class CountingObjectStore: ObjectStore, @unchecked Sendable {
    private let lock = NSLock()
    private var objects: [ObjectID: Data] = [:]
    private var references: [String: Data] = [:]
    private(set) var writes = 0
    /// Fails every write after this many (to simulate an interrupted transfer); nil = never.
    var failAfterWrites: Int?

    struct Interrupted: Error {}

    func contains(_ id: ObjectID) async throws -> Bool { lock.withLock { objects[id] != nil } }

    func read(_ id: ObjectID) async throws -> Data {
        guard let data = lock.withLock({ objects[id] }) else {
            throw VersioningError.missingObject(id: id.hex, path: "counting")
        }
        return data
    }

    func write(_ data: Data, as id: ObjectID) async throws {
        try lock.withLock {
            if let limit = failAfterWrites, writes >= limit { throw Interrupted() }
            writes += 1
            objects[id] = data
        }
    }

    func allObjects() async throws -> Set<ObjectID> { lock.withLock { Set(objects.keys) } }
    func reference(named name: String) async throws -> Data? { lock.withLock { references[name] } }
    func setReference(_ data: Data, named name: String) async throws { lock.withLock { references[name] = data } }
    func overwrite(_ id: ObjectID, with data: Data) { lock.withLock { objects[id] = data } }
}

@Suite("ForgeVersioning ObjectStore conformance")
struct ObjectStoreConformanceTests {
    @Test("in-memory store") func inMemory() async throws {
        try await checkObjectStoreConformance(InMemoryObjectStore())
    }

    @Test("directory store") func directory() async throws {
        let temporary = try TemporaryDirectory()
        let store = try DirectoryObjectStore(at: temporary.appending("remote"))
        try await checkObjectStoreConformance(store)
        #expect(throws: VersioningError.self) { _ = try DirectoryObjectStore(at: URL(fileURLWithPath: "/proc/forge-no")) }
    }

    @Test("user-style custom store") func custom() async throws {
        try await checkObjectStoreConformance(CountingObjectStore())
    }

    @Test("S3 store against a moto server on 127.0.0.1", .enabled(if: PythonTools.hasModule("moto.server")))
    func s3() async throws {
        let server = try MotoServer()
        let store = S3ObjectStore(
            endpoint: server.endpoint, bucket: "forge-conformance", prefix: "team/store", accessKey: "test",
            secretKey: "test")
        try await store.createBucket()
        try await checkObjectStoreConformance(store)
        withExtendedLifetime(server) {}
    }

    @Test("SigV4 signatures match AWS's documented example and botocore")
    func signatures() {
        let signer = SignatureV4(
            accessKey: "AKIAIOSFODNN7EXAMPLE", secretKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", region: "us-east-1")
        let date = Date(timeIntervalSince1970: 1_369_353_600)  // 2013-05-24T00:00:00Z
        func signature(_ method: String, _ url: String, _ headers: [String: String], _ payload: String) -> String? {
            signer.signedHeaders(method: method, url: URL(string: url)!, headers: headers, payloadHash: payload, date: date)[
                "authorization"]?.components(separatedBy: "Signature=").last
        }
        // The GET Object example of the S3 SigV4 documentation.
        #expect(signature("GET", "https://examplebucket.s3.amazonaws.com/test.txt", ["Range": "bytes=0-9"],
                          SignatureV4.emptyPayloadHash)
            == "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
        // Computed with botocore's S3SigV4Auth for the same credentials and time.
        #expect(signature("GET", "http://127.0.0.1:9000/bucket?list-type=2&prefix=store%2Fobjects%2F&continuation-token=a%2Fb%20c",
                          [:], SignatureV4.emptyPayloadHash)
            == "de1856e687bf1c4bba7ba40aa1b303a2d9c5b2195c63af45e5f2eab6b4792ed9")
        #expect(signature("PUT", "http://127.0.0.1:9000/bucket/store/objects/ab/cd", [:], ObjectID.hashing(Data("hello".utf8)).hex)
            == "f4d6bd83a1452ca54a021ef06ecdff2857772fc0959dcb5ea33f25cf66ac37e5")
    }
}
