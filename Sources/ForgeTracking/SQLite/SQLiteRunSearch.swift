import Foundation
import GRDB

extension SQLiteTrackingStore {
    /// Filters, orders and pages in SQL, with every value bound as an argument.
    ///
    /// The filter becomes `EXISTS` lookups on the `(run_key, key)` primary keys of `latest_metrics`,
    /// `params` and `tags`; orderings join the same tables. Results match ``InMemoryTrackingStore``
    /// (the reference semantics of ``RunFilter/matches(_:)`` and ``RunOrdering/sort(_:by:)``).
    public func searchRuns(_ query: RunQuery) async throws -> RunPage {
        let offset = try query.pageOffset()
        let experimentKeys = query.experimentIDs.compactMap { Int64($0) }
        guard !experimentKeys.isEmpty else { return RunPage(runs: [], nextPageToken: nil) }
        let pageSize = Swift.max(1, query.maxResults)
        var builder = SQLiteSearchBuilder()
        let (joins, orderBy) = builder.ordering(query.orderBy)
        let joinArguments = builder.takeArguments()
        var conditions = ["r.experiment_id IN \(SQLiteRunLoader.placeholders(experimentKeys.count))"]
        var whereArguments = StatementArguments(experimentKeys)
        if let filter = query.filter {
            conditions.append(builder.condition(filter))
            whereArguments += builder.takeArguments()
        }
        let sql = """
            SELECT r.run_key FROM runs r \(joins)
            WHERE \(conditions.joined(separator: " AND "))
            ORDER BY \(orderBy)
            LIMIT ? OFFSET ?
            """
        let arguments = joinArguments + whereArguments + [pageSize + 1, offset]
        let (runs, more) = try await read { db -> ([Run], Bool) in
            let keys = try Int64.fetchAll(db, sql: sql, arguments: arguments)
            let more = keys.count > pageSize
            return (try SQLiteRunLoader.runs(db, keys: Array(keys.prefix(pageSize))), more)
        }
        return RunPage(runs: runs, nextPageToken: more ? RunQuery.pageToken(forOffset: offset + pageSize) : nil)
    }
}

/// Translates ``RunFilter`` and ``RunOrdering`` to SQL over `runs r`, collecting bound arguments.
///
/// Text values (params, tags, text attributes) compare as the in-memory store does: as strings, or as
/// numbers when the filter's literal is a number (`forge_number` is Swift's `Double(_:)`); `LIKE`/`ILIKE`
/// call `forge_like`, the in-memory matcher. Metric values are REAL with NULL standing for NaN.
struct SQLiteSearchBuilder {
    private var arguments: [(any DatabaseValueConvertible)?] = []
    private var joinCount = 0

    /// Milliseconds since 1970 of a stored reference-date REAL, rounded as ``RunFilter`` rounds.
    private static func milliseconds(_ column: String) -> String { "ROUND((\(column) + 978307200.0) * 1000.0)" }

    mutating func takeArguments() -> StatementArguments {
        defer { arguments = [] }
        return StatementArguments(arguments)
    }

    // MARK: Ordering

    /// LEFT JOINs for the sort keys and the ORDER BY list (ending in start time descending, run id).
    mutating func ordering(_ orderings: [RunOrdering]) -> (joins: String, orderBy: String) {
        var joins: [String] = []
        var terms: [String] = []
        for ordering in orderings {
            let direction = ordering.ascending ? "ASC" : "DESC"
            switch ordering.field {
            case .metric(let key):
                let alias = nextAlias()
                joins.append("LEFT JOIN latest_metrics \(alias) ON \(alias).run_key = r.run_key AND \(alias).key = ?")
                arguments.append(key)
                terms += ["(\(alias).value IS NULL)", "\(alias).value \(direction)"]
            case .param(let key), .tag(let key):
                let alias = nextAlias()
                let table = if case .param = ordering.field { "params" } else { "tags" }
                joins.append("LEFT JOIN \(table) \(alias) ON \(alias).run_key = r.run_key AND \(alias).key = ?")
                arguments.append(key)
                terms += Self.textOrder("\(alias).value", direction)
            case .attribute(let attribute):
                switch attribute {
                case .runID: terms += Self.textOrder("r.id", direction)
                case .runName: terms += Self.textOrder("r.name", direction)
                case .status: terms += Self.textOrder("r.status", direction)
                case .user: terms += Self.textOrder("r.user", direction)
                case .parentRunID: terms += Self.textOrder("r.parent_run_id", direction)
                case .startTime: terms.append("\(Self.milliseconds("r.start_time")) \(direction)")
                case .endTime: terms += ["(r.end_time IS NULL)", "\(Self.milliseconds("r.end_time")) \(direction)"]
                }
            }
        }
        terms += ["r.start_time DESC", "r.id ASC"]
        return (joins.joined(separator: " "), terms.joined(separator: ", "))
    }

    /// Missing values last; numeric text by number, other text by its bytes.
    private static func textOrder(_ expression: String, _ direction: String) -> [String] {
        [
            "(\(expression) IS NULL)", "forge_number(\(expression)) \(direction)",
            "CASE WHEN forge_number(\(expression)) IS NULL THEN \(expression) END \(direction)",
        ]
    }

    private mutating func nextAlias() -> String {
        joinCount += 1
        return "o\(joinCount)"
    }

    // MARK: Filter

