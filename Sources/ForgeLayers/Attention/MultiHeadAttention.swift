public import ForgeAutograd
public import ForgeTensor

/// Multi-head scaled dot-product attention, PyTorch's `nn.MultiheadAttention`.
///
/// Queries, keys and values are projected by the packed ``inputProjectionWeight`` (`in_proj_weight`,
/// `[3E, E]`, Xavier-uniform) and ``inputProjectionBias`` (`in_proj_bias`, zeros), split into
/// ``headCount`` heads of `E / heads` features, attended with `softmax(q kᵀ / √d + mask) v`, and
/// projected back by ``outputProjection`` (`out_proj`, bias zeros). Self-attention projects all three in
/// one GEMM.
///
/// ```swift
/// let attention = MultiHeadAttention(embeddingDimension: 64, headCount: 4, batchFirst: true)
/// let y = attention(Variable(tokens))                      // self-attention, [N, L, 64] → [N, L, 64]
/// let (out, weights) = attention(query: q, key: k, value: v, keyPaddingMask: padding)
/// ```
public final class MultiHeadAttention: Module, Layer {
    /// The model dimension `E`.
    public let embeddingDimension: Int
    /// The number of heads; `E` is divisible by it.
    public let headCount: Int
    /// The dropout probability on the attention weights, in training.
    public let dropout: Double
    /// Whether inputs and outputs are `[N, L, E]` instead of `[L, N, E]`.
    public let batchFirst: Bool
    /// `in_proj_weight` `[3E, E]`: the query, key and value projections stacked.
    public let inputProjectionWeight: Variable
    /// `in_proj_bias` `[3E]`, or nil without biases.
    public let inputProjectionBias: Variable?
    /// `out_proj`: `[E, E]` with bias `[E]`.
    public let outputProjection: Linear
    /// The generator of the attention dropout masks.
    public var generator: RandomGenerator

    /// The features of each head, `E / heads`.
    public var headDimension: Int { embeddingDimension / headCount }

    /// Creates the layer with PyTorch's initialization drawn from `generator`.
    ///
    /// - Parameters:
    ///   - embeddingDimension: the model dimension `E`.
    ///   - headCount: the number of heads (divides `E`).
    ///   - dropout: the dropout probability on attention weights.
    ///   - bias: whether the projections have biases.
    ///   - batchFirst: whether inputs and outputs are `[N, L, E]`.
    ///   - generator: draws the initial weights and seeds the dropout generator(s).
    public init(
        embeddingDimension: Int, headCount: Int, dropout: Double = 0, bias: Bool = true, batchFirst: Bool = false,
        generator: inout RandomGenerator
    ) {
        precondition(
            embeddingDimension > 0 && headCount > 0 && embeddingDimension % headCount == 0,
            "MultiHeadAttention: embedding dimension \(embeddingDimension) must be a positive multiple of headCount \(headCount)"
        )
        precondition((0...1).contains(dropout), "MultiHeadAttention: dropout \(dropout) is outside [0, 1]")
        self.embeddingDimension = embeddingDimension
        self.headCount = headCount
        self.dropout = dropout
        self.batchFirst = batchFirst
        outputProjection = Linear(
            inputFeatures: embeddingDimension, outputFeatures: embeddingDimension, bias: bias, generator: &generator)
        outputProjection.bias?.value = Tensor.zeros(shape: [embeddingDimension])
        // Xavier uniform: fan in E, fan out 3E.
        let bound = (6 / Double(4 * embeddingDimension)).squareRoot()
        inputProjectionWeight = Variable(
            Tensor.uniform(
                shape: [3 * embeddingDimension, embeddingDimension], low: -bound, high: bound, generator: &generator),
            requiresGradient: true)
        inputProjectionBias =
            bias ? Variable(Tensor.zeros(shape: [3 * embeddingDimension]), requiresGradient: true) : nil
        self.generator = RandomGenerator(seed: generator.next())
        super.init()
    }

    /// Creates the layer with PyTorch's initialization, seeded with `seed`.
    public convenience init(
        embeddingDimension: Int, headCount: Int, dropout: Double = 0, bias: Bool = true, batchFirst: Bool = false,
        seed: UInt64 = 0
    ) {
        var generator = RandomGenerator(seed: seed)
        self.init(
            embeddingDimension: embeddingDimension, headCount: headCount, dropout: dropout, bias: bias,
            batchFirst: batchFirst, generator: &generator)
    }

    /// Self-attention without masks: `attend(query: input, key: input, value: input).output`.
    public func forward(_ input: Variable) -> Variable {
        attend(query: input, key: input, value: input, needWeights: false).output
    }

    /// Attends, then runs the forward hooks (with the query as input and the output).
    ///
    /// - Parameters:
    ///   - query: `[L, N, E]` (`[N, L, E]` batch-first, `[L, E]` unbatched).
    ///   - key: `[S, N, E]` likewise.
    ///   - value: `[S, N, E]` likewise.
    ///   - keyPaddingMask: `[N, S]`; bool where true marks keys to ignore, or float added to the scores.
    ///   - attentionMask: `[L, S]` or `[N · heads, L, S]`; bool where true forbids attending, or float added.
    ///   - needWeights: whether to return the attention weights.
    ///   - averageWeights: return weights averaged over heads `[N, L, S]` instead of `[N, heads, L, S]`.
    /// - Returns: the output shaped like `query`, and the attention weights when asked for.
    public func callAsFunction(
        query: Variable, key: Variable, value: Variable, keyPaddingMask: Tensor? = nil, attentionMask: Tensor? = nil,
        needWeights: Bool = true, averageWeights: Bool = true
    ) -> (output: Variable, weights: Variable?) {
        let result = attend(
            query: query, key: key, value: value, keyPaddingMask: keyPaddingMask, attentionMask: attentionMask,
            needWeights: needWeights, averageWeights: averageWeights)
        for (_, hook) in forwardHooks { hook(self, query, result.output) }
        return result
    }

