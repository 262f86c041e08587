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
        // Column-major copy: splits scan one feature at a time.
        let featureCount = features.first?.count ?? 0
        let columns = (0..<featureCount).map { feature in features.map { $0[feature] } }
        for _ in 0..<treeCount {
            var sample: [Int] = []
            sample.reserveCapacity(count)
            for _ in 0..<count { sample.append(Int(generator.next(below: UInt64(count)))) }
            var tree = Tree()
            Self.grow(&tree, sample, columns, targets, depth: 0, maxDepth: maxDepth)
            trees.append(tree)
        }
    }

    /// Grows the subtree for `indices` and returns its node index.
    @discardableResult
    private static func grow(
        _ tree: inout Tree, _ indices: [Int], _ columns: [[Double]], _ targets: [Double], depth: Int, maxDepth: Int
    ) -> Int {
        let nodeIndex = tree.nodes.count
        let mean = indices.reduce(0.0) { $0 + targets[$1] } / Double(indices.count)
        tree.nodes.append(Node(value: mean))
        guard indices.count >= 2, depth < maxDepth else { return nodeIndex }
        guard let split = bestSplit(indices, columns, targets) else { return nodeIndex }
        let column = columns[split.feature]
        let left = indices.filter { column[$0] <= split.threshold }
        let right = indices.filter { column[$0] > split.threshold }
        guard !left.isEmpty, !right.isEmpty else { return nodeIndex }
        let leftIndex = grow(&tree, left, columns, targets, depth: depth + 1, maxDepth: maxDepth)
        let rightIndex = grow(&tree, right, columns, targets, depth: depth + 1, maxDepth: maxDepth)
        tree.nodes[nodeIndex].feature = split.feature
        tree.nodes[nodeIndex].threshold = split.threshold
        tree.nodes[nodeIndex].left = leftIndex
        tree.nodes[nodeIndex].right = rightIndex
        return nodeIndex
    }

    /// The split with the largest reduction of the sum of squared errors, or `nil` when none reduces it.
    private static func bestSplit(_ indices: [Int], _ columns: [[Double]], _ targets: [Double])
        -> (feature: Int, threshold: Double)?
    {
        var total = 0.0
        var totalSquares = 0.0
        for index in indices {
            total += targets[index]
            totalSquares += targets[index] * targets[index]
        }
        let count = Double(indices.count)
        let parentError = totalSquares - total * total / count
        var best: (feature: Int, threshold: Double, error: Double)?
        var pairs = [(value: Double, target: Double)](repeating: (0, 0), count: indices.count)
        for (feature, column) in columns.enumerated() {
            for (position, index) in indices.enumerated() { pairs[position] = (column[index], targets[index]) }
            pairs.sort { $0.value < $1.value }
            var leftSum = 0.0
            var leftSquares = 0.0
            for position in 0..<(pairs.count - 1) {
                let target = pairs[position].target
                leftSum += target
                leftSquares += target * target
                let here = pairs[position].value
                let next = pairs[position + 1].value
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
