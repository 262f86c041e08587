package import PostgresNIO

/// A query under construction: SQL text with `$n` placeholders and the values bound to them.
///
/// Every value from outside (keys, filter literals, ids) goes through ``bind(_:)``; only identifiers and
/// keywords that Forge itself chooses are appended as text.
package struct SQLBuilder {
    package private(set) var text = ""
    package private(set) var bindings = PostgresBindings()

    package init(_ text: String = "") { self.text = text }

    /// Appends SQL text chosen by Forge (never outside input).
    package mutating func append(_ sql: String) { text += sql }

    /// Binds `value` and returns its placeholder (`$3`).
    package mutating func bind<Value: PostgresDynamicTypeEncodable>(_ value: Value) -> String {
        bindings.append(value)
        return "$\(bindings.count)"
    }

    /// The finished query.
    package var query: PostgresQuery { PostgresQuery(unsafeSQL: text, binds: bindings) }
}

extension PostgresConnection {
    /// Runs `query` and collects its rows (a result must be read before the connection's next query).
    @discardableResult
    package func rows(_ query: PostgresQuery, logger: Logger) async throws -> [PostgresRow] {
        try await self.query(query, logger: logger).collect()
    }

    /// Runs `body` inside `BEGIN` … `COMMIT`, rolling back and rethrowing `body`'s own error when it throws.
    ///
    /// Unlike `PostgresClient.withTransaction`, the error that reaches the caller is the original one (a
    /// typed store error), not a wrapper.
    package func transaction<Result: Sendable>(
        logger: Logger, _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await rows("BEGIN", logger: logger)
        do {
            let result = try await body(self)
            try await rows("COMMIT", logger: logger)
            return result
        } catch {
            _ = try? await rows("ROLLBACK", logger: logger)
            throw error
        }
    }
}

extension PSQLError {
    /// The server's SQLSTATE code (`23505` for a unique violation), when the server sent one.
    package var sqlState: String? { serverInfo?[.sqlState] }

    /// The server's message and detail, or the client-side error code.
    package var readableMessage: String {
        if let message = serverInfo?[.message] {
            return [message, serverInfo?[.detail]].compactMap { $0 }.joined(separator: ": ")
        }
        return "\(code)"
    }
}