    /// The attention computation (see ``callAsFunction(query:key:value:keyPaddingMask:attentionMask:needWeights:averageWeights:)``).
    public func attend(
        query: Variable, key: Variable, value: Variable, keyPaddingMask: Tensor? = nil, attentionMask: Tensor? = nil,
        needWeights: Bool = true, averageWeights: Bool = true
    ) -> (output: Variable, weights: Variable?) {
        let e = embeddingDimension
        for (name, input) in [("query", query), ("key", key), ("value", value)] {
            precondition(
                (input.rank == 3 || input.rank == 2) && input.shape[input.rank - 1] == e && input.rank == query.rank,
                "multiHeadAttention: \(name) \(input.shape) must end in the embedding dimension \(e) and have the rank of query \(query.shape) (3, or 2 unbatched)"
            )
        }
        let unbatched = query.rank == 2
        // Work batch-first: [N, L, E].
        func batchMajor(_ x: Variable) -> Variable {
            unbatched ? x.unsqueezed(axis: 0) : (batchFirst ? x : x.transposed(0, 1))
        }
        let (q, k, v) = (batchMajor(query), batchMajor(key), batchMajor(value))
        let (batch, targetLength, sourceLength) = (q.shape[0], q.shape[1], k.shape[1])
        precondition(
            k.shape[0] == batch && v.shape[0] == batch && v.shape[1] == sourceLength,
            "multiHeadAttention: query \(query.shape), key \(key.shape) and value \(value.shape) disagree on batch or source length"
        )
        let (heads, d) = (headCount, headDimension)
        // [N, L, E] → [N, heads, L, d]
        func split(_ x: Variable, length: Int) -> Variable {
            x.reshaped([batch, length, heads, d]).permuted([0, 2, 1, 3])
        }
        let projectedQuery: Variable
        let projectedKey: Variable
        let projectedValue: Variable
        if query === key && key === value {
            let packed = Variable.linear(
                q.reshaped([batch * targetLength, e]), weight: inputProjectionWeight, bias: inputProjectionBias)
            let parts = packed.reshaped([batch, targetLength, 3, heads, d]).permuted([2, 0, 3, 1, 4])
            (projectedQuery, projectedKey, projectedValue) = (parts[0], parts[1], parts[2])
        } else {
            func project(_ x: Variable, part: Int, length: Int) -> Variable {
                let weight = inputProjectionWeight.narrowed(axis: 0, start: part * e, length: e)
                let bias = inputProjectionBias?.narrowed(axis: 0, start: part * e, length: e)
                return split(
                    Variable.linear(x.reshaped([batch * length, e]), weight: weight, bias: bias), length: length)
            }
            projectedQuery = project(q, part: 0, length: targetLength)
            projectedKey = project(k, part: 1, length: sourceLength)
            projectedValue = project(v, part: 2, length: sourceLength)
        }
        var scores = (projectedQuery * (1 / Double(d).squareRoot())).matmul(projectedKey.transposed())  // [N, h, L, S]
        if let mask = AttentionMask.additive(
            attentionMask: attentionMask, keyPaddingMask: keyPaddingMask, batch: batch, heads: heads,
            targetLength: targetLength, sourceLength: sourceLength, dtype: scores.dtype)
        {
            scores = scores + mask
        }
        var weights = scores.softmax(axis: -1)
        if isTraining && dropout > 0 { weights = weights.dropout(probability: dropout, generator: &generator) }
        let attended = weights.matmul(projectedValue)  // [N, h, L, d]
            .permuted([0, 2, 1, 3]).reshaped([batch * targetLength, e])
        var output = outputProjection(attended).reshaped([batch, targetLength, e])
        output = unbatched ? output.squeezed(axis: 0) : (batchFirst ? output : output.transposed(0, 1))
        guard needWeights else { return (output, nil) }
        var returned = averageWeights ? weights.mean(axis: 1) : weights
        if unbatched { returned = returned.squeezed(axis: 0) }
        return (output, returned)
    }

    /// A boolean causal mask `[length, length]`: true above the diagonal, so position `i` attends only
    /// to positions `0...i` (pass it as `attentionMask`).
    public static func causalMask(length: Int) -> Tensor {
        precondition(length >= 0, "causalMask: length \(length) is negative")
        var values = [Bool](repeating: false, count: length * length)
        for row in 0..<length {
            for column in (row + 1)..<Swift.max(length, row + 1) { values[row * length + column] = true }
        }
        return Tensor(values, shape: [length, length])
    }

    /// Members with PyTorch's names: `in_proj_weight`, `in_proj_bias`, `out_proj`.
    public override func namedMembers() -> [(name: String, member: ModuleMember)] {
        var members: [(name: String, member: ModuleMember)] = [("in_proj_weight", .parameter(inputProjectionWeight))]
        if let inputProjectionBias { members.append(("in_proj_bias", .parameter(inputProjectionBias))) }
        members.append(("out_proj", .child(outputProjection)))
        return members
    }
}
