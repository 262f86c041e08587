public import ForgeAutograd

/// Layers applied one after another, PyTorch's `nn.Sequential`.
///
/// The layers are children named `0`, `1`, … so parameter names match PyTorch's (`0.weight`,
/// `features.3.bias` when a model stores a `Sequential` as `features`). Any layer that maps a `Variable`
/// to a `Variable` fits — built-in or your own. Build one from an array or with a result builder:
///
/// ```swift
/// let model = Sequential {
///     Conv2d(inputChannels: 1, outputChannels: 4, kernelSize: 3, seed: 0)
///     BatchNorm2d(features: 4)
///     ReLU()
///     Flatten()
///     Linear(inputFeatures: 4 * 6 * 6, outputFeatures: 10, seed: 1)
/// }
/// model.stateDict().keys.sorted()   // ["0.bias", "0.weight", "1.bias", "1.num_batches_tracked", …]
/// ```
///
/// The forward pass is a loop over the stored array; no reflection happens per step.
public final class Sequential: Module, Layer {
    /// The layers, in order.
    public let layers: [any Layer<Variable, Variable>]

    /// Creates a sequence of `layers`.
    public init(_ layers: [any Layer<Variable, Variable>]) {
        self.layers = layers
        super.init()
    }

    /// Creates a sequence of the layers the builder lists.
    public convenience init(@SequentialBuilder _ build: () -> [any Layer<Variable, Variable>]) {
        self.init(build())
    }

    /// The number of layers.
    public var count: Int { layers.count }

    /// The layer at `index`.
    public subscript(index: Int) -> any Layer<Variable, Variable> { layers[index] }

    /// The layers as children named `0`, `1`, ….
    public override func namedMembers() -> [(name: String, member: ModuleMember)] {
        layers.enumerated().map { (String($0.offset), .child($0.element)) }
    }

    /// Runs every layer in order (each through its `callAsFunction`, so forward hooks run).
    public func forward(_ input: Variable) -> Variable {
        var current = input
        for layer in layers { current = layer(current) }
        return current
    }
}

/// Builds the layer list of a ``Sequential``: one layer per line, with `if`, `if … else` and `for … in`.
@resultBuilder
public enum SequentialBuilder {
    /// One layer.
    public static func buildExpression(_ layer: any Layer<Variable, Variable>) -> [any Layer<Variable, Variable>] {
        [layer]
    }

    /// Several layers from one expression (an array built elsewhere).
    public static func buildExpression(_ layers: [any Layer<Variable, Variable>]) -> [any Layer<Variable, Variable>] {
        layers
    }

    /// The lines of a block, in order.
    public static func buildBlock(_ parts: [any Layer<Variable, Variable>]...) -> [any Layer<Variable, Variable>] {
        parts.flatMap { $0 }
    }

    /// An `if` without `else`.
    public static func buildOptional(_ part: [any Layer<Variable, Variable>]?) -> [any Layer<Variable, Variable>] {
        part ?? []
    }

    /// The first branch of an `if … else`.
    public static func buildEither(first part: [any Layer<Variable, Variable>]) -> [any Layer<Variable, Variable>] {
        part
    }

    /// The second branch of an `if … else`.
    public static func buildEither(second part: [any Layer<Variable, Variable>]) -> [any Layer<Variable, Variable>] {
        part
    }

    /// A `for … in` loop.
    public static func buildArray(_ parts: [[any Layer<Variable, Variable>]]) -> [any Layer<Variable, Variable>] {
        parts.flatMap { $0 }
    }
}
