public import ForgeTensor

/// A finite, random-access collection of examples (PyTorch's map-style `Dataset`).
///
/// Conformers guarantee:
/// - `count` is fixed for the dataset's lifetime and `self[i]` is valid for `0..<count`;
/// - `self[i]` returns the same example every time (randomness belongs in transforms, which get a
///   seeded generator), so a loader can fetch examples on any thread in any order;
/// - the type is `Sendable`: loaders read it from worker threads concurrently.
///
/// Only `count` and `subscript` are required. ``batch(at:)`` has a default that stacks examples;
/// in-memory datasets override it with a single gather, which is what makes loading fast.
///
/// ```swift
/// struct Squares: Dataset {
///     var count: Int { 100 }
///     subscript(index: Int) -> Example {
///         Example(features: Tensor([Float(index)]), label: Tensor(Float(index * index)))
///     }
/// }
/// ```
public protocol Dataset: Sendable {
    /// The number of examples.
    var count: Int { get }
    /// The example at `index` (`0..<count`).
    subscript(index: Int) -> Example { get }
    /// The examples at `indices`, collated into a batch.
    func batch(at indices: [Int]) -> Batch
}

extension Dataset {
    /// Stacks `self[i]` for each index (the default collate step).
    public func batch(at indices: [Int]) -> Batch {
        Batch.collate(indices.map { self[$0] }, indices: indices)
    }

    /// A view of the examples at `indices`, in that order.
    public func subset(_ indices: [Int]) -> SubsetDataset<Self> {
        SubsetDataset(base: self, indices: indices)
    }

    /// A dataset whose examples are `transform(self[i])`, computed on access.
    public func map(_ transform: @escaping @Sendable (Example) -> Example) -> MappedDataset<Self> {
        MappedDataset(base: self, transform: transform)
    }

    /// All examples collated into one batch (features `[count, ...]`, labels `[count, ...]`).
    public func materialized() -> Batch {
        batch(at: Array(0..<count))
    }
}

/// A dataset whose examples live in two tensors, row `i` of each being example `i`.
///
/// ```swift
/// let data = TensorDataset(features: x, labels: y)   // x [N, F], y [N]
/// let first = data[0]                               // features [F], label 0-d
/// ```
public struct TensorDataset: Dataset {
    /// All features, `[count, ...]`.
    public let features: Tensor
    /// All labels, `[count, ...]`.
    public let labels: Tensor

    /// Creates a dataset from features and labels with the same leading dimension.
    ///
    /// - Precondition: both have rank ≥ 1 and `features.shape[0] == labels.shape[0]`.
    public init(features: Tensor, labels: Tensor) {
        precondition(
            features.rank >= 1 && labels.rank >= 1 && features.shape[0] == labels.shape[0],
            "TensorDataset: features \(features.shape) and labels \(labels.shape) need the same leading dimension")
        self.features = features.contiguous()
        self.labels = labels.contiguous()
    }

    /// The number of rows.
    public var count: Int { features.shape[0] }

    /// Row `index` of the features and of the labels.
    public subscript(index: Int) -> Example {
        precondition(index >= 0 && index < count, "TensorDataset: index \(index) out of range 0..<\(count)")
        return Example(
            features: features.narrowed(axis: 0, start: index, length: 1).squeezed(axis: 0),
            label: labels.narrowed(axis: 0, start: index, length: 1).squeezed(axis: 0))
    }

    /// The rows at `indices`, copied with one gather per tensor.
    public func batch(at indices: [Int]) -> Batch {
        for index in indices {
            precondition(index >= 0 && index < count, "TensorDataset: index \(index) out of range 0..<\(count)")
        }
        return Batch(
            features: RowGather.rows(of: features, at: indices),
            labels: RowGather.rows(of: labels, at: indices),
            indices: indices)
    }
}
