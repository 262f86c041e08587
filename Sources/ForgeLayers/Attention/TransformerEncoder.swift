public import ForgeAutograd
public import ForgeTensor

/// A stack of ``TransformerEncoderLayer``s with an optional final layer norm, PyTorch's
/// `nn.TransformerEncoder`. Parameters are named `layers.0.self_attn.in_proj_weight`, …, `norm.weight`.
///
/// ```swift
/// var generator = RandomGenerator(seed: 0)
/// let encoder = TransformerEncoder(layerCount: 2) {
///     TransformerEncoderLayer(modelDimension: 32, headCount: 4, feedForwardDimension: 64, batchFirst: true,
///                             generator: &generator)
/// }
/// let encoded = encoder(Variable(tokens))     // [N, L, 32]
/// ```
public final class TransformerEncoder: Module, Layer {
    /// The encoder layers, applied in order.
    public let layers: [TransformerEncoderLayer]
    /// The layer norm applied to the last layer's output, or nil.
    public let norm: LayerNorm?

    /// Creates an encoder from its layers and an optional final norm.
    public init(layers: [TransformerEncoderLayer], norm: LayerNorm? = nil) {
        precondition(!layers.isEmpty, "TransformerEncoder: needs at least one layer")
        self.layers = layers
        self.norm = norm
        super.init()
    }

    /// Creates an encoder of `layerCount` layers, each made by `makeLayer` (so each gets its own weights —
    /// PyTorch instead copies one layer, giving every layer the same initial weights).
    public convenience init(
        layerCount: Int, norm: LayerNorm? = nil, makeLayer: () -> TransformerEncoderLayer
    ) {
        precondition(layerCount > 0, "TransformerEncoder: layerCount \(layerCount) must be positive")
        self.init(layers: (0..<layerCount).map { _ in makeLayer() }, norm: norm)
    }

    /// Encodes `input` without masks.
    public func forward(_ input: Variable) -> Variable { forward(input, attentionMask: nil, keyPaddingMask: nil) }

    /// Encodes `input` with optional masks, passed to every layer (see ``TransformerEncoderLayer``).
    public func forward(_ input: Variable, attentionMask: Tensor?, keyPaddingMask: Tensor?) -> Variable {
        var x = input
        for layer in layers { x = layer(x, attentionMask: attentionMask, keyPaddingMask: keyPaddingMask) }
        return norm.map { $0(x) } ?? x
    }

    /// Encodes `input` with masks, then runs the forward hooks.
    public func callAsFunction(_ input: Variable, attentionMask: Tensor?, keyPaddingMask: Tensor?) -> Variable {
        let output = forward(input, attentionMask: attentionMask, keyPaddingMask: keyPaddingMask)
        for (_, hook) in forwardHooks { hook(self, input, output) }
        return output
    }

    /// Members with PyTorch's names: `layers.0`, `layers.1`, …, `norm`.
    public override func namedMembers() -> [(name: String, member: ModuleMember)] {
        var members: [(name: String, member: ModuleMember)] = layers.enumerated().map {
            ("layers.\($0.offset)", .child($0.element))
        }
        if let norm { members.append(("norm", .child(norm))) }
        return members
    }
}
