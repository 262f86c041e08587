public import Foundation

/// Composes a configuration the way Hydra does: defaults, a primary YAML file with a `defaults:` list of
/// config groups, command-line overrides, then `${…}` interpolation.
///
/// With a config directory
/// ```
/// conf/config.yaml          defaults: [{model: mlp}, {optimizer: adam}, _self_]
///                           epochs: 10
/// conf/model/mlp.yaml       hidden: [128, 64]
/// conf/optimizer/adam.yaml  lr: 0.001
/// ```
/// `compose(overrides: ["optimizer.lr=3e-4", "model=cnn"])` loads `model/cnn.yaml` under `model`,
/// `optimizer/adam.yaml` under `optimizer`, the primary file's own keys, then sets `optimizer.lr`.
///
/// Merge order, lowest priority first: the `defaults` value passed in, then the `defaults:` entries in
/// list order, with `_self_` (the primary file's own keys) where it is listed — last when it is not
/// listed, as in Hydra 1.1+ — and finally the overrides. Mappings merge key by key; anything else is
/// replaced. Entries: `group: option` loads `group/option.yaml` under the key `group` (a nested group
/// `db/replica: fast` goes under `db.replica`); `group: null` skips the group; a bare name loads
/// `name.yaml` at the root. Overrides whose key is a group of the list choose its option (`model=cnn`),
/// `+group=option` adds a group and `~group` removes one.
///
/// Included files may have their own `defaults:` list: in a group option such as `model/mlp.yaml`, an
/// entry `activation: relu` loads `model/activation/relu.yaml` under `model.activation` (group entries
/// are relative to the including group, as in Hydra). Config names may not leave the directory (`..`).
public struct ConfigurationLoader: Sendable {
    /// The config directory (group folders and the primary file live here).
    public var directory: URL

    /// Creates a loader over a config directory.
    public init(directory: URL) {
        self.directory = directory
    }

    /// Composes the configuration.
    /// - Parameters:
    ///   - primary: the primary config name (`"config"` loads `config.yaml`), or `nil` for none.
    ///   - defaults: the lowest-priority tree (for example ``ConfigurationValue/init(encoding:)`` of a
    ///     struct of default values).
    ///   - overrides: command-line overrides (see ``ConfigurationOverride``), applied in order.
    ///   - resolvingInterpolations: whether to resolve `${…}` references at the end.
    /// - Throws: ``ConfigurationError`` with the file, line and column of a YAML error, the missing group
    ///   option and the files that exist, or the override that failed.
    public func compose(
        primary: String? = "config", defaults: ConfigurationValue = .emptyMapping, overrides: [String] = [],
        resolvingInterpolations: Bool = true
    ) throws -> ConfigurationValue {
        var primaryContent = ConfigurationValue.emptyMapping
        var entries: [DefaultsEntry] = []
        if let primary {
            (primaryContent, entries) = try loadWithDefaults(
                directory.appendingPathComponent(primary + ".yaml"), name: primary)
        }
        var valueOverrides: [ConfigurationOverride] = []
        for text in overrides {
            let override = try ConfigurationOverride.parse(text)
            if try !applyGroupOverride(override, to: &entries) { valueOverrides.append(override) }
        }
        var result = defaults.merging(try composeEntries(entries, ownContent: primaryContent, folder: [], depth: 0))
        for override in valueOverrides { try override.apply(to: &result) }
        return resolvingInterpolations ? try result.resolvingInterpolations() : result
    }

    /// Merges a `defaults:` list in order; `folder` is the group folder the list was written in (group
    /// entries in a group option's own list are relative to it, as in Hydra).
    private func composeEntries(
        _ entries: [DefaultsEntry], ownContent: ConfigurationValue, folder: [String], depth: Int
    ) throws -> ConfigurationValue {
        guard depth < 32 else {
            throw ConfigurationError(
                .invalidDefaults, "defaults lists nest more than 32 levels deep (a config includes itself?)",
                keyPath: ConfigurationPath.joined(folder))
        }
        var entries = entries
        if !entries.contains(.ownContent) { entries.append(.ownContent) }
        var result = ConfigurationValue.emptyMapping
        for entry in entries {
            switch entry {
            case .ownContent:
                result = result.merging(ownContent)
            case .config(let name):
                let path = folder + [name]
                let url = directory.appendingPathComponent(path.joined(separator: "/") + ".yaml")
                let (content, nested) = try loadWithDefaults(url, name: name)
                result = result.merging(
                    try composeEntries(nested, ownContent: content, folder: folder, depth: depth + 1))
            case .group(let group, let option):
                guard let option else { continue }
                let groupPath = folder + group.split(separator: "/").map(String.init)
                let (content, nested) = try loadWithDefaults(
                    try groupOptionURL(group: groupPath.joined(separator: "/"), option: option), name: option)
                let composed = try composeEntries(nested, ownContent: content, folder: groupPath, depth: depth + 1)
                var wrapped = ConfigurationValue.emptyMapping
                wrapped.setValue(composed, at: group.split(separator: "/").map(String.init)[...])
                result = result.merging(wrapped)
            }
        }
        return result
    }

