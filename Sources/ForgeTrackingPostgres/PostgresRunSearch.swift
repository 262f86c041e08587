import ForgePostgresSupport
import ForgeTracking
import PostgresNIO

/// Translates a ``RunQuery`` into one SQL statement that selects the ids of a page of runs.
///
/// The SQL reproduces ``RunFilter/matches(_:)`` and ``RunOrdering/sort(_:by:)``: metrics compare their
/// latest value numerically and NaN matches no comparison but `!=`; params, tags and text attributes
/// compare as text, or numerically when both sides are numbers (text is read as a number by
/// `forge_tracking_number`, which accepts what Swift's `Double(_:)` accepts for decimal text); a run
/// without the field matches no comparison on it; `LIKE` has no escape character; text orders by code
/// point (`COLLATE "C"`). Every literal from the filter is a bound parameter.
///
/// NOTE: ordering by a param whose values mix numbers and text puts the numbers first (then the text),
/// where the in-memory sort compares such a pair as text.
struct PostgresRunSearch {
    private var sql = SQLBuilder()

    /// The statement selecting run ids for `query`, with `limit` rows from `offset`.
    static func statement(for query: RunQuery, experiments: [Int64], offset: Int, limit: Int) -> PostgresQuery {
        var search = PostgresRunSearch()
        let experimentsPlaceholder = search.sql.bind(experiments)
        search.sql.append(
            "SELECT r.id FROM forge_tracking_runs r WHERE r.experiment_id = ANY(\(experimentsPlaceholder)::int8[])")
        if let filter = query.filter {
            search.sql.append(" AND ")
            let condition = search.condition(filter)
            search.sql.append(condition)
        }
        search.sql.append(" ORDER BY ")
        var keys: [String] = []
        for ordering in query.orderBy { keys += search.orderKeys(ordering) }
        keys += ["r.start_time DESC", "r.id COLLATE \"C\" ASC"]
        search.sql.append(keys.joined(separator: ", "))
        let limitPlaceholder = search.sql.bind(Int64(limit))
        let offsetPlaceholder = search.sql.bind(Int64(offset))
        search.sql.append(" LIMIT \(limitPlaceholder) OFFSET \(offsetPlaceholder)")
        return search.sql.query
    }

    // MARK: Filters

    private mutating func condition(_ filter: RunFilter) -> String {
        switch filter {
        case .and(let left, let right): return "(\(condition(left)) AND \(condition(right)))"
        case .or(let left, let right): return "(\(condition(left)) OR \(condition(right)))"
        case .comparison(let field, let operation, let value):
            switch field {
            case .metric(let key):
                let keyPlaceholder = sql.bind(key)
                let test = numericCondition("m.value", operation, value)
                return "EXISTS (SELECT 1 FROM forge_tracking_latest_metrics m WHERE m.run_id = r.id AND m.key = "
                    + "\(keyPlaceholder) AND \(test))"
            case .param(let key): return keyedTextCondition(table: "forge_tracking_params", key, operation, value)
            case .tag(let key): return keyedTextCondition(table: "forge_tracking_tags", key, operation, value)
            case .attribute(let attribute):
                let (expression, numeric) = Self.attributeExpression(attribute)
                let test =
                    numeric
                    ? numericCondition(expression, operation, value) : textCondition(expression, operation, value)
                return "(\(expression) IS NOT NULL AND \(test))"
            }
        }
    }

    private mutating func keyedTextCondition(
        table: String, _ key: String, _ operation: ComparisonOperator, _ value: FilterValue
    ) -> String {
        let keyPlaceholder = sql.bind(key)
        let test = textCondition("k.value", operation, value)
        return "EXISTS (SELECT 1 FROM \(table) k WHERE k.run_id = r.id AND k.key = \(keyPlaceholder) AND \(test))"
    }

    /// A comparison whose left side is a number (a metric, a time attribute), NaN included.
    private mutating func numericCondition(
        _ actual: String, _ operation: ComparisonOperator, _ expected: FilterValue
    ) -> String {
        switch operation {
        case .like, .caseInsensitiveLike: return "FALSE"  // LIKE needs text on both sides
        case .in, .notIn:
            guard case .list(let options) = expected else { return "FALSE" }
            let numbers = options.compactMap(Self.comparableNumber)
            let found = numbers.isEmpty ? "FALSE" : "(\(actual) = ANY(\(sql.bind(numbers))::float8[]))"
            return operation == .in ? found : "(NOT \(found))"
        case .equal, .notEqual:
            guard let number = Self.comparableNumber(expected) else { return operation == .equal ? "FALSE" : "TRUE" }
            // PostgreSQL's NaN equals only NaN, and `number` is never NaN here: = and <> match Swift's.
            return "(\(actual) \(operation == .equal ? "=" : "<>") \(sql.bind(number)))"
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            guard let number = Self.comparableNumber(expected) else { return "FALSE" }
            return "(\(actual) <> 'NaN'::float8 AND \(actual) \(operation.rawValue) \(sql.bind(number)))"
        }
    }

