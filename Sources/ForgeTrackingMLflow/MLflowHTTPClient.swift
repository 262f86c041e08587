import ForgeTracking
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// An error answer of the MLflow REST API: `{"error_code": "RESOURCE_DOES_NOT_EXIST", "message": "…"}`.
struct MLflowAPIError: Error, Sendable {
    /// The HTTP status.
    var status: Int
    /// MLflow's error code (`RESOURCE_ALREADY_EXISTS`, `INVALID_PARAMETER_VALUE`…), or `HTTP_<status>`.
    var code: String
    /// MLflow's message.
    var message: String
    /// The endpoint that answered.
    var endpoint: String

    var isNotFound: Bool { code == "RESOURCE_DOES_NOT_EXIST" || status == 404 }
    var isAlreadyExists: Bool { code == "RESOURCE_ALREADY_EXISTS" }
    var isInvalidParameter: Bool { code == "INVALID_PARAMETER_VALUE" }
    /// MLflow refuses to touch a deleted run with "The run … must be in the 'active' state".
    var isInactiveRun: Bool { isInvalidParameter && message.contains("must be in the 'active' state") }
}

/// Sends requests to an MLflow server with retries; decodes JSON answers and MLflow error bodies.
struct MLflowHTTPClient: Sendable {
    let baseURL: URL
    let session: URLSession
    let retry: MLflowRetryPolicy
    let headers: [String: String]
    let timeout: TimeInterval

    /// The name errors use for this server.
    var storeName: String { "MLflow server \(baseURL.absoluteString)" }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        // MLflow (protobuf JSON) reads and writes non-finite doubles as these strings.
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return decoder
    }()

    /// POSTs `body` as JSON to `/api/2.0/mlflow/<endpoint>` and decodes the answer.
    func post<Response: Decodable>(_ endpoint: String, _ body: some Encodable, as type: Response.Type) async throws
        -> Response
    {
        let data: Data
        do {
            data = try Self.encoder.encode(body)
        } catch {
            throw TrackingError.storeFailure(
                store: storeName, reason: "cannot encode the \(endpoint) request: \(error)")
        }
        return try decode(type, endpoint, try await send("POST", path: "api/2.0/mlflow/\(endpoint)", body: data))
    }

    /// GETs `/api/2.0/mlflow/<endpoint>?query` and decodes the answer.
    func get<Response: Decodable>(_ endpoint: String, query: [String: String], as type: Response.Type) async throws
        -> Response
    {
        let items = query.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
        return try decode(type, endpoint, try await send("GET", path: "api/2.0/mlflow/\(endpoint)", query: items))
    }

    /// Sends one request, retrying per ``MLflowRetryPolicy``; returns the final status and body.
    /// - Throws: ``TrackingError/storeFailure(store:reason:)`` when every attempt failed to connect.
    func send(
        _ method: String, path: String, query: [URLQueryItem] = [], body: Data? = nil,
        contentType: String = "application/json"
    ) async throws -> (status: Int, body: Data) {
        var components = URLComponents(url: baseURL.appendingPathComponent(path), resolvingAgainstBaseURL: false)
        if !query.isEmpty { components?.queryItems = query }
        guard let url = components?.url else {
            throw TrackingError.storeFailure(store: storeName, reason: "cannot build a URL for \(path)")
        }
        var request = URLRequest(url: url, timeoutInterval: timeout)
        request.httpMethod = method
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        if let body {
            request.setValue(contentType, forHTTPHeaderField: "Content-Type")
            request.httpBody = body
        }
        var attempt = 1
        while true {
            do {
                let (data, response) = try await session.data(for: request)
                let http = response as? HTTPURLResponse
                let status = http?.statusCode ?? 0
                if attempt < retry.maximumAttempts, MLflowRetryPolicy.isRetryable(status: status) {
                    try await Task.sleep(
                        for: delay(attempt, retryAfter: http?.value(forHTTPHeaderField: "Retry-After")))
                    attempt += 1
                    continue
                }
                return (status, data)
            } catch let error as URLError where Self.isRetryable(error) {
                guard attempt < retry.maximumAttempts else {
                    throw TrackingError.storeFailure(
                        store: storeName,
                        reason: "\(method) \(path) failed after \(attempt) attempt(s): \(error.localizedDescription)")
                }
                try await Task.sleep(for: delay(attempt, retryAfter: nil))
                attempt += 1
            } catch let error as CancellationError {
                throw error
            } catch let error as TrackingError {
                throw error
            } catch {
                throw TrackingError.storeFailure(
                    store: storeName, reason: "\(method) \(path): \(error.localizedDescription)")
            }
        }
    }

    /// Decodes a 200 answer, or throws the MLflow error the body describes.
    func decode<Response: Decodable>(_ type: Response.Type, _ endpoint: String, _ answer: (status: Int, body: Data))
        throws -> Response
    {
        guard answer.status == 200 else { throw apiError(endpoint, answer) }
        do {
            return try Self.decoder.decode(type, from: answer.body.isEmpty ? Data("{}".utf8) : answer.body)
        } catch {
            throw TrackingError.storeFailure(
                store: storeName,
                reason:
                    "\(endpoint) answered with unreadable JSON (\(error)): \(String(decoding: answer.body.prefix(200), as: UTF8.self))"
            )
        }
    }

    /// The MLflow error in a non-200 answer (`HTTP_<status>` when the body is not MLflow's error JSON).
    func apiError(_ endpoint: String, _ answer: (status: Int, body: Data)) -> MLflowAPIError {
        struct Body: Decodable {
            var errorCode: String?
            var message: String?
        }
        let body = try? Self.decoder.decode(Body.self, from: answer.body)
        return MLflowAPIError(
            status: answer.status, code: body?.errorCode ?? "HTTP_\(answer.status)",
            message: body?.message ?? String(decoding: answer.body.prefix(300), as: UTF8.self), endpoint: endpoint)
    }

    /// A failure that no mapping turned into a more specific ``TrackingError``.
    func failure(_ error: MLflowAPIError) -> TrackingError {
        .storeFailure(
            store: storeName, reason: "\(error.endpoint): HTTP \(error.status) \(error.code): \(error.message)")
    }

    private func delay(_ attempt: Int, retryAfter: String?) -> Duration {
        let jittered = retry.delay(beforeRetry: attempt, unit: Double.random(in: 0...1))
        if let retryAfter, let seconds = Double(retryAfter), seconds >= 0 {
            return Swift.min(retry.maximumDelay, Swift.max(jittered, .seconds(seconds)))
        }
        return jittered
    }

    private static func isRetryable(_ error: URLError) -> Bool {
        switch error.code {
        case .cannotConnectToHost, .networkConnectionLost, .timedOut, .cannotFindHost, .dnsLookupFailed,
            .notConnectedToInternet, .badServerResponse:
            return true
        default:
            return false
        }
    }
}