    /// Loads a config file and splits off its `defaults:` list.
    private func loadWithDefaults(_ url: URL, name: String) throws -> (ConfigurationValue, [DefaultsEntry]) {
        try Self.checkName(name, file: url.path)
        let value = try loadMapping(url)
        guard case .mapping(var mapping) = value, let list = mapping.removeValue(forKey: "defaults") else {
            return (value, [])
        }
        return (.mapping(mapping), try DefaultsEntry.parse(list, file: url.path))
    }

    /// Option and config names may not climb out of the config directory.
    private static func checkName(_ name: String, file: String) throws {
        if name.isEmpty || name.split(separator: "/").contains("..") || name.hasPrefix("/") {
            throw ConfigurationError(
                .invalidDefaults, "config name '\(name)' must be a relative name inside the config directory",
                file: file)
        }
    }

    /// The option names available for a group (the `.yaml` files in its folder), sorted.
    public func options(forGroup group: String) -> [String] {
        let folder = directory.appendingPathComponent(group, isDirectory: true)
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return files.filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
    }

    /// Changes the defaults list for `group=option`, `+group=option` and `~group`; returns whether the
    /// override was about a group.
    private func applyGroupOverride(_ override: ConfigurationOverride, to entries: inout [DefaultsEntry]) throws -> Bool
    {
        let group = override.keyPath.replacingOccurrences(of: ".", with: "/")
        let index = entries.firstIndex { if case .group(group, _) = $0 { return true } else { return false } }
        let isGroupFolder = !options(forGroup: group).isEmpty
        switch override.operation {
        case .set, .forceSet:
            guard index != nil || (override.operation == .forceSet && isGroupFolder) else { return false }
            guard let option = try optionName(override) else { return false }
            if let index { entries[index] = .group(group, option) } else { entries.append(.group(group, option)) }
            return true
        case .add:
            guard index == nil, isGroupFolder, let option = try optionName(override) else { return false }
            entries.append(.group(group, option))
            return true
        case .delete:
            guard let index else { return false }
            entries.remove(at: index)
            return true
        }
    }

    private func optionName(_ override: ConfigurationOverride) throws -> String?? {
        switch override.value {
        case .string(let name): return .some(name)
        case .null: return .some(nil)
        default: return nil
        }
    }

    private func groupOptionURL(group: String, option: String) throws -> URL {
        let url = directory.appendingPathComponent(group, isDirectory: true).appendingPathComponent(option + ".yaml")
        guard FileManager.default.fileExists(atPath: url.path) else {
            let available = options(forGroup: group)
            throw ConfigurationError(
                .groupOptionNotFound,
                "no option '\(option)' in config group '\(group)' (looked for \(url.path)); available: "
                    + (available.isEmpty ? "none" : available.joined(separator: ", ")),
                keyPath: group.replacingOccurrences(of: "/", with: "."))
        }
        return url
    }

    private func loadMapping(_ url: URL) throws -> ConfigurationValue {
        let value = try ConfigurationValue(contentsOf: url)
        switch value {
        case .mapping: return value
        case .null: return .emptyMapping
        default:
            throw ConfigurationError(
                .notAMapping, "a config file must hold a mapping, found \(value.kindDescription)", file: url.path)
        }
    }
}

/// One entry of a `defaults:` list.
enum DefaultsEntry: Equatable {
    /// `_self_`: the primary file's own keys.
    case ownContent
    /// A bare name: `name.yaml` merged at the root.
    case config(String)
    /// `group: option` (`nil` option: skipped).
    case group(String, String?)

    static func parse(_ list: ConfigurationValue, file: String) throws -> [DefaultsEntry] {
        guard case .sequence(let elements) = list else {
            throw ConfigurationError(
                .invalidDefaults, "'defaults' must be a list, found \(list.kindDescription)", file: file,
                keyPath: "defaults")
        }
        return try elements.enumerated().map { index, element in
            switch element {
            case .string("_self_"): return .ownContent
            case .string(let name): return .config(name)
            case .mapping(let mapping) where mapping.count == 1:
                for (group, option) in mapping {
                    if case .string(let name) = option { return .group(group, name) }
                    if case .null = option { return .group(group, nil) }
                }
                fallthrough
            default:
                throw ConfigurationError(
                    .invalidDefaults,
                    "entry \(element.flowText(quoted: true)) must be _self_, a config name or 'group: option'",
                    file: file, keyPath: "defaults.\(index)")
            }
        }
    }
}
