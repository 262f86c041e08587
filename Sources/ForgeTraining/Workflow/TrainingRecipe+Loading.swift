public import ForgeTracking
public import Foundation

extension TrainingRecipe {
    /// Composes a recipe like Hydra: the YAML file (with its `defaults:` config groups, resolved in the
    /// file's folder) under the command-line `overrides`, decoded with errors that name the key.
    ///
    /// ```swift
    /// let (recipe, tree) = try TrainingRecipe.load(configFile: url, overrides: ["optimizer.lr=3e-4", "model.hidden=[128,64]"])
    /// ```
    ///
    /// - Returns: the recipe and the full resolved configuration tree (to log with the run).
    /// - Throws: ``ConfigurationError`` (file, line, key, value) or ``RecipeError``.
    public static func load(configFile: URL, overrides: [String] = []) throws -> (TrainingRecipe, ConfigurationValue) {
        let loader = ConfigurationLoader(directory: configFile.deletingLastPathComponent())
        let tree = try loader.compose(primary: configFile.deletingPathExtension().lastPathComponent, overrides: overrides)
        let recipe = try tree.decode(TrainingRecipe.self)
        try recipe.validate()
        return (recipe, tree)
    }
}

extension ConfigurationValue {
    /// The tree as a ``JSONValue``, the form tracking stores configurations in (mapping order is not kept).
    public var jsonValue: JSONValue {
        switch self {
        case .mapping(let mapping):
            var members: [String: JSONValue] = [:]
            for (key, value) in mapping { members[key] = value.jsonValue }
            return .object(members)
        case .sequence(let values): return .array(values.map(\.jsonValue))
        case .string(let text): return .string(text)
        case .int(let value): return .number(Double(value))
        case .double(let value): return .number(value)
        case .bool(let value): return .bool(value)
        case .null: return .null
        }
    }
}
