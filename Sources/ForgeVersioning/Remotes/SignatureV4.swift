import Crypto
public import Foundation

/// AWS Signature Version 4 request signing for S3-compatible services (AWS S3, MinIO, Ceph RGW).
///
/// ```swift
/// let signer = SignatureV4(accessKey: "AKIA…", secretKey: "…", region: "us-east-1")
/// let headers = signer.signedHeaders(method: "GET", url: url, headers: [:], payloadHash: SignatureV4.emptyPayloadHash,
///                                    date: Date())
/// ```
public struct SignatureV4: Sendable {
    /// The access key id.
    public var accessKey: String
    /// The secret access key.
    public var secretKey: String
    /// The region, e.g. `us-east-1`.
    public var region: String
    /// The service, `s3`.
    public var service: String

    /// The SHA-256 of an empty body, as S3 expects in `x-amz-content-sha256`.
    public static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    /// Creates a signer.
    public init(accessKey: String, secretKey: String, region: String, service: String = "s3") {
        self.accessKey = accessKey
        self.secretKey = secretKey
        self.region = region
        self.service = service
    }

    /// The headers to send: `headers` plus `host`, `x-amz-date`, `x-amz-content-sha256` and `Authorization`.
    ///
    /// - Parameters:
    ///   - method: the HTTP method.
    ///   - url: the full URL (path already percent-encoded as sent).
    ///   - headers: extra headers to sign (names case-insensitive).
    ///   - payloadHash: hex SHA-256 of the body.
    ///   - date: the signing time.
    public func signedHeaders(method: String, url: URL, headers: [String: String], payloadHash: String, date: Date)
        -> [String: String]
    {
        let (amzDate, day) = Self.timestamps(date)
        var all: [String: String] = [:]
        for (name, value) in headers { all[name.lowercased()] = value.trimmingCharacters(in: .whitespaces) }
        var host = url.host ?? ""
        if let port = url.port { host += ":\(port)" }
        all["host"] = host
        all["x-amz-date"] = amzDate
        all["x-amz-content-sha256"] = payloadHash
        let names = all.keys.sorted()
        let canonicalHeaders = names.map { "\($0):\(all[$0]!)\n" }.joined()
        let signedNames = names.joined(separator: ";")
        let path = url.path.isEmpty ? "/" : Self.encode(url.path, keepSlash: true)
        let canonicalRequest = [
            method, path, Self.canonicalQuery(url), canonicalHeaders, signedNames, payloadHash,
        ].joined(separator: "\n")
        let scope = "\(day)/\(region)/\(service)/aws4_request"
        let stringToSign = [
            "AWS4-HMAC-SHA256", amzDate, scope, SHA256.hash(data: Data(canonicalRequest.utf8)).hexString,
        ].joined(separator: "\n")
        var key = SymmetricKey(data: Data("AWS4\(secretKey)".utf8))
        for part in [day, region, service, "aws4_request"] {
            key = SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data(part.utf8), using: key)))
        }
        let signature = Array(HMAC<SHA256>.authenticationCode(for: Data(stringToSign.utf8), using: key)).hexString
        all["authorization"] =
            "AWS4-HMAC-SHA256 Credential=\(accessKey)/\(scope), SignedHeaders=\(signedNames), Signature=\(signature)"
        all.removeValue(forKey: "host")  // the HTTP client sets Host itself
        return all
    }

    static func timestamps(_ date: Date) -> (amzDate: String, day: String) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ value: Int?) -> String { String(format: "%02d", value ?? 0) }
        let day = String(format: "%04d", c.year ?? 1970) + two(c.month) + two(c.day)
        return ("\(day)T\(two(c.hour))\(two(c.minute))\(two(c.second))Z", day)
    }

    /// RFC 3986 percent-encoding as SigV4 wants it (unreserved characters kept; `/` kept in paths).
    static func encode(_ text: String, keepSlash: Bool) -> String {
        var out = ""
        for byte in text.utf8 {
            if isUnreserved(byte) || (keepSlash && byte == UInt8(ascii: "/")) {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                out += String(format: "%%%02X", byte)
            }
        }
        return out
    }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    static func canonicalQuery(_ url: URL) -> String {
        guard let items = URLComponents(url: url, resolvingAgainstBaseURL: false)?.queryItems else { return "" }
        var pairs: [(name: String, value: String)] = []
        for item in items {
            pairs.append((encode(item.name, keepSlash: false), encode(item.value ?? "", keepSlash: false)))
        }
        pairs.sort { left, right in left.name == right.name ? left.value < right.value : left.name < right.name }
        let parts: [String] = pairs.map { pair in pair.name + "=" + pair.value }
        return parts.joined(separator: "&")
    }
}
