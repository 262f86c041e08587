import Foundation
import Synchronization

/// A hyperparameter search: an objective to minimize or maximize (or several), a sampler that proposes
/// parameters, a pruner that stops bad trials early, and a storage that keeps every trial so that
/// several workers — tasks, processes or machines — share one study and a crashed study resumes.
///
/// ```swift
/// let study = try await Study.create(
///     name: "digits-mlp", direction: .maximize, sampler: TPESampler(seed: 1), pruner: MedianPruner())
/// try await study.optimize(trials: 40, concurrency: 2) { trial in
///     let learningRate = try await trial.suggestFloat("lr", 1e-4...1e-1, log: true)
///     return try await trainAndValidate(learningRate: learningRate, trial: trial)
/// }
/// print(try await study.bestParams, try await study.bestValue)
/// ```
public final class Study: Sendable {
    /// The study's unique name in its storage.
    public let name: String
    /// The study's id in its storage.
    public let id: Int
    /// One direction per objective.
    public let directions: [StudyDirection]
    /// Where the trials live.
    public let storage: any StudyStorage
    /// Proposes parameter values.
    public let sampler: any Sampler
    /// Stops unpromising trials.
    public let pruner: any Pruner
    /// When set, running trials record a heartbeat this often, and trials whose heartbeat is older than
    /// twice the interval are failed when a worker starts a trial (see ``failStaleTrials(olderThan:)``).
    public let heartbeatInterval: Duration?

    let observers: Mutex<[any StudyObserver]>
    let stopRequested = Atomic<Bool>(false)

    init(
        name: String, id: Int, directions: [StudyDirection], storage: any StudyStorage, sampler: any Sampler,
        pruner: any Pruner, heartbeatInterval: Duration?, observers: [any StudyObserver]
    ) {
        self.name = name
        self.id = id
        self.directions = directions
        self.storage = storage
        self.sampler = sampler
        self.pruner = pruner
        self.heartbeatInterval = heartbeatInterval
        self.observers = Mutex(observers)
    }

    /// Creates a study, or loads the one with this name when `loadIfExists` is `true`.
    ///
    /// - Parameters:
    ///   - name: a unique name in the storage (a UUID-based name when `nil`).
    ///   - directions: one direction per objective; several make a multi-objective study.
    ///   - storage: where trials live (a new in-memory storage by default).
    ///   - sampler: proposes parameters (TPE with Optuna 5 defaults when omitted).
    ///   - pruner: stops bad trials early (never, by default).
    ///   - loadIfExists: resume a stored study of the same name instead of failing.
    ///   - heartbeatInterval: see ``heartbeatInterval``.
    ///   - observers: notified when trials start and finish (see ``StudyObserver``).
    /// - Throws: ``TuningError/studyAlreadyExists(name:)``, ``TuningError/directionsMismatch(study:stored:requested:)``.
    public static func create(
        name: String? = nil, directions: [StudyDirection], storage: any StudyStorage = InMemoryStudyStorage(),
        sampler: any Sampler = TPESampler(), pruner: any Pruner = NopPruner(), loadIfExists: Bool = false,
        heartbeatInterval: Duration? = nil, observers: [any StudyObserver] = []
    ) async throws -> Study {
        guard !directions.isEmpty else { throw TuningError.invalidArgument(reason: "a study needs a direction") }
        let studyName = name ?? "study-\(UUID().uuidString.lowercased())"
        let id: Int
        do {
            id = try await storage.createStudy(name: studyName, directions: directions)
        } catch TuningError.studyAlreadyExists(let existing) where loadIfExists {
            id = try await storage.studyID(named: existing)
            let stored = try await storage.study(id: id).directions
            guard stored == directions else {
                throw TuningError.directionsMismatch(study: studyName, stored: stored, requested: directions)
            }
        }
        return Study(
            name: studyName, id: id, directions: directions, storage: storage, sampler: sampler, pruner: pruner,
            heartbeatInterval: heartbeatInterval, observers: observers)
    }

