public import Foundation

/// A named group of runs: one modelling question, many attempts at it.
public struct Experiment: Sendable, Hashable, Codable, Identifiable {
    /// The store-assigned identifier (a decimal string, as MLflow uses).
    public var id: String
    /// The unique, human-chosen name.
    public var name: String
    /// Free-form tags (`team`, `project`…).
    public var tags: [String: String]
    /// When the experiment was created.
    public var creationTime: Date

    /// Creates an experiment record (stores create these; see ``TrackingStore/createExperiment(named:tags:)``).
    public init(id: String, name: String, tags: [String: String] = [:], creationTime: Date) {
        self.id = id
        self.name = name
        self.tags = tags
        self.creationTime = creationTime
    }
}
