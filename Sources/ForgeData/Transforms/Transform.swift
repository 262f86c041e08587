public import ForgeTensor

/// A function of a batch tensor, possibly random, that a ``DataLoader`` applies to every batch.
///
/// Conformers guarantee that the output depends only on the input and on the numbers drawn from
/// `generator` — never on global state or the thread — so a loader's batches depend only on its
/// seed. Deterministic transforms ignore the generator. Transforms see whole batches (leading axis
/// = examples), which is what keeps them cheap: one pass per batch instead of one call per example.
///
/// ```swift
/// let pipeline = standardizer.then(GaussianNoise(standardDeviation: 0.01))
/// var generator = RandomGenerator(seed: 1)
/// let augmented = pipeline.apply(batch.features, generator: &generator)
/// ```
public protocol Transform: Sendable {
    /// The transformed batch.
    func apply(_ input: Tensor, generator: inout RandomGenerator) -> Tensor
}

extension Transform {
    /// `self`, then `next`.
    public func then(_ next: some Transform) -> ComposedTransform {
        ComposedTransform([self, next])
    }

    /// The transform applied with a throwaway generator (for deterministic transforms).
    public func callAsFunction(_ input: Tensor) -> Tensor {
        var generator = RandomGenerator(seed: 0)
        return apply(input, generator: &generator)
    }
}

/// Transforms applied one after the other, sharing one generator.
public struct ComposedTransform: Transform {
    /// The steps, in order.
    public let steps: [any Transform]

    /// Creates the composition.
    public init(_ steps: [any Transform]) {
        self.steps = steps.flatMap { ($0 as? ComposedTransform)?.steps ?? [$0] }
    }

    /// Applies every step in order.
    public func apply(_ input: Tensor, generator: inout RandomGenerator) -> Tensor {
        var value = input
        for step in steps { value = step.apply(value, generator: &generator) }
        return value
    }
}

/// A transform given by a closure (for one-off steps in user code).
public struct ClosureTransform: Transform {
    private let body: @Sendable (Tensor, inout RandomGenerator) -> Tensor

    /// Creates the transform.
    public init(_ body: @escaping @Sendable (Tensor, inout RandomGenerator) -> Tensor) { self.body = body }

    /// `body(input, &generator)`.
    public func apply(_ input: Tensor, generator: inout RandomGenerator) -> Tensor { body(input, &generator) }
}