    /// Creates a single-objective study; see ``create(name:directions:storage:sampler:pruner:loadIfExists:heartbeatInterval:observers:)``.
    public static func create(
        name: String? = nil, direction: StudyDirection = .minimize,
        storage: any StudyStorage = InMemoryStudyStorage(), sampler: any Sampler = TPESampler(),
        pruner: any Pruner = NopPruner(),
        loadIfExists: Bool = false, heartbeatInterval: Duration? = nil, observers: [any StudyObserver] = []
    ) async throws -> Study {
        try await create(
            name: name, directions: [direction], storage: storage, sampler: sampler, pruner: pruner,
            loadIfExists: loadIfExists, heartbeatInterval: heartbeatInterval, observers: observers)
    }

    /// Loads a stored study (to resume it, add workers, or read its results).
    /// - Throws: ``TuningError/studyNotFound(name:)``.
    public static func load(
        name: String, storage: any StudyStorage, sampler: any Sampler, pruner: any Pruner = NopPruner(),
        heartbeatInterval: Duration? = nil, observers: [any StudyObserver] = []
    ) async throws -> Study {
        let id = try await storage.studyID(named: name)
        let record = try await storage.study(id: id)
        return Study(
            name: name, id: id, directions: record.directions, storage: storage, sampler: sampler, pruner: pruner,
            heartbeatInterval: heartbeatInterval, observers: observers)
    }

    /// The direction of a single-objective study.
    public var direction: StudyDirection { directions[0] }

    /// Adds an observer notified of every trial this process starts and finishes from now on.
    public func addObserver(_ observer: any StudyObserver) {
        observers.withLock { $0.append(observer) }
    }

    /// A snapshot of the study for samplers, pruners and reports.
    public func view() async throws -> StudyView {
        async let record = storage.study(id: id)
        async let trials = storage.trials(studyID: id, states: nil)
        let (studyRecord, allTrials) = try await (record, trials)
        return StudyView(
            name: name, directions: directions, trials: allTrials, userAttributes: studyRecord.userAttributes)
    }

    /// The trials in any of `states` (all when `nil`), in number order.
    public func trials(states: Set<TrialState>? = nil) async throws -> [FrozenTrial] {
        try await storage.trials(studyID: id, states: states)
    }

    /// The best completed trial of a single-objective study.
    /// - Throws: ``TuningError/noCompletedTrials(study:)``, ``TuningError/multiObjectiveStudy(study:)``.
    public var bestTrial: FrozenTrial {
        get async throws {
            guard directions.count == 1 else { throw TuningError.multiObjectiveStudy(study: name) }
            let snapshot = StudyView(
                name: name, directions: directions, trials: try await trials(states: [.complete]))
            guard let best = snapshot.bestTrial else { throw TuningError.noCompletedTrials(study: name) }
            return best
        }
    }

    /// The best objective value of a single-objective study.
    public var bestValue: Double {
        get async throws { try await bestTrial.values?.first ?? .nan }
    }

    /// The parameters of the best trial of a single-objective study.
    public var bestParams: [String: ParameterValue] {
        get async throws { try await bestTrial.params }
    }

    /// The Pareto front: completed trials that no other completed trial dominates (any number of objectives).
    public var bestTrials: [FrozenTrial] {
        get async throws {
            StudyView(name: name, directions: directions, trials: try await trials(states: [.complete])).paretoFront
        }
    }

    /// Sets a user attribute of the study.
    public func setUserAttribute(_ key: String, _ value: AttributeValue) async throws {
        try await storage.setStudyUserAttribute(studyID: id, key: key, value: value)
    }

    /// The study's user attributes.
    public var userAttributes: [String: AttributeValue] {
        get async throws { try await storage.study(id: id).userAttributes }
    }

    /// Asks a running ``optimize(trials:timeout:concurrency:objective:)`` to start no new trial; trials
    /// already running finish normally.
    public func stop() {
        stopRequested.store(true, ordering: .relaxed)
    }
}
