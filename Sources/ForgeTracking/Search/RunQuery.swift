/// A run search: experiments, an optional filter, an ordering and a page.
public struct RunQuery: Sendable, Hashable {
    /// The experiments to search (empty: none).
    public var experimentIDs: [String]
    /// Runs must match this filter; nil matches all.
    public var filter: RunFilter?
    /// Sort keys, most significant first; ties end in start time descending, then run id.
    public var orderBy: [RunOrdering]
    /// Page size (1…50 000).
    public var maxResults: Int
    /// The token from the previous page, or nil for the first page.
    public var pageToken: String?

    /// Creates a query.
    public init(
        experimentIDs: [String], filter: RunFilter? = nil, orderBy: [RunOrdering] = [], maxResults: Int = 1000,
        pageToken: String? = nil
    ) {
        self.experimentIDs = experimentIDs
        self.filter = filter
        self.orderBy = orderBy
        self.maxResults = maxResults
        self.pageToken = pageToken
    }

    /// The offset a page token encodes (tokens are opaque to callers; stores here use offsets).
    public func pageOffset() throws -> Int {
        guard let token = pageToken else { return 0 }
        guard token.hasPrefix("o:"), let offset = Int(token.dropFirst(2)), offset >= 0 else {
            throw TrackingError.invalidPageToken(token)
        }
        return offset
    }

    /// The token for the page after one that ended at `offset` when more runs remain.
    public static func pageToken(forOffset offset: Int) -> String { "o:\(offset)" }
}

/// One page of search results.
public struct RunPage: Sendable, Hashable {
    /// The runs on this page, in order.
    public var runs: [Run]
    /// Pass to the next query to continue; nil on the last page.
    public var nextPageToken: String?

    /// Creates a page.
    public init(runs: [Run], nextPageToken: String?) {
        self.runs = runs
        self.nextPageToken = nextPageToken
    }
}

/// One sort key of a run search.
public struct RunOrdering: Sendable, Hashable {
    /// What to sort by.
    public var field: RunField
    /// Ascending (true) or descending.
    public var ascending: Bool

    /// Creates a sort key.
    public init(_ field: RunField, ascending: Bool = true) {
        self.field = field
        self.ascending = ascending
    }

    /// Parses MLflow's order-by syntax: `metrics.accuracy DESC`, `params.lr`, `attributes.start_time ASC`.
    public init(parsing text: String) throws {
        let parts = text.split(separator: " ", omittingEmptySubsequences: true)
        guard (1...2).contains(parts.count) else {
            throw TrackingError.invalidFilter(filter: text, position: 0, reason: "expected FIELD [ASC|DESC]")
        }
        var parser = try RunFilterParser(text: String(parts[0]))
        self.field = try parser.parseField()
        if parts.count == 2 {
            switch parts[1].uppercased() {
            case "ASC": ascending = true
            case "DESC": ascending = false
            default:
                throw TrackingError.invalidFilter(filter: text, position: parts[0].count + 1, reason: "expected ASC or DESC")
            }
        } else {
            ascending = true
        }
    }
}

/// A property of a run that filters and orderings refer to.
public enum RunField: Sendable, Hashable {
    /// The latest value of a metric.
    case metric(String)
    /// A parameter's value.
    case param(String)
    /// A tag's value.
    case tag(String)
    /// A run attribute.
    case attribute(RunAttribute)
}

/// The run attributes a search can filter and order by (MLflow's names).
public enum RunAttribute: String, Sendable, Hashable, CaseIterable {
    /// The run id.
    case runID = "run_id"
    /// The run name.
    case runName = "run_name"
    /// The status (`FINISHED`…).
    case status
    /// Start time, milliseconds since 1970.
    case startTime = "start_time"
    /// End time, milliseconds since 1970.
    case endTime = "end_time"
    /// The user.
    case user
    /// The parent run id (nested runs).
    case parentRunID = "parent_run_id"
}
