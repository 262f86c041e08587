/// What went wrong in tracking: bad input named precisely, missing records, or a store failure.
public enum TrackingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A key that is empty, too long, or has characters outside `[A-Za-z0-9_\-. /:]`.
    case invalidKey(kind: String, key: String, reason: String)
    /// A value that cannot be logged (infinite metric, over-long param or tag value).
    case invalidValue(kind: String, key: String, reason: String)
    /// A parameter logged again with a different value (parameters are immutable).
    case parameterChanged(runID: String, key: String, old: String, new: String)
    /// No experiment with this id or name.
    case experimentNotFound(String)
    /// An experiment with this name already exists.
    case experimentExists(String)
    /// No run with this id.
    case runNotFound(String)
    /// The run has ended and cannot take more data.
    case runNotActive(runID: String, status: RunStatus)
    /// A search filter that does not parse; `position` is the character offset.
    case invalidFilter(filter: String, position: Int, reason: String)
    /// A page token this store did not issue.
    case invalidPageToken(String)
    /// An artifact that cannot be read or written.
    case artifact(path: String, reason: String)
    /// The backing store failed (database, network); `reason` carries its message.
    case storeFailure(store: String, reason: String)

    /// A one-line explanation naming what was wrong and where.
    public var description: String {
        switch self {
        case .invalidKey(let kind, let key, let reason):
            return "invalid \(kind) key \"\(key)\": \(reason)"
        case .invalidValue(let kind, let key, let reason):
            return "invalid value for \(kind) \"\(key)\": \(reason)"
        case .parameterChanged(let runID, let key, let old, let new):
            return "parameter \"\(key)\" of run \(runID) is already \"\(old)\"; parameters are immutable, cannot set \"\(new)\""
        case .experimentNotFound(let name): return "no experiment \"\(name)\""
        case .experimentExists(let name): return "an experiment named \"\(name)\" already exists"
        case .runNotFound(let id): return "no run \(id)"
        case .runNotActive(let id, let status): return "run \(id) is \(status.rawValue) and takes no more data"
        case .invalidFilter(let filter, let position, let reason):
            return "invalid run filter at character \(position) of \"\(filter)\": \(reason)"
        case .invalidPageToken(let token): return "invalid page token \"\(token)\""
        case .artifact(let path, let reason): return "artifact \(path): \(reason)"
        case .storeFailure(let store, let reason): return "\(store) failed: \(reason)"
        }
    }
}
