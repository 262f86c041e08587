import ForgeTracking
import Foundation

/// How Forge's run model maps onto MLflow's: the reserved tags and the conversions both ways.
///
/// | Forge | MLflow |
/// |---|---|
/// | `RunInfo.name` | `run_name` (and MLflow's own `mlflow.runName` tag) |
/// | `RunInfo.user` | `user_id` and the `mlflow.user` tag |
/// | `RunInfo.host` | the `forge.host` tag |
/// | `RunInfo.source` | `mlflow.source.name` (with `mlflow.source.type` = `LOCAL`) |
/// | `RunInfo.gitCommit` | `mlflow.source.git.commit` |
/// | `RunInfo.parentRunID` | `mlflow.parentRunId` (how MLflow nests runs) |
/// | times | milliseconds since 1970 (sub-millisecond parts are rounded away) |
/// | training metadata | the run artifact `forge/training_metadata.json`, flagged by the `forge.training_metadata` tag |
/// | artifact records | the run artifact `forge/artifacts.json`, flagged by the `forge.artifacts` tag |
/// | `DatasetInput` | a dataset input: `mlflow.data.context` tag; row count, features and the full digest in `profile` |
///
/// The reserved tags are removed from `Run.tags` when reading, so tags round-trip as logged.
enum MLflowMapping {
    static let userTag = "mlflow.user"
    static let runNameTag = "mlflow.runName"
    static let sourceNameTag = "mlflow.source.name"
    static let sourceTypeTag = "mlflow.source.type"
    static let gitCommitTag = "mlflow.source.git.commit"
    static let parentRunTag = "mlflow.parentRunId"
    static let hostTag = "forge.host"
    static let trainingMetadataTag = "forge.training_metadata"
    static let artifactsTag = "forge.artifacts"
    static let datasetContextTag = "mlflow.data.context"
    static let trainingMetadataPath = "forge/training_metadata.json"
    static let artifactsPath = "forge/artifacts.json"
    /// MLflow limits dataset digests to 36 characters; longer digests are cut there and kept whole in the profile.
    static let maximumDatasetDigestLength = 36

    static let reservedTags: Set<String> = [
        userTag, runNameTag, sourceNameTag, sourceTypeTag, gitCommitTag, parentRunTag, hostTag, trainingMetadataTag,
        artifactsTag,
    ]

    static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
    static func date(_ milliseconds: Int64) -> Date { Date(timeIntervalSince1970: Double(milliseconds) / 1000) }

    /// The tags `runs/create` sends for a draft: the user's tags plus the reserved ones.
    static func creationTags(_ draft: RunDraft) -> [WireKeyValue] {
        var tags = draft.tags
        tags[userTag] = draft.user
        tags[hostTag] = draft.host
        tags[sourceNameTag] = draft.source
        tags[sourceTypeTag] = "LOCAL"
        if let commit = draft.gitCommit { tags[gitCommitTag] = commit }
        if let parent = draft.parentRunID { tags[parentRunTag] = parent }
        return tags.sorted { $0.key < $1.key }.map { WireKeyValue(key: $0.key, value: $0.value) }
    }

    static func run(_ wire: WireRun) -> Run {
        var tags: [String: String] = [:]
        for tag in wire.data?.tags ?? [] { tags[tag.key] = tag.value ?? "" }
        let info = wire.info
        let runInfo = RunInfo(
            id: info.id, experimentID: info.experimentId, name: info.runName ?? tags[runNameTag] ?? "",
            status: info.status.flatMap(RunStatus.init(rawValue:)) ?? .running,
            startTime: date(info.startTime?.value ?? 0), endTime: info.endTime.map { date($0.value) },
            user: tags[userTag] ?? info.userId ?? "", host: tags[hostTag] ?? "", source: tags[sourceNameTag] ?? "",
            gitCommit: tags[gitCommitTag], parentRunID: tags[parentRunTag])
        var params: [String: String] = [:]
        for param in wire.data?.params ?? [] { params[param.key] = param.value ?? "" }
        var latest: [String: Metric] = [:]
        for metric in wire.data?.metrics ?? [] { latest[metric.key] = self.metric(metric) }
        let inputs = (wire.inputs?.datasetInputs ?? []).map(datasetInput)
        return Run(
            info: runInfo, params: params, tags: tags.filter { !reservedTags.contains($0.key) },
            latestMetrics: latest, inputs: inputs)
    }

    static func metric(_ wire: WireMetric) -> Metric {
        Metric(
            key: wire.key, value: wire.value, step: Int(wire.step?.value ?? 0), timestamp: date(wire.timestamp.value))
    }

    static func wireMetric(_ metric: Metric) -> WireMetric {
        WireMetric(
            key: metric.key, value: metric.value, timestamp: WireInt64(milliseconds(metric.timestamp)),
            step: WireInt64(Int64(metric.step)))
    }

    static func experiment(_ wire: WireExperiment) -> Experiment {
        var tags: [String: String] = [:]
        for tag in wire.tags ?? [] { tags[tag.key] = tag.value ?? "" }
        return Experiment(
            id: wire.experimentId, name: wire.name, tags: tags, creationTime: date(wire.creationTime?.value ?? 0))
    }

    /// What Forge keeps in a dataset's `profile` (MLflow shows it as JSON in its UI).
    struct DatasetProfile: Codable {
        var digest: String
        var numRows: Int?
        var features: [FeatureDistribution]

        enum CodingKeys: String, CodingKey {
            case digest
            case numRows = "num_rows"
            case features
        }
    }

    static func wireDatasetInput(_ input: DatasetInput) throws -> WireDatasetInput {
        let profile = DatasetProfile(digest: input.digest, numRows: input.rowCount, features: input.features)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        let profileText = String(decoding: try encoder.encode(profile), as: UTF8.self)
        return WireDatasetInput(
            tags: [WireKeyValue(key: datasetContextTag, value: input.context)],
            dataset: WireDataset(
                name: input.name, digest: String(input.digest.prefix(maximumDatasetDigestLength)), sourceType: "forge",
                source: input.source, schema: nil, profile: profileText))
    }

    static func datasetInput(_ wire: WireDatasetInput) -> DatasetInput {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        let profile = wire.dataset.profile.flatMap { try? decoder.decode(DatasetProfile.self, from: Data($0.utf8)) }
        let context = wire.tags?.first { $0.key == datasetContextTag }?.value ?? ""
        let digest = profile.map { $0.digest.hasPrefix(wire.dataset.digest) ? $0.digest : wire.dataset.digest }
        return DatasetInput(
            name: wire.dataset.name, digest: digest ?? wire.dataset.digest, source: wire.dataset.source,
            context: context, rowCount: profile?.numRows, features: profile?.features ?? [])
    }
}
