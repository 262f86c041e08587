public import ForgeAutograd
public import ForgeTensor

/// One transformer encoder block, PyTorch's `nn.TransformerEncoderLayer`: self-attention and a
/// feed-forward network, each with a residual connection, dropout and layer normalization.
///
/// Post-norm (PyTorch's default): `x = norm1(x + dropout1(selfAttention(x)))`,
/// `x = norm2(x + dropout2(linear2(dropout(activation(linear1(x))))))`. With `normFirst` the norms move in
/// front: `x = x + dropout1(selfAttention(norm1(x)))`, `x = x + dropout2(feedForward(norm2(x)))`.
/// Parameters carry PyTorch's names: `self_attn.in_proj_weight`, `self_attn.in_proj_bias`,
/// `self_attn.out_proj.weight`, `self_attn.out_proj.bias`, `linear1.*`, `linear2.*`, `norm1.*`, `norm2.*`.
///
/// ```swift
/// let encoder = TransformerEncoderLayer(modelDimension: 64, headCount: 4, feedForwardDimension: 128,
///                                       batchFirst: true, seed: 0)
/// let encoded = encoder(Variable(tokens))             // [N, L, 64]
/// ```
public final class TransformerEncoderLayer: Module, Layer {
    /// The activation of the feed-forward network.
    public enum Activation: Sendable, Hashable {
        /// The rectified linear unit (PyTorch's default).
        case relu
        /// The Gaussian error linear unit (exact).
        case gelu
    }

    /// `self_attn`.
    public let selfAttention: MultiHeadAttention
    /// `linear1`: model dimension → feed-forward dimension.
    public let linear1: Linear
    /// `dropout`: inside the feed-forward network.
    public let feedForwardDropout: Dropout
    /// `linear2`: feed-forward dimension → model dimension.
    public let linear2: Linear
    /// `norm1`.
    public let norm1: LayerNorm
    /// `norm2`.
    public let norm2: LayerNorm
    /// `dropout1`: on the attention branch.
    public let attentionDropout: Dropout
    /// `dropout2`: on the feed-forward branch.
    public let outputDropout: Dropout
    /// The feed-forward activation.
    public let activation: Activation
    /// Whether layer normalization comes before each sub-block (pre-norm) instead of after.
    public let normFirst: Bool

    /// Creates an encoder layer with PyTorch's defaults and initialization drawn from `generator`.
    ///
    /// - Parameters:
    ///   - modelDimension: the embedding dimension (`d_model`).
    ///   - headCount: attention heads (divides `modelDimension`).
    ///   - feedForwardDimension: the hidden width of the feed-forward network (PyTorch's 2048).
    ///   - dropout: the dropout probability everywhere (PyTorch's 0.1).
    ///   - activation: `.relu` (default) or `.gelu`.
    ///   - layerNormEpsilon: the layer norms' epsilon (1e-5).
    ///   - batchFirst: whether inputs are `[N, L, E]` instead of `[L, N, E]`.
    ///   - normFirst: pre-norm instead of post-norm.
    ///   - generator: draws the initial weights and seeds the dropout generator(s).
    public init(
        modelDimension: Int, headCount: Int, feedForwardDimension: Int = 2048, dropout: Double = 0.1,
        activation: Activation = .relu, layerNormEpsilon: Double = 1e-5, batchFirst: Bool = false,
        normFirst: Bool = false,
        generator: inout RandomGenerator
    ) {
        precondition(
            feedForwardDimension > 0,
            "TransformerEncoderLayer: feedForwardDimension \(feedForwardDimension) must be positive")
        selfAttention = MultiHeadAttention(
            embeddingDimension: modelDimension, headCount: headCount, dropout: dropout, batchFirst: batchFirst,
            generator: &generator)
        linear1 = Linear(inputFeatures: modelDimension, outputFeatures: feedForwardDimension, generator: &generator)
        linear2 = Linear(inputFeatures: feedForwardDimension, outputFeatures: modelDimension, generator: &generator)
        norm1 = LayerNorm(normalizedShape: [modelDimension], epsilon: layerNormEpsilon)
        norm2 = LayerNorm(normalizedShape: [modelDimension], epsilon: layerNormEpsilon)
        feedForwardDropout = Dropout(probability: dropout, seed: generator.next())
        attentionDropout = Dropout(probability: dropout, seed: generator.next())
        outputDropout = Dropout(probability: dropout, seed: generator.next())
        self.activation = activation
        self.normFirst = normFirst
        super.init()
    }

