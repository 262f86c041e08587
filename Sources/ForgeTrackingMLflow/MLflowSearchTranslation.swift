import ForgeTracking

/// Translates Forge's ``RunFilter`` and ``RunOrdering`` into MLflow's search syntax, where MLflow can say
/// the same thing.
///
/// MLflow's filter is a conjunction (`and` only) of comparisons. A Forge filter is split at its top-level
/// `and`s; each part MLflow expresses with Forge's meaning goes to the server, the rest (`or`, `IN` on
/// params/tags, numeric comparisons of params and tags, quotes MLflow cannot escape) is left for the client.
/// The server filter is then a superset of the answer, and the client evaluates the whole filter on it.
enum MLflowSearchTranslation {
    /// The plan of a search: the MLflow filter and whether the client must finish the job.
    struct Plan: Equatable {
        /// The AND-able part in MLflow's syntax (empty: no server filter).
        var serverFilter: String
        /// Whether every part of the filter went to the server.
        var filterIsExact: Bool
        /// MLflow `order_by` clauses, or nil when some key must be sorted on the client.
        var serverOrder: [String]?

        /// Whether MLflow's own pages are the answer's pages.
        var passesThrough: Bool { filterIsExact && serverOrder != nil }
    }

    static func plan(filter: RunFilter?, orderBy: [RunOrdering]) -> Plan {
        var clauses: [String] = []
        var exact = true
        for part in filter.map(conjuncts) ?? [] {
            if case .comparison(let field, let operation, let value) = part,
                let clause = translate(field, operation, value)
            {
                clauses.append(clause)
            } else {
                exact = false
            }
        }
        var order: [String]? = []
        for ordering in orderBy {
            guard let clause = translate(ordering) else {
                order = nil
                break
            }
            order?.append(clause)
        }
        return Plan(serverFilter: clauses.joined(separator: " and "), filterIsExact: exact, serverOrder: order)
    }

    /// The top-level `and` operands of a filter.
    static func conjuncts(_ filter: RunFilter) -> [RunFilter] {
        if case .and(let left, let right) = filter { return conjuncts(left) + conjuncts(right) }
        return [filter]
    }

    /// One comparison in MLflow's syntax, or nil when MLflow cannot express it with Forge's meaning.
    static func translate(_ field: RunField, _ operation: ComparisonOperator, _ value: FilterValue) -> String? {
        let numericOperators: Set<ComparisonOperator> = [
            .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual,
        ]
        let stringOperators: Set<ComparisonOperator> = [.equal, .notEqual, .like, .caseInsensitiveLike]
        switch field {
        case .metric(let key):
            guard numericOperators.contains(operation), let number = value.numericValue, number.isFinite else {
                return nil
            }
            return "metrics.`\(key)` \(operation.rawValue) \(literal(number))"
        case .param(let key):
            guard stringOperators.contains(operation), let text = quoted(value) else { return nil }
            return "params.`\(key)` \(operation.rawValue) \(text)"
        case .tag(let key):
            guard stringOperators.contains(operation), let text = quoted(value) else { return nil }
            return "tags.`\(key)` \(operation.rawValue) \(text)"
        case .attribute(let attribute):
            switch attribute {
            case .startTime, .endTime:
                guard numericOperators.contains(operation), let number = value.numericValue, number.isFinite else {
                    return nil
                }
                return "attributes.\(attribute.rawValue) \(operation.rawValue) \(literal(number.rounded()))"
            case .runID where operation == .in || operation == .notIn:
                guard case .list(let options) = value else { return nil }
                let texts = options.map(quoted)
                guard !texts.isEmpty, texts.allSatisfy({ $0 != nil }) else { return nil }
                return "attributes.run_id \(operation.rawValue) (\(texts.compactMap { $0 }.joined(separator: ", ")))"
            case .runID, .runName, .status, .user:
                guard stringOperators.contains(operation), let text = quoted(value) else { return nil }
                let name = attribute == .user ? "user_id" : attribute.rawValue
                return "attributes.\(name) \(operation.rawValue) \(text)"
            case .parentRunID:
                guard stringOperators.contains(operation), let text = quoted(value) else { return nil }
                return "tags.`\(MLflowMapping.parentRunTag)` \(operation.rawValue) \(text)"
            }
        }
    }

    /// One sort key in MLflow's syntax, or nil when MLflow would order differently from Forge (params and tags
    /// compare numerically in Forge when both sides are numbers, always as text in MLflow).
    static func translate(_ ordering: RunOrdering) -> String? {
        let direction = ordering.ascending ? "ASC" : "DESC"
        switch ordering.field {
        case .metric(let key): return "metrics.`\(key)` \(direction)"
        case .param, .tag: return nil
        case .attribute(let attribute):
            switch attribute {
            case .startTime, .endTime, .runName, .status, .runID: return "attributes.\(attribute.rawValue) \(direction)"
            case .user: return "attributes.user_id \(direction)"
            case .parentRunID: return nil
            }
        }
    }

    /// A single-quoted string literal; nil for numbers (Forge compares those numerically) and for text
    /// containing a single quote (MLflow's filter syntax has no escape for it).
    private static func quoted(_ value: FilterValue) -> String? {
        guard case .string(let text) = value, !text.contains("'") else { return nil }
        return "'\(text)'"
    }

    private static func literal(_ number: Double) -> String {
        if number == number.rounded(), abs(number) < 1e15 { return String(Int64(number)) }
        return "\(number)"
    }
}
