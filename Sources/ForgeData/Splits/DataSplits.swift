import ForgeTensor

/// Example indices of a train/validation/test split.
public struct DataSplit: Sendable, Hashable, Codable {
    /// Training indices.
    public var train: [Int]
    /// Validation indices.
    public var validation: [Int]
    /// Test indices.
    public var test: [Int]

    /// Creates a split.
    public init(train: [Int], validation: [Int], test: [Int]) {
        self.train = train
        self.validation = validation
        self.test = test
    }
}

/// One fold of a cross-validation: train on `train`, evaluate on `validation`.
public struct Fold: Sendable, Hashable, Codable {
    /// Training indices.
    public var train: [Int]
    /// Held-out indices.
    public var validation: [Int]
}

/// Seeded, reproducible ways to split a dataset's indices.
///
/// Fractions are of the example count, rounded to the nearest example; training gets the rest.
/// The same arguments always give the same split.
///
/// ```swift
/// let split = DataSplits.stratified(labels: labels, validation: 0.1, test: 0.2, seed: 7)
/// let train = dataset.subset(split.train)
/// ```
public enum DataSplits {
    /// A shuffled split by fractions.
    public static func random(count: Int, validation: Double, test: Double, seed: UInt64) -> DataSplit {
        checkFractions(validation, test)
        var order = Array(0..<count)
        var generator = RandomGenerator.derived(seed: seed, stream: 10, epoch: 0)
        generator.shuffle(&order)
        return cut(order, validation: validation, test: test)
    }

    /// A split in which every class has the same proportions in each part (each class is split by
    /// the fractions on its own).
    public static func stratified(labels: [Int], validation: Double, test: Double, seed: UInt64) -> DataSplit {
        checkFractions(validation, test)
        var generator = RandomGenerator.derived(seed: seed, stream: 11, epoch: 0)
        var result = DataSplit(train: [], validation: [], test: [])
        for members in classMembers(labels) {
            var shuffled = members
            generator.shuffle(&shuffled)
            let part = cut(shuffled, validation: validation, test: test)
            result.train += part.train
            result.validation += part.validation
            result.test += part.test
        }
        return DataSplit(
            train: result.train.sorted(), validation: result.validation.sorted(), test: result.test.sorted())
    }

    /// A split that keeps every group whole (no group in two parts): groups are shuffled and
    /// assigned to test, then validation, until each reaches its fraction of the examples.
    public static func grouped<Group: Hashable & Comparable>(
        groups: [Group], validation: Double, test: Double, seed: UInt64
    ) -> DataSplit {
        checkFractions(validation, test)
        var members: [Group: [Int]] = [:]
        for (index, group) in groups.enumerated() { members[group, default: []].append(index) }
        var order = members.keys.sorted()
        var generator = RandomGenerator.derived(seed: seed, stream: 12, epoch: 0)
        generator.shuffle(&order)
        let testTarget = Int((Double(groups.count) * test).rounded())
        let validationTarget = Int((Double(groups.count) * validation).rounded())
        var result = DataSplit(train: [], validation: [], test: [])
        for group in order {
            let indices = members[group] ?? []
            if result.test.count < testTarget {
                result.test += indices
            } else if result.validation.count < validationTarget {
                result.validation += indices
            } else {
                result.train += indices
            }
        }
        return DataSplit(
            train: result.train.sorted(), validation: result.validation.sorted(), test: result.test.sorted())
    }

    /// A split by time: the earliest examples train, later ones validate, the latest test (no
    /// shuffling, so no future leaks into training). Ties keep index order.
    public static func timeOrdered(timestamps: [Double], validation: Double, test: Double) -> DataSplit {
        checkFractions(validation, test)
        let order = timestamps.indices.sorted { (timestamps[$0], $0) < (timestamps[$1], $1) }
        let count = order.count
        let testCount = Int((Double(count) * test).rounded())
        let validationCount = Int((Double(count) * validation).rounded())
        let trainCount = count - testCount - validationCount
        return DataSplit(
            train: Array(order[0..<trainCount]), validation: Array(order[trainCount..<trainCount + validationCount]),
            test: Array(order[(count - testCount)...]))
    }

    /// `folds` cross-validation folds over shuffled indices; each index is held out exactly once.
    /// With `labels`, folds are stratified (each class dealt round-robin over the folds).
    public static func kFold(count: Int, folds: Int, labels: [Int]? = nil, seed: UInt64) -> [Fold] {
        precondition(
            folds >= 2 && folds <= Swift.max(count, 2), "DataSplits.kFold: \(folds) folds for \(count) examples")
        var generator = RandomGenerator.derived(seed: seed, stream: 13, epoch: 0)
        var assignment = [Int](repeating: 0, count: count)
        let groups =
            labels.map {
                precondition($0.count == count, "DataSplits.kFold: \($0.count) labels for \(count) examples");
                return classMembers($0)
            }
            ?? [Array(0..<count)]
        var next = 0
        for members in groups {
            var shuffled = members
            generator.shuffle(&shuffled)
            for index in shuffled {
                assignment[index] = next % folds
                next += 1
            }
        }
        return (0..<folds).map { fold in
            Fold(
                train: (0..<count).filter { assignment[$0] != fold },
                validation: (0..<count).filter { assignment[$0] == fold })
        }
    }

    private static func checkFractions(_ validation: Double, _ test: Double) {
        precondition(
            validation >= 0 && test >= 0 && validation + test <= 1,
            "DataSplits: validation \(validation) and test \(test) must be ≥ 0 and sum to at most 1")
    }

    private static func classMembers(_ labels: [Int]) -> [[Int]] {
        var members: [Int: [Int]] = [:]
        for (index, label) in labels.enumerated() { members[label, default: []].append(index) }
        return members.keys.sorted().map { members[$0] ?? [] }
    }

    private static func cut(_ order: [Int], validation: Double, test: Double) -> DataSplit {
        let testCount = Int((Double(order.count) * test).rounded())
        let validationCount = Swift.min(Int((Double(order.count) * validation).rounded()), order.count - testCount)
        return DataSplit(
            train: Array(order[(testCount + validationCount)...]),
            validation: Array(order[testCount..<testCount + validationCount]), test: Array(order[0..<testCount]))
    }
}
