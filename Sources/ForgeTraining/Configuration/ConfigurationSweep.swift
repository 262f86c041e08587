/// Hydra "multirun": expands overrides with comma-separated values into the cartesian product of runs.
///
/// ```swift
/// let runs = try ConfigurationSweep.expand(["optimizer.lr=1e-3,1e-4", "model.hidden=[64],[128]", "seed=0"])
/// // [["optimizer.lr=1e-3", "model.hidden=[64]", "seed=0"],
/// //  ["optimizer.lr=1e-3", "model.hidden=[128]", "seed=0"],
/// //  ["optimizer.lr=1e-4", "model.hidden=[64]", "seed=0"],
/// //  ["optimizer.lr=1e-4", "model.hidden=[128]", "seed=0"]]
/// ```
///
/// The first swept override varies slowest, like Hydra's basic sweeper (`itertools.product`). Commas
/// inside brackets or quotes do not split (`model.hidden=[64,32]` is one value).
public enum ConfigurationSweep {
    /// One list of override strings per run, in sweep order.
    /// - Throws: ``ConfigurationError`` with code `invalidOverride` for a malformed override.
    public static func expand(_ overrides: [String]) throws -> [[String]] {
        var runs: [[String]] = [[]]
        for text in overrides {
            let alternatives = try ConfigurationOverride.parseSweep(text).map(\.text)
            runs = runs.flatMap { run in alternatives.map { run + [$0] } }
        }
        return runs
    }
}
