/// A parsed run filter: comparisons on metrics, params, tags and attributes joined with `and`/`or`.
///
/// The syntax is MLflow's search syntax extended with `or` and parentheses:
/// ```swift
/// let filter = try RunFilter(parsing: "metrics.accuracy > 0.9 and params.optimizer = 'adam'")
/// let filter2 = try RunFilter(parsing: "(tags.team = 'vision' or tags.team = 'nlp') and attributes.status = 'FINISHED'")
/// ```
/// Metrics compare numerically against their latest value; params and tags compare as strings (`=`, `!=`,
/// `LIKE`, `ILIKE`, `IN`, `NOT IN`), or numerically with `<`, `<=`, `>`, `>=` when both sides are numbers.
/// A run without the metric, param or tag does not match a comparison on it (`!=` included), as in MLflow.
public indirect enum RunFilter: Sendable, Hashable {
    /// Both must match.
    case and(RunFilter, RunFilter)
    /// Either must match.
    case or(RunFilter, RunFilter)
    /// A single comparison.
    case comparison(RunField, ComparisonOperator, FilterValue)

    /// Parses `text`; throws ``TrackingError/invalidFilter(filter:position:reason:)`` pointing at the problem.
    public init(parsing text: String) throws {
        var parser = try RunFilterParser(text: text)
        self = try parser.parseFilter()
    }

    /// Whether `run` matches.
    public func matches(_ run: Run) -> Bool {
        switch self {
        case .and(let left, let right): return left.matches(run) && right.matches(run)
        case .or(let left, let right): return left.matches(run) || right.matches(run)
        case .comparison(let field, let operation, let value):
            guard let actual = RunFilter.value(of: field, in: run) else { return false }
            return operation.compare(actual, value)
        }
    }

    /// The value of `field` in `run`, or nil when the run lacks it.
    public static func value(of field: RunField, in run: Run) -> FilterValue? {
        switch field {
        case .metric(let key): return run.latestMetrics[key].map { .number($0.value) }
        case .param(let key): return run.params[key].map { .string($0) }
        case .tag(let key): return run.tags[key].map { .string($0) }
        case .attribute(let attribute):
            let info = run.info
            switch attribute {
            case .runID: return .string(info.id)
            case .runName: return .string(info.name)
            case .status: return .string(info.status.rawValue)
            case .user: return .string(info.user)
            case .parentRunID: return info.parentRunID.map { .string($0) }
            case .startTime: return .number((info.startTime.timeIntervalSince1970 * 1000).rounded())
            case .endTime: return info.endTime.map { .number(($0.timeIntervalSince1970 * 1000).rounded()) }
            }
        }
    }
}

/// The comparison operators of a run filter.
public enum ComparisonOperator: String, Sendable, Hashable, CaseIterable {
    /// Equal.
    case equal = "="
    /// Not equal.
    case notEqual = "!="
    /// Less than.
    case less = "<"
    /// Less than or equal.
    case lessOrEqual = "<="
    /// Greater than.
    case greater = ">"
    /// Greater than or equal.
    case greaterOrEqual = ">="
    /// SQL `LIKE` (`%` any run of characters, `_` one character), case-sensitive.
    case like = "LIKE"
    /// `LIKE`, case-insensitive.
    case caseInsensitiveLike = "ILIKE"
    /// Membership in a list.
    case `in` = "IN"
    /// Non-membership in a list.
    case notIn = "NOT IN"

    /// Applies the operator to a run's value and the filter's value.
    public func compare(_ actual: FilterValue, _ expected: FilterValue) -> Bool {
        switch self {
        case .in, .notIn:
            guard case .list(let options) = expected else { return false }
            let found = options.contains { FilterValue.equal(actual, $0) }
            return self == .in ? found : !found
        case .like, .caseInsensitiveLike:
            guard case .string(let text) = actual, case .string(let pattern) = expected else { return false }
            return LikePattern(pattern, caseInsensitive: self == .caseInsensitiveLike).matches(text)
        case .equal: return FilterValue.equal(actual, expected)
        case .notEqual: return !FilterValue.equal(actual, expected)
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            if let left = actual.numericValue, let right = expected.numericValue {
                if left.isNaN || right.isNaN { return false }
                return ordered(left, right)
            }
            guard case .string(let left) = actual, case .string(let right) = expected else { return false }
            return ordered(left, right)
        }
    }

    private func ordered<T: Comparable>(_ left: T, _ right: T) -> Bool {
        switch self {
        case .less: return left < right
        case .lessOrEqual: return left <= right
        case .greater: return left > right
        case .greaterOrEqual: return left >= right
        default: return false
        }
    }
}

/// A literal in a run filter.
public enum FilterValue: Sendable, Hashable {
    /// A number.
    case number(Double)
    /// A quoted string.
    case string(String)
    /// A parenthesized list (for `IN`).
    case list([FilterValue])

    /// The value as a number: numbers, and strings that parse as numbers.
    public var numericValue: Double? {
        switch self {
        case .number(let value): return value
        case .string(let text): return Double(text)
        case .list: return nil
        }
    }

    static func equal(_ left: FilterValue, _ right: FilterValue) -> Bool {
        switch (left, right) {
        case (.string(let a), .string(let b)): return a == b
        case (.number(let a), .number(let b)): return a == b
        case (.string, .number), (.number, .string):
            guard let a = left.numericValue, let b = right.numericValue else { return false }
            return a == b
        default: return false
        }
    }
}

/// SQL `LIKE` matching (`%`, `_`) without regular expressions.
struct LikePattern {
    private let pattern: [Character]
    private let caseInsensitive: Bool

    init(_ pattern: String, caseInsensitive: Bool) {
        self.pattern = Array(caseInsensitive ? pattern.lowercased() : pattern)
        self.caseInsensitive = caseInsensitive
    }

    func matches(_ text: String) -> Bool {
        let characters = Array(caseInsensitive ? text.lowercased() : text)
        // Greedy two-pointer match with backtracking to the last `%`.
        var textIndex = 0
        var patternIndex = 0
        var starPattern = -1
        var starText = 0
        while textIndex < characters.count {
            if patternIndex < pattern.count, pattern[patternIndex] == "_" || pattern[patternIndex] == characters[textIndex] {
                textIndex += 1
                patternIndex += 1
            } else if patternIndex < pattern.count, pattern[patternIndex] == "%" {
                starPattern = patternIndex
                starText = textIndex
                patternIndex += 1
            } else if starPattern >= 0 {
                patternIndex = starPattern + 1
                starText += 1
                textIndex = starText
            } else {
                return false
            }
        }
        while patternIndex < pattern.count, pattern[patternIndex] == "%" { patternIndex += 1 }
        return patternIndex == pattern.count
    }
}
