import ForgeTensor

/// The examples of a base dataset at chosen indices (PyTorch's `Subset`).
public struct SubsetDataset<Base: Dataset>: Dataset {
    /// The underlying dataset.
    public let base: Base
    /// The base indices, in the order this dataset exposes them.
    public let indices: [Int]

    /// Creates a subset; every index must be valid in `base`.
    public init(base: Base, indices: [Int]) {
        for index in indices {
            precondition(
                index >= 0 && index < base.count, "SubsetDataset: index \(index) out of range 0..<\(base.count)")
        }
        self.base = base
        self.indices = indices
    }

    /// The number of chosen indices.
    public var count: Int { indices.count }

    /// `base[indices[index]]`.
    public subscript(index: Int) -> Example { base[indices[index]] }

    /// The base's batch at the mapped indices (keeps the base's fast path); `Batch.indices` are this
    /// subset's positions.
    public func batch(at positions: [Int]) -> Batch {
        var result = base.batch(at: positions.map { indices[$0] })
        result.indices = positions
        return result
    }
}

/// Several datasets one after the other (PyTorch's `ConcatDataset`).
public struct ConcatenatedDataset: Dataset {
    /// The parts, in order.
    public let parts: [any Dataset]
    private let starts: [Int]

    /// Joins `parts`; example `i` comes from the first part whose cumulative count exceeds `i`.
    public init(_ parts: [any Dataset]) {
        self.parts = parts
        var running = 0
        var starts: [Int] = []
        for part in parts {
            starts.append(running)
            running += part.count
        }
        starts.append(running)
        self.starts = starts
    }

    /// The sum of the parts' counts.
    public var count: Int { starts.last ?? 0 }

    /// The example at `index`, looked up in its part.
    public subscript(index: Int) -> Example {
        precondition(index >= 0 && index < count, "ConcatenatedDataset: index \(index) out of range 0..<\(count)")
        let (part, local) = locate(index)
        return parts[part][local]
    }

    private func locate(_ index: Int) -> (Int, Int) {
        var low = 0
        var high = parts.count - 1
        while low < high {  // last part whose start ≤ index
            let middle = (low + high + 1) / 2
            if starts[middle] <= index { low = middle } else { high = middle - 1 }
        }
        while starts[low + 1] <= index { low += 1 }  // skip empty parts
        return (low, index - starts[low])
    }
}

/// A dataset whose examples are a function of a base dataset's examples, applied on access.
public struct MappedDataset<Base: Dataset>: Dataset {
    /// The underlying dataset.
    public let base: Base
    /// The function applied to each example.
    public let transform: @Sendable (Example) -> Example

    /// Creates the mapped view.
    public init(base: Base, transform: @escaping @Sendable (Example) -> Example) {
        self.base = base
        self.transform = transform
    }

    /// The base's count.
    public var count: Int { base.count }

    /// `transform(base[index])`.
    public subscript(index: Int) -> Example { transform(base[index]) }
}
