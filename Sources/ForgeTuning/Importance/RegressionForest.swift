import ForgeTensor

/// A random forest of regression trees (CART, variance reduction, bootstrap samples), as scikit-learn's
/// `RandomForestRegressor` with Optuna's fANOVA settings: every feature considered at every split,
/// leaves of one sample allowed. Inputs are rows of features scaled to [0, 1].
struct RegressionForest {
    /// One node: a split (`feature`, `threshold`, children) or a leaf (`value`).
    struct Node {
        var feature = -1
        var threshold = 0.0
        var left = -1
        var right = -1
        var value = 0.0
        var isLeaf: Bool { feature < 0 }
    }

    /// A tree as a flat array of nodes; node 0 is the root.
    struct Tree {
        var nodes: [Node] = []
    }

    private(set) var trees: [Tree] = []

    init(features: [[Double]], targets: [Double], treeCount: Int = 64, maxDepth: Int = 64, seed: UInt64 = 0) {
        precondition(features.count == targets.count, "RegressionForest: \(features.count) rows, \(targets.count) targets")
        var generator = RandomGenerator(seed: seed)
        let count = features.count
        for _ in 0..<treeCount {
            var sample: [Int] = []
            sample.reserveCapacity(count)
            for _ in 0..<count { sample.append(Int(generator.next(below: UInt64(count)))) }
            var tree = Tree()
            Self.grow(&tree, sample, features, targets, depth: 0, maxDepth: maxDepth)
            trees.append(tree)
        }
    }

    /// Grows the subtree for `indices` and returns its node index.
    @discardableResult
    private static func grow(
        _ tree: inout Tree, _ indices: [Int], _ features: [[Double]], _ targets: [Double], depth: Int, maxDepth: Int
    ) -> Int {
        let nodeIndex = tree.nodes.count
        let mean = indices.reduce(0.0) { $0 + targets[$1] } / Double(indices.count)
        tree.nodes.append(Node(value: mean))
        guard indices.count >= 2, depth < maxDepth else { return nodeIndex }
        guard let split = bestSplit(indices, features, targets) else { return nodeIndex }
        let left = indices.filter { features[$0][split.feature] <= split.threshold }
        let right = indices.filter { features[$0][split.feature] > split.threshold }
        guard !left.isEmpty, !right.isEmpty else { return nodeIndex }
        let leftIndex = grow(&tree, left, features, targets, depth: depth + 1, maxDepth: maxDepth)
        let rightIndex = grow(&tree, right, features, targets, depth: depth + 1, maxDepth: maxDepth)
        tree.nodes[nodeIndex].feature = split.feature
        tree.nodes[nodeIndex].threshold = split.threshold
        tree.nodes[nodeIndex].left = leftIndex
        tree.nodes[nodeIndex].right = rightIndex
        return nodeIndex
    }

    /// The split with the largest reduction of the sum of squared errors, or `nil` when none reduces it.
    private static func bestSplit(_ indices: [Int], _ features: [[Double]], _ targets: [Double])
        -> (feature: Int, threshold: Double)?
    {
        let featureCount = features[indices[0]].count
        let total = indices.reduce(0.0) { $0 + targets[$1] }
        let totalSquares = indices.reduce(0.0) { $0 + targets[$1] * targets[$1] }
        let count = Double(indices.count)
        let parentError = totalSquares - total * total / count
        var best: (feature: Int, threshold: Double, error: Double)?
        for feature in 0..<featureCount {
            let sorted = indices.sorted { features[$0][feature] < features[$1][feature] }
            var leftSum = 0.0
            var leftSquares = 0.0
            for position in 0..<(sorted.count - 1) {
                let target = targets[sorted[position]]
                leftSum += target
                leftSquares += target * target
                let here = features[sorted[position]][feature]
                let next = features[sorted[position + 1]][feature]
                guard next > here else { continue }
                let leftCount = Double(position + 1)
                let rightCount = count - leftCount
                let rightSum = total - leftSum
                let error = (leftSquares - leftSum * leftSum / leftCount)
                    + (totalSquares - leftSquares - rightSum * rightSum / rightCount)
                if error < (best?.error ?? parentError - 1e-12 * max(1, abs(parentError))) {
                    best = (feature, (here + next) / 2, error)
                }
            }
        }
        return best.map { ($0.feature, $0.threshold) }
    }

    /// The forest's prediction (mean of the trees) at `point`.
    func predict(_ point: [Double]) -> Double {
        var sum = 0.0
        for tree in trees {
            var node = tree.nodes[0]
            while !node.isLeaf { node = tree.nodes[point[node.feature] <= node.threshold ? node.left : node.right] }
            sum += node.value
        }
        return sum / Double(trees.count)
    }
}
