public import ForgeTracking
public import Foundation

extension MLflowTrackingStore {
    /// Stores the training metadata as the run artifact `forge/training_metadata.json` (through the server's
    /// artifact proxy; readable with `mlflow.artifacts.load_dict`) and flags it with the
    /// `forge.training_metadata` tag.
    /// - Throws: ``TrackingError/runNotFound(_:)``, or ``TrackingError/storeFailure(store:reason:)`` when the
    ///   server does not serve artifacts.
    public func setTrainingMetadata(runID: String, _ metadata: TrainingMetadata) async throws {
        let run = try await activeRun(id: runID)
        try await putArtifact(
            try Self.documentEncoder.encode(metadata), at: MLflowMapping.trainingMetadataPath, of: run)
        try await logBatch(
            runID: runID, metrics: [], params: [],
            tags: [MLflowMapping.trainingMetadataTag: MLflowMapping.trainingMetadataPath])
    }

    /// The training metadata, or nil when none was stored.
    public func trainingMetadata(runID: String) async throws -> TrainingMetadata? {
        let run = try await activeRun(id: runID)
        guard run.data?.tags?.contains(where: { $0.key == MLflowMapping.trainingMetadataTag }) == true else {
            return nil
        }
        let data = try await getArtifact(MLflowMapping.trainingMetadataPath, of: run)
        do {
            return try Self.documentDecoder.decode(TrainingMetadata.self, from: data)
        } catch {
            throw TrackingError.artifact(
                path: MLflowMapping.trainingMetadataPath,
                reason: "unreadable training metadata of run \(runID): \(error)")
        }
    }

    /// Records artifacts in the run artifact `forge/artifacts.json` (a path already recorded is replaced);
    /// with ``Configuration/artifactContent`` set, also uploads each artifact's bytes under its own path.
    ///
    /// The manifest is read, merged and written back: concurrent writers to one run's artifact records can
    /// lose each other's entries.
    public func recordArtifacts(runID: String, _ artifacts: [ArtifactRecord]) async throws {
        let run = try await activeRun(id: runID)
        var byPath: [String: ArtifactRecord] = [:]
        for record in try await manifest(of: run) { byPath[record.path] = record }
        for record in artifacts { byPath[record.path] = record }
        if let repository = configuration.artifactContent {
            for record in artifacts {
                try await putArtifact(try await repository.data(for: record), at: record.path, of: run)
            }
        }
        let sorted = byPath.values.sorted { $0.path < $1.path }
        try await putArtifact(try Self.documentEncoder.encode(sorted), at: MLflowMapping.artifactsPath, of: run)
        try await logBatch(
            runID: runID, metrics: [], params: [], tags: [MLflowMapping.artifactsTag: MLflowMapping.artifactsPath])
    }

    /// The recorded artifacts, ordered by path.
    public func artifacts(runID: String) async throws -> [ArtifactRecord] {
        try await manifest(of: try await activeRun(id: runID))
    }

    // MARK: Artifact proxy

    static let documentEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return encoder
    }()

    static let documentDecoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return decoder
    }()

    private func manifest(of run: WireRun) async throws -> [ArtifactRecord] {
        guard run.data?.tags?.contains(where: { $0.key == MLflowMapping.artifactsTag }) == true else { return [] }
        let data = try await getArtifact(MLflowMapping.artifactsPath, of: run)
        do {
            return try Self.documentDecoder.decode([ArtifactRecord].self, from: data).sorted { $0.path < $1.path }
        } catch {
            throw TrackingError.artifact(
                path: MLflowMapping.artifactsPath,
                reason: "unreadable artifact manifest of run \(run.info.id): \(error)")
        }
    }

    /// `api/2.0/mlflow-artifacts/artifacts/<experiment>/<run>/artifacts/<path>` for a run whose artifact URI
    /// is served by the tracking server (`mlflow-artifacts:/…`).
    private func proxyPath(_ path: String, of run: WireRun) throws -> String {
        guard let uri = run.info.artifactUri, uri.hasPrefix("mlflow-artifacts:") else {
            throw TrackingError.storeFailure(
                store: client.storeName,
                reason: "run \(run.info.id) stores artifacts at \(run.info.artifactUri ?? "nowhere"), not through the "
                    + "server; start `mlflow server` with artifact serving (the default, not --no-serve-artifacts)")
        }
        var root = String(uri.dropFirst("mlflow-artifacts:".count))
        if root.hasPrefix("//"), let url = URL(string: uri) { root = url.path }  // mlflow-artifacts://host:port/path
        let trimmed = root.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        return "api/2.0/mlflow-artifacts/artifacts/\(trimmed)/\(path)"
    }

    private func putArtifact(_ data: Data, at path: String, of run: WireRun) async throws {
        let answer = try await client.send(
            "PUT", path: try proxyPath(path, of: run), body: data, contentType: "application/octet-stream")
        guard answer.status == 200 else { throw client.failure(client.apiError("artifact upload \(path)", answer)) }
    }

    private func getArtifact(_ path: String, of run: WireRun) async throws -> Data {
        let answer = try await client.send("GET", path: try proxyPath(path, of: run))
        if answer.status == 404 {
            throw TrackingError.artifact(path: path, reason: "missing from run \(run.info.id) on \(client.storeName)")
        }
        guard answer.status == 200 else { throw client.failure(client.apiError("artifact download \(path)", answer)) }
        return answer.body
    }
}
