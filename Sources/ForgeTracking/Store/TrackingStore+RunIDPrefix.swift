extension TrackingStore {
    /// The full id of the run whose id is `idOrPrefix` or starts with it (as tables print 12-digit prefixes).
    ///
    /// - Throws: ``TrackingError/runNotFound(_:)`` when no run matches, or when the prefix matches several
    ///   runs (the message lists them).
    public func resolveRunID(_ idOrPrefix: String) async throws -> String {
        if let run = try? await run(id: idOrPrefix) { return run.id }
        let prefix = idOrPrefix.lowercased()
        guard !prefix.isEmpty, prefix.allSatisfy(\.isHexDigit) else { throw TrackingError.runNotFound(idOrPrefix) }
        let experimentIDs = try await experiments().map(\.id)
        let filter = RunFilter.comparison(.attribute(.runID), .like, .string(prefix + "%"))
        let matches = try await searchRuns(RunQuery(experimentIDs: experimentIDs, filter: filter, maxResults: 10)).runs
        switch matches.count {
        case 1: return matches[0].id
        case 0: throw TrackingError.runNotFound(idOrPrefix)
        default:
            throw TrackingError.runNotFound(
                "\(idOrPrefix) (ambiguous: \(matches.map(\.id).joined(separator: ", ")))")
        }
    }
}