    /// A boolean SQL expression equivalent to `filter.matches(run)`.
    mutating func condition(_ filter: RunFilter) -> String {
        switch filter {
        case .and(let left, let right): return "(\(condition(left)) AND \(condition(right)))"
        case .or(let left, let right): return "(\(condition(left)) OR \(condition(right)))"
        case .comparison(let field, let operation, let value):
            switch field {
            case .metric(let key):
                arguments.append(key)
                let predicate = numberPredicate("m.value", operation, value)
                return
                    "EXISTS (SELECT 1 FROM latest_metrics m WHERE m.run_key = r.run_key AND m.key = ? AND \(predicate))"
            case .param(let key):
                arguments.append(key)
                let predicate = textPredicate("p.value", operation, value)
                return "EXISTS (SELECT 1 FROM params p WHERE p.run_key = r.run_key AND p.key = ? AND \(predicate))"
            case .tag(let key):
                arguments.append(key)
                let predicate = textPredicate("t.value", operation, value)
                return "EXISTS (SELECT 1 FROM tags t WHERE t.run_key = r.run_key AND t.key = ? AND \(predicate))"
            case .attribute(let attribute):
                switch attribute {
                case .runID: return textPredicate("r.id", operation, value)
                case .runName: return textPredicate("r.name", operation, value)
                case .status: return textPredicate("r.status", operation, value)
                case .user: return textPredicate("r.user", operation, value)
                case .parentRunID:
                    return "(r.parent_run_id IS NOT NULL AND \(textPredicate("r.parent_run_id", operation, value)))"
                case .startTime: return numberPredicate(Self.milliseconds("r.start_time"), operation, value)
                case .endTime:
                    return
                        "(r.end_time IS NOT NULL AND \(numberPredicate(Self.milliseconds("r.end_time"), operation, value)))"
                }
            }
        }
    }

    /// A comparison on a number that exists; a NULL `expression` stands for NaN (equal to nothing).
    private mutating func numberPredicate(_ expression: String, _ operation: ComparisonOperator, _ value: FilterValue)
        -> String
    {
        let number = value.numericValue.flatMap { $0.isNaN ? nil : $0 }
        switch operation {
        case .equal:
            guard let number else { return "0" }
            arguments.append(number)
            return "\(expression) = ?"
        case .notEqual:
            guard let number else { return "1" }
            arguments.append(number)
            return "(\(expression) IS NULL OR \(expression) != ?)"
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            guard let number else { return "0" }
            arguments.append(number)
            return "\(expression) \(operation.rawValue) ?"
        case .like, .caseInsensitiveLike:
            return "0"
        case .in, .notIn:
            guard case .list(let options) = value else { return "0" }
            let numbers = options.compactMap { $0.numericValue }.filter { !$0.isNaN }
            guard !numbers.isEmpty else { return operation == .in ? "0" : "1" }
            arguments += numbers.map { $0 as (any DatabaseValueConvertible)? }
            let list = SQLiteRunLoader.placeholders(numbers.count)
            return operation == .in
                ? "\(expression) IN \(list)" : "(\(expression) IS NULL OR \(expression) NOT IN \(list))"
        }
    }

    /// A comparison on text that exists (params, tags, text attributes).
    private mutating func textPredicate(_ expression: String, _ operation: ComparisonOperator, _ value: FilterValue)
        -> String
    {
        switch operation {
        case .equal, .notEqual:
            let negate = operation == .notEqual
            switch value {
            case .string(let text):
                arguments.append(text)
                return negate ? "\(expression) != ?" : "\(expression) = ?"
            case .number(let number):
                arguments.append(number)
                return negate
                    ? "COALESCE(forge_number(\(expression)) != ?, 1)" : "COALESCE(forge_number(\(expression)) = ?, 0)"
            case .list:
                return negate ? "1" : "0"
            }
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            let symbol = operation.rawValue
            switch value {
            case .number(let number):
                arguments.append(number)
                return "COALESCE(forge_number(\(expression)) \(symbol) ?, 0)"
            case .string(let text):
                guard let number = Double(text) else {
                    arguments.append(text)
                    return "\(expression) \(symbol) ?"
                }
                if number.isNaN {
                    arguments.append(text)
                    return "(CASE WHEN forge_is_number(\(expression)) THEN 0 ELSE \(expression) \(symbol) ? END)"
                }
                arguments += [number, text]
                return
                    "(CASE WHEN forge_is_number(\(expression)) THEN COALESCE(forge_number(\(expression)) \(symbol) ?, 0) ELSE \(expression) \(symbol) ? END)"
            case .list:
                return "0"
            }
        case .like, .caseInsensitiveLike:
            guard case .string(let pattern) = value else { return "0" }
            arguments.append(pattern)
            return "forge_like(\(expression), ?, \(operation == .caseInsensitiveLike ? 1 : 0))"
        case .in, .notIn:
            guard case .list(let options) = value else { return "0" }
            var parts: [String] = []
            let texts = options.compactMap { option -> String? in
                if case .string(let text) = option { return text }
                return nil
            }
            let numbers = options.compactMap { option -> Double? in
                if case .number(let number) = option, !number.isNaN { return number }
                return nil
            }
            if !texts.isEmpty {
                arguments += texts.map { $0 as (any DatabaseValueConvertible)? }
                parts.append("\(expression) IN \(SQLiteRunLoader.placeholders(texts.count))")
            }
            if !numbers.isEmpty {
                arguments += numbers.map { $0 as (any DatabaseValueConvertible)? }
                parts.append(
                    "COALESCE(forge_number(\(expression)) IN \(SQLiteRunLoader.placeholders(numbers.count)), 0)")
            }
            guard !parts.isEmpty else { return operation == .in ? "0" : "1" }
            let found = "(" + parts.joined(separator: " OR ") + ")"
            return operation == .in ? found : "NOT \(found)"
        }
    }
}
