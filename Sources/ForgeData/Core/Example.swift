public import ForgeTensor

/// One example of a dataset: a features tensor and a label tensor.
///
/// Two named tensors rather than a dictionary: every loader, transform and training loop in Forge
/// needs exactly "what goes into the model" and "what it should predict", collation is a stack of
/// each field, and a struct keeps both `Sendable` and free of string lookups in hot loops. A label
/// can be a 0-d class index (`int64`), a regression target or a whole tensor (segmentation masks,
/// next-token sequences).
///
/// ```swift
/// let example = Example(features: Tensor([0.5, 1.5] as [Float]), label: Tensor(Int64(1)))
/// ```
public struct Example: Sendable {
    /// The model's input for this example.
    public var features: Tensor
    /// The target for this example (0-d class index, regression value or tensor).
    public var label: Tensor

    /// Creates an example from its features and label.
    public init(features: Tensor, label: Tensor) {
        self.features = features
        self.label = label
    }
}

/// A batch of examples: features and labels stacked along a new leading axis.
///
/// `features` has shape `[batchSize] + exampleFeatureShape`, `labels` `[batchSize] + labelShape`.
public struct Batch: Sendable {
    /// The stacked features, `[batchSize, ...]`.
    public var features: Tensor
    /// The stacked labels, `[batchSize, ...]`.
    public var labels: Tensor
    /// The dataset indices the rows came from, in order.
    public var indices: [Int]

    /// Creates a batch.
    public init(features: Tensor, labels: Tensor, indices: [Int]) {
        self.features = features
        self.labels = labels
        self.indices = indices
    }

    /// The number of examples in the batch.
    public var count: Int { indices.count }

    /// Stacks examples into a batch (the default collate step).
    ///
    /// - Precondition: every example has the same feature shape and the same label shape.
    public static func collate(_ examples: [Example], indices: [Int]) -> Batch {
        precondition(!examples.isEmpty, "Batch.collate: needs at least one example")
        return Batch(
            features: Tensor.stacked(examples.map(\.features)),
            labels: Tensor.stacked(examples.map(\.label)),
            indices: indices)
    }
}