    /// Creates an encoder layer with PyTorch's defaults and initialization, seeded with `seed`.
    public convenience init(
        modelDimension: Int, headCount: Int, feedForwardDimension: Int = 2048, dropout: Double = 0.1,
        activation: Activation = .relu, layerNormEpsilon: Double = 1e-5, batchFirst: Bool = false,
        normFirst: Bool = false,
        seed: UInt64 = 0
    ) {
        var generator = RandomGenerator(seed: seed)
        self.init(
            modelDimension: modelDimension, headCount: headCount, feedForwardDimension: feedForwardDimension,
            dropout: dropout, activation: activation, layerNormEpsilon: layerNormEpsilon, batchFirst: batchFirst,
            normFirst: normFirst, generator: &generator)
    }

    /// Encodes `input` without masks.
    public func forward(_ input: Variable) -> Variable { forward(input, attentionMask: nil, keyPaddingMask: nil) }

    /// Encodes `input` with optional masks (see ``MultiHeadAttention``).
    ///
    /// - Parameters:
    ///   - input: `[L, N, E]` (`[N, L, E]` batch-first).
    ///   - attentionMask: `[L, L]` or `[N · heads, L, L]`, bool (true = forbidden) or additive float.
    ///   - keyPaddingMask: `[N, L]`, bool (true = padding) or additive float.
    public func forward(_ input: Variable, attentionMask: Tensor?, keyPaddingMask: Tensor?) -> Variable {
        var x = input
        if normFirst {
            x = x + selfAttentionBlock(norm1(x), attentionMask: attentionMask, keyPaddingMask: keyPaddingMask)
            x = x + feedForwardBlock(norm2(x))
        } else {
            x = norm1(x + selfAttentionBlock(x, attentionMask: attentionMask, keyPaddingMask: keyPaddingMask))
            x = norm2(x + feedForwardBlock(x))
        }
        return x
    }

    /// Encodes `input` with masks, then runs the forward hooks.
    public func callAsFunction(_ input: Variable, attentionMask: Tensor?, keyPaddingMask: Tensor?) -> Variable {
        let output = forward(input, attentionMask: attentionMask, keyPaddingMask: keyPaddingMask)
        for (_, hook) in forwardHooks { hook(self, input, output) }
        return output
    }

    private func selfAttentionBlock(_ x: Variable, attentionMask: Tensor?, keyPaddingMask: Tensor?) -> Variable {
        let attended = selfAttention.attend(
            query: x, key: x, value: x, keyPaddingMask: keyPaddingMask, attentionMask: attentionMask, needWeights: false
        )
        return attentionDropout(attended.output)
    }

    private func feedForwardBlock(_ x: Variable) -> Variable {
        let hidden = linear1(x)
        let activated = activation == .relu ? hidden.relu() : hidden.gelu()
        return outputDropout(linear2(feedForwardDropout(activated)))
    }

    /// Members with PyTorch's names and order.
    public override func namedMembers() -> [(name: String, member: ModuleMember)] {
        [
            ("self_attn", .child(selfAttention)), ("linear1", .child(linear1)), ("dropout", .child(feedForwardDropout)),
            ("linear2", .child(linear2)), ("norm1", .child(norm1)), ("norm2", .child(norm2)),
            ("dropout1", .child(attentionDropout)), ("dropout2", .child(outputDropout)),
        ]
    }
}
