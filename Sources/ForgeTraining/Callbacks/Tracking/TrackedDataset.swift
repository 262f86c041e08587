public import ForgeData
import ForgeTensor
public import ForgeTracking
public import ForgeVersioning

extension DatasetInput {
    /// Describes a tensor dataset for tracking: its row count and the distribution of every feature
    /// column (count, mean, deviation, range, histogram), under a version digest.
    ///
    /// Features of shape `[N, F]` give F distributions named `featureNames[i]` (or `feature_i`);
    /// other shapes are flattened to `[N, F]` first.
    ///
    /// - Parameters:
    ///   - dataset: the examples.
    ///   - name: the dataset's name (`digits`).
    ///   - digest: a content digest, ideally a ForgeVersioning version id.
    ///   - source: where the data lives (`forge-versioning:digits@v3`, a path, a URI).
    ///   - context: `training`, `validation` or `test`.
    ///   - featureNames: column names.
    ///   - bins: histogram bins per feature.
    public init(
        describing dataset: TensorDataset, name: String, digest: String, source: String, context: String,
        featureNames: [String]? = nil, bins: Int = 10
    ) {
        let rows = dataset.count
        let features = dataset.features.converted(to: .float64).reshaped(rows, -1)
        let columns = features.shape[1]
        let values = features.scalars(as: Double.self)
        var distributions: [FeatureDistribution] = []
        distributions.reserveCapacity(columns)
        for column in 0..<columns {
            let columnValues = (0..<rows).map { values[$0 * columns + column] }
            let label = featureNames.flatMap { column < $0.count ? $0[column] : nil } ?? "feature_\(column)"
            distributions.append(FeatureDistribution(name: label, values: columnValues, bins: bins))
        }
        self.init(name: name, digest: digest, source: source, context: context, rowCount: rows, features: distributions)
    }

    /// Describes a dataset versioned in `store` as `reference` (`digits@v3`): the digest is the
    /// resolved version id and the source `forge-versioning:<reference>`.
    ///
    /// - Throws: `VersioningError.unknownReference` when the reference does not resolve.
    public init(
        describing dataset: TensorDataset, versionedAs reference: String, in store: VersionStore, context: String,
        featureNames: [String]? = nil
    ) throws {
        let version = try store.resolve(reference)
        let name = reference.split(separator: "@").first.map(String.init) ?? reference
        self.init(
            describing: dataset, name: name, digest: version.hex, source: "forge-versioning:\(reference)",
            context: context, featureNames: featureNames)
    }
}

extension JSONValue {
    /// The leaves of this value as dotted keys and string values (`optimizer.lr` → `0.001`,
    /// `model.hidden.0` → `128`) — how a nested configuration becomes run parameters.
    public func flattenedParameters(prefix: String = "") -> [String: String] {
        func join(_ key: String) -> String { prefix.isEmpty ? key : "\(prefix).\(key)" }
        switch self {
        case .object(let members):
            var result: [String: String] = [:]
            for (key, value) in members {
                result.merge(value.flattenedParameters(prefix: join(key))) { first, _ in first }
            }
            return result
        case .array(let elements):
            var result: [String: String] = [:]
            for (index, value) in elements.enumerated() {
                result.merge(value.flattenedParameters(prefix: join(String(index)))) { first, _ in first }
            }
            return result
        case .null: return prefix.isEmpty ? [:] : [prefix: "null"]
        case .bool(let value): return [prefix: String(value)]
        case .number(let value):
            return [prefix: value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"]
        case .string(let value): return [prefix: value]
        }
    }
}

extension JSONValue {
    /// The JSON form of a configuration tree (mappings keep their values; key order is not kept).
    public init(_ configuration: ConfigurationValue) {
        switch configuration {
        case .mapping(let mapping):
            var members: [String: JSONValue] = [:]
            for (key, value) in mapping { members[key] = JSONValue(value) }
            self = .object(members)
        case .sequence(let elements): self = .array(elements.map(JSONValue.init))
        case .string(let value): self = .string(value)
        case .int(let value): self = .number(Double(value))
        case .double(let value): self = .number(value)
        case .bool(let value): self = .bool(value)
        case .null: self = .null
        }
    }
}
