/// fANOVA (Hutter, Hoos & Leyton-Brown 2014) on a random forest, as Optuna's default
/// `FanovaImportanceEvaluator`: for each tree, the share of the variance of its prediction over the
/// (scaled) search space that is explained by one parameter alone, averaged over trees and normalized to
/// sum to 1.
///
/// NOTE: categorical parameters are split on their choice index (ordinal), not one-hot as in Optuna, so
/// with many unordered choices the forest needs more trials to isolate one choice.
enum FanovaImportance {
    /// Importance per feature index; features are scaled to [0, 1].
    static func importances(features: [[Double]], targets: [Double], treeCount: Int = 64, seed: UInt64 = 0)
        -> [Double]
    {
        guard let featureCount = features.first?.count, featureCount > 0 else { return [] }
        let forest = RegressionForest(features: features, targets: targets, treeCount: treeCount, seed: seed)
        var sums = [Double](repeating: 0, count: featureCount)
        var usedTrees = 0
        for tree in forest.trees {
            guard let shares = varianceShares(tree, featureCount: featureCount) else { continue }
            for index in 0..<featureCount { sums[index] += shares[index] }
            usedTrees += 1
        }
        guard usedTrees > 0 else { return [Double](repeating: 0, count: featureCount) }
        let means = sums.map { $0 / Double(usedTrees) }
        let total = means.reduce(0, +)
        return total > 0 ? means.map { $0 / total } : means
    }

    /// The first index of `sorted` whose value is ≥ `value` (within a rounding tolerance).
    private static func lowerBound(_ sorted: [Double], _ value: Double) -> Int {
        var low = 0
        var high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            if sorted[middle] < value - 1e-12 { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// A leaf: its box in [0, 1]^d and its value.
    private struct Leaf {
        var lower: [Double]
        var upper: [Double]
        var value: Double
    }

    /// Each feature's marginal variance divided by the tree's total variance, or `nil` for a constant tree.
    private static func varianceShares(_ tree: RegressionForest.Tree, featureCount: Int) -> [Double]? {
        var leaves: [Leaf] = []
        var splits = [[Double]](repeating: [], count: featureCount)
        var stack = [(0, [Double](repeating: 0, count: featureCount), [Double](repeating: 1, count: featureCount))]
        while let (index, lower, upper) = stack.popLast() {
            let node = tree.nodes[index]
            if node.isLeaf {
                leaves.append(Leaf(lower: lower, upper: upper, value: node.value))
                continue
            }
            splits[node.feature].append(node.threshold)
            var leftUpper = upper
            leftUpper[node.feature] = min(upper[node.feature], node.threshold)
            var rightLower = lower
            rightLower[node.feature] = max(lower[node.feature], node.threshold)
            stack.append((node.left, lower, leftUpper))
            stack.append((node.right, rightLower, upper))
        }
        let volumes = leaves.map { leaf in zip(leaf.lower, leaf.upper).reduce(1.0) { $0 * max(0, $1.1 - $1.0) } }
        let mean = zip(leaves, volumes).reduce(0.0) { $0 + $1.0.value * $1.1 }
        let variance = zip(leaves, volumes).reduce(0.0) { $0 + $1.1 * ($1.0.value - mean) * ($1.0.value - mean) }
        guard variance > 1e-300 else { return nil }
        var shares = [Double](repeating: 0, count: featureCount)
        for feature in 0..<featureCount {
            let cuts = ([0.0, 1.0] + splits[feature].filter { $0 > 0 && $0 < 1 }).sorted()
            // Every leaf spans whole intervals between consecutive cuts along `feature`; its contribution to
            // the marginal there is value × (volume of its other dimensions). A difference array over the
            // intervals adds it to each interval it covers in O(log cuts).
            var difference = [Double](repeating: 0, count: cuts.count)
            for (leaf, volume) in zip(leaves, volumes) {
                let width = leaf.upper[feature] - leaf.lower[feature]
                guard width > 0 else { continue }
                let first = lowerBound(cuts, leaf.lower[feature])
                let last = lowerBound(cuts, leaf.upper[feature])
                guard first < last else { continue }
                let weight = leaf.value * volume / width
                difference[first] += weight
                difference[last] -= weight
            }
            var marginal = 0.0
            var marginalVariance = 0.0
            for position in 0..<(cuts.count - 1) {
                marginal += difference[position]
                let width = cuts[position + 1] - cuts[position]
                guard width > 0 else { continue }
                marginalVariance += width * (marginal - mean) * (marginal - mean)
            }
            shares[feature] = marginalVariance / variance
        }
        return shares
    }
}
