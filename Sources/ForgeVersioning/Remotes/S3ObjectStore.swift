import Crypto
public import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// An ``ObjectStore`` in an S3-compatible bucket (AWS S3, MinIO, Ceph RGW), over HTTP with
/// AWS Signature V4 and path-style addressing: objects at `<prefix>/objects/ab/cdef…`, references at
/// `<prefix>/refs/<name>.json`.
///
/// Uploads carry `x-amz-content-sha256` (the object id itself), so the server rejects a body damaged in
/// transit; S3 PUTs are atomic, so a reader never sees a partial object.
///
/// ```swift
/// let remote = S3ObjectStore(endpoint: URL(string: "http://127.0.0.1:9000")!, bucket: "models",
///                            prefix: "forge", accessKey: "…", secretKey: "…")
/// try await store.push("digits", to: remote)
/// ```
public struct S3ObjectStore: ObjectStore {
    /// The service endpoint, e.g. `https://s3.eu-west-1.amazonaws.com` or `http://127.0.0.1:9000`.
    public let endpoint: URL
    /// The bucket.
    public let bucket: String
    /// The key prefix under which the store lives (may be empty).
    public let prefix: String
    let signer: SignatureV4
    let session: URLSession

    /// Creates a remote; no request is made until it is used.
    public init(
        endpoint: URL, bucket: String, prefix: String = "", accessKey: String, secretKey: String,
        region: String = "us-east-1"
    ) {
        self.endpoint = endpoint
        self.bucket = bucket
        self.prefix = prefix.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        self.signer = SignatureV4(accessKey: accessKey, secretKey: secretKey, region: region)
        let configuration = URLSessionConfiguration.ephemeral
        configuration.urlCache = nil  // objects are immutable, but listings and references are not
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        self.session = URLSession(configuration: configuration)
    }

    func key(_ relative: String) -> String { prefix.isEmpty ? relative : "\(prefix)/\(relative)" }
    func objectKey(_ id: ObjectID) -> String { key("objects/\(id.fanOutPath)") }

    /// Sends one signed request and returns the status and body.
    func send(_ method: String, key: String?, query: [URLQueryItem] = [], body: Data = Data()) async throws
        -> (status: Int, body: Data)
    {
        var components = URLComponents(url: endpoint, resolvingAgainstBaseURL: false)!
        let path = key.map { "/\(bucket)/\($0)" } ?? "/\(bucket)"
        components.percentEncodedPath = SignatureV4.encode(path, keepSlash: true)
        if !query.isEmpty {
            components.percentEncodedQuery = query.map {
                "\(SignatureV4.encode($0.name, keepSlash: false))=\(SignatureV4.encode($0.value ?? "", keepSlash: false))"
            }.joined(separator: "&")
        }
        guard let url = components.url else {
            throw VersioningError.remoteFailure(operation: method, key: path, status: 0, message: "bad URL")
        }
        var request = URLRequest(url: url, timeoutInterval: 120)
        request.httpMethod = method
        let payloadHash = body.isEmpty ? SignatureV4.emptyPayloadHash : SHA256.hash(data: body).hexString
        for (name, value) in signer.signedHeaders(method: method, url: url, headers: [:], payloadHash: payloadHash, date: Date()) {
            request.setValue(value, forHTTPHeaderField: name)
        }
        if method == "PUT" { request.httpBody = body }
        let (data, response) = try await session.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
    }

    func failure(_ operation: String, _ key: String, _ answer: (status: Int, body: Data)) -> VersioningError {
        .remoteFailure(operation: operation, key: key, status: answer.status,
                       message: String(decoding: answer.body.prefix(300), as: UTF8.self))
    }

    /// Creates the bucket (succeeds when it already exists and is yours).
    public func createBucket() async throws {
        let answer = try await send("PUT", key: nil)
        guard answer.status == 200 || answer.status == 409 else { throw failure("create bucket", bucket, answer) }
    }

    /// Whether object `id` is present (a HEAD request).
    public func contains(_ id: ObjectID) async throws -> Bool {
        let answer = try await send("HEAD", key: objectKey(id))
        if answer.status == 404 { return false }
        guard answer.status == 200 else { throw failure("HEAD", objectKey(id), answer) }
        return true
    }

    /// The bytes of object `id`.
    public func read(_ id: ObjectID) async throws -> Data {
        let answer = try await send("GET", key: objectKey(id))
        if answer.status == 404 { throw VersioningError.missingObject(id: id.hex, path: "s3://\(bucket)/\(objectKey(id))") }
        guard answer.status == 200 else { throw failure("GET", objectKey(id), answer) }
        return answer.body
    }

    /// Stores `data` as object `id` (one PUT, which S3 applies atomically).
    public func write(_ data: Data, as id: ObjectID) async throws {
        let answer = try await send("PUT", key: objectKey(id), body: data)
        guard answer.status == 200 else { throw failure("PUT", objectKey(id), answer) }
    }

    /// Every object id present (ListObjectsV2, following continuation tokens).
    public func allObjects() async throws -> Set<ObjectID> {
        var ids = Set<ObjectID>()
        var token: String?
        let listPrefix = key("objects/")
        repeat {
            var query = [URLQueryItem(name: "list-type", value: "2"), URLQueryItem(name: "prefix", value: listPrefix)]
            if let token { query.append(URLQueryItem(name: "continuation-token", value: token)) }
            let answer = try await send("GET", key: nil, query: query)
            guard answer.status == 200 else { throw failure("LIST", listPrefix, answer) }
            let text = String(decoding: answer.body, as: UTF8.self)
            for key in Self.elements("Key", in: text) {
                let hex = key.dropFirst(listPrefix.count).replacingOccurrences(of: "/", with: "")
                if let id = ObjectID(hex: hex) { ids.insert(id) }
            }
            token = Self.elements("IsTruncated", in: text).first == "true"
                ? Self.elements("NextContinuationToken", in: text).first : nil
        } while token != nil
        return ids
    }

    /// The reference document `name`, or nil.
    public func reference(named name: String) async throws -> Data? {
        try TreePath.validateName(name)
        let answer = try await send("GET", key: key("refs/\(name).json"))
        if answer.status == 404 { return nil }
        guard answer.status == 200 else { throw failure("GET", key("refs/\(name).json"), answer) }
        return answer.body
    }

    /// Replaces the reference document `name`.
    public func setReference(_ data: Data, named name: String) async throws {
        try TreePath.validateName(name)
        let answer = try await send("PUT", key: key("refs/\(name).json"), body: data)
        guard answer.status == 200 else { throw failure("PUT", key("refs/\(name).json"), answer) }
    }

    /// The texts of every `<name>…</name>` element (XML entities decoded), in order.
    static func elements(_ name: String, in xml: String) -> [String] {
        var values: [String] = []
        var rest = xml[...]
        while let open = rest.range(of: "<\(name)>"), let close = rest.range(of: "</\(name)>", range: open.upperBound..<rest.endIndex) {
            values.append(String(rest[open.upperBound..<close.lowerBound]).replacingOccurrences(of: "&amp;", with: "&")
                .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
                .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'"))
            rest = rest[close.upperBound...]
        }
        return values
    }
}