    /// A comparison whose left side is text (a param, a tag, a text attribute).
    private mutating func textCondition(
        _ actual: String, _ operation: ComparisonOperator, _ expected: FilterValue
    ) -> String {
        let number = "forge_tracking_number(\(actual))"
        switch operation {
        case .like, .caseInsensitiveLike:
            guard case .string(let pattern) = expected else { return "FALSE" }
            let keyword = operation == .like ? "LIKE" : "ILIKE"
            return "(\(actual) \(keyword) \(sql.bind(pattern)) ESCAPE '')"
        case .in, .notIn:
            guard case .list(let options) = expected else { return "FALSE" }
            var parts: [String] = []
            let texts = options.compactMap { option -> String? in
                if case .string(let text) = option { return text }
                return nil
            }
            let numbers = options.compactMap { option -> Double? in
                if case .number(let value) = option, !value.isNaN { return value }
                return nil
            }
            if !texts.isEmpty { parts.append("\(actual) = ANY(\(sql.bind(texts))::text[])") }
            if !numbers.isEmpty { parts.append("\(number) = ANY(\(sql.bind(numbers))::float8[])") }
            let found = parts.isEmpty ? "FALSE" : "COALESCE(\(parts.joined(separator: " OR ")), FALSE)"
            return operation == .in ? found : "(NOT \(found))"
        case .equal, .notEqual:
            let equal: String
            switch expected {
            case .string(let text): equal = "(\(actual) = \(sql.bind(text)))"
            case .number(let value) where !value.isNaN: equal = "COALESCE(\(number) = \(sql.bind(value)), FALSE)"
            default: equal = "FALSE"
            }
            return operation == .equal ? equal : "(NOT \(equal))"
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            let symbol = operation.rawValue
            switch expected {
            case .number(let value):
                guard !value.isNaN else { return "FALSE" }
                return "COALESCE(\(number) <> 'NaN'::float8 AND \(number) \(symbol) \(sql.bind(value)), FALSE)"
            case .string(let text):
                let textTest = "(\(actual) COLLATE \"C\" \(symbol) \(sql.bind(text)) COLLATE \"C\")"
                guard let value = Double(text) else { return textTest }
                let numericTest =
                    value.isNaN
                    ? "FALSE" : "COALESCE(\(number) <> 'NaN'::float8 AND \(number) \(symbol) \(sql.bind(value)), FALSE)"
                return "(CASE WHEN \(number) IS NOT NULL THEN \(numericTest) ELSE \(textTest) END)"
            case .list:
                return "FALSE"
            }
        }
    }

    /// The filter value as a number a numeric left side can equal: numbers and numeric text, never NaN.
    private static func comparableNumber(_ value: FilterValue) -> Double? {
        if case .list = value { return nil }
        guard let number = value.numericValue, !number.isNaN else { return nil }
        return number
    }

    // MARK: Ordering

    private mutating func orderKeys(_ ordering: RunOrdering) -> [String] {
        let direction = ordering.ascending ? "ASC" : "DESC"
        switch ordering.field {
        case .metric(let key):
            let value =
                "(SELECT NULLIF(m.value, 'NaN'::float8) FROM forge_tracking_latest_metrics m WHERE m.run_id = r.id "
                + "AND m.key = \(sql.bind(key)))"
            return ["\(value) \(direction) NULLS LAST"]
        case .param(let key):
            return textOrderKeys(
                "(SELECT k.value FROM forge_tracking_params k WHERE k.run_id = r.id AND k.key = \(sql.bind(key)))",
                direction)
        case .tag(let key):
            return textOrderKeys(
                "(SELECT k.value FROM forge_tracking_tags k WHERE k.run_id = r.id AND k.key = \(sql.bind(key)))",
                direction)
        case .attribute(let attribute):
            let (expression, numeric) = Self.attributeExpression(attribute)
            return numeric ? ["\(expression) \(direction) NULLS LAST"] : textOrderKeys(expression, direction)
        }
    }

    private func textOrderKeys(_ value: String, _ direction: String) -> [String] {
        [
            "(\(value) IS NULL) ASC",
            "NULLIF(forge_tracking_number(\(value)), 'NaN'::float8) \(direction) NULLS LAST",
            "\(value) COLLATE \"C\" \(direction)",
        ]
    }

    /// The SQL for an attribute and whether it is a number (times, in milliseconds since 1970 rounded
    /// half away from zero, as ``RunFilter/value(of:in:)`` computes them).
    private static func attributeExpression(_ attribute: RunAttribute) -> (String, Bool) {
        func milliseconds(_ column: String) -> String {
            let value = "((\(column) + 978307200.0) * 1000.0)"
            return "(sign(\(value)) * floor(abs(\(value)) + 0.5))"
        }
        switch attribute {
        case .runID: return ("r.id", false)
        case .runName: return ("r.name", false)
        case .status: return ("r.status", false)
        case .user: return ("r.user_name", false)
        case .parentRunID: return ("r.parent_run_id", false)
        case .startTime: return (milliseconds("r.start_time"), true)
        case .endTime: return (milliseconds("r.end_time"), true)
        }
    }
}
