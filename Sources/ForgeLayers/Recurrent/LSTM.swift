public import ForgeAutograd
public import ForgeTensor

/// The result of an ``LSTM``: the top layer's output at every step and the final hidden and cell states
/// of every layer.
public struct LSTMOutput {
    /// `[T, B, D·H]` (`[B, T, D·H]` when batch-first, `[T, D·H]` for an unbatched input), `D` = 2 when
    /// bidirectional, 1 otherwise.
    public let output: Variable
    /// `[layers · directions, B, H]` (`[layers · directions, H]` for an unbatched input).
    public let hidden: Variable
    /// `[layers · directions, B, H]` (`[layers · directions, H]` for an unbatched input).
    public let cell: Variable
}

/// A long short-term memory network, PyTorch's `nn.LSTM`, with its `i, f, g, o` gate order:
/// `c' = σ(f) ⊙ c + σ(i) ⊙ tanh(g)`, `h' = σ(o) ⊙ tanh(c')`.
///
/// Parameters carry PyTorch's names and shapes (`weight_ih_l0` `[4·hidden, input]`, `weight_hh_l0`
/// `[4·hidden, hidden]`, `bias_ih_l0`, `bias_hh_l0`, …) and initialization (uniform in `±1/√hidden`).
/// Each step costs one GEMM (`h · W_hhᵀ`) and one fused element-wise operation; the input projection of
/// the whole sequence is a single GEMM.
///
/// ```swift
/// let lstm = LSTM(inputSize: 8, hiddenSize: 64, batchFirst: true, seed: 0)
/// let result = lstm(Variable(rows))                  // rows: [B, 8, 8]
/// let logits = classifier(result.hidden[0])         // last hidden state of layer 0: [B, 64]
/// ```
public final class LSTM: Module, Layer {
    /// The number of features of each input step.
    public let inputSize: Int
    /// The number of features of the hidden and cell states.
    public let hiddenSize: Int
    /// Whether inputs and outputs are `[B, T, ·]` instead of `[T, B, ·]`.
    public let batchFirst: Bool
    /// The dropout probability applied to the outputs of every layer but the last, in training.
    public let dropout: Double
    /// Whether each layer also reads the sequence backwards (outputs `2 · hiddenSize` features).
    public let bidirectional: Bool
    /// The weights of each layer and direction, in PyTorch's order (layer 0, layer 0 reverse, layer 1, …).
    public let layers: [RecurrentLayerWeights]
    /// The generator of the dropout masks between layers.
    public var generator: RandomGenerator

    /// The number of stacked layers.
    public var layerCount: Int { layers.count / directions }

    /// 2 when bidirectional, 1 otherwise.
    public var directions: Int { bidirectional ? 2 : 1 }

    /// Creates an LSTM with PyTorch's initialization drawn from `generator`.
    ///
    /// - Parameters:
    ///   - inputSize: features of each input step.
    ///   - hiddenSize: features of the hidden and cell states.
    ///   - layerCount: stacked layers.
    ///   - bias: whether the layers have biases.
    ///   - batchFirst: whether inputs and outputs are `[B, T, ·]`.
    ///   - dropout: dropout probability between layers in training.
    ///   - bidirectional: whether each layer also reads the sequence backwards.
    ///   - generator: draws the initial weights and seeds the dropout generator(s).
    public init(
        inputSize: Int, hiddenSize: Int, layerCount: Int = 1, bias: Bool = true, batchFirst: Bool = false,
        dropout: Double = 0, bidirectional: Bool = false, generator: inout RandomGenerator
    ) {
        precondition(
            inputSize > 0 && hiddenSize > 0 && layerCount > 0,
            "LSTM: sizes must be positive, got inputSize \(inputSize), hiddenSize \(hiddenSize), layerCount \(layerCount)"
        )
        precondition((0...1).contains(dropout), "LSTM: dropout \(dropout) is outside [0, 1]")
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        self.batchFirst = batchFirst
        self.dropout = dropout
        self.bidirectional = bidirectional
        layers = RecurrentLayerWeights.stack(
            gates: 4, inputSize: inputSize, hiddenSize: hiddenSize, layerCount: layerCount,
            directions: bidirectional ? 2 : 1, bias: bias, generator: &generator)
        self.generator = RandomGenerator(seed: generator.next())
        super.init()
    }

    /// Creates an LSTM with PyTorch's initialization, seeded with `seed`.
    public convenience init(
        inputSize: Int, hiddenSize: Int, layerCount: Int = 1, bias: Bool = true, batchFirst: Bool = false,
        dropout: Double = 0, bidirectional: Bool = false, seed: UInt64 = 0
    ) {
        var generator = RandomGenerator(seed: seed)
        self.init(
            inputSize: inputSize, hiddenSize: hiddenSize, layerCount: layerCount, bias: bias, batchFirst: batchFirst,
            dropout: dropout, bidirectional: bidirectional, generator: &generator)
    }

    /// Runs the network from zero initial states.
    public func forward(_ input: Variable) -> LSTMOutput { forward(input, initialState: nil) }

    /// Runs the network from `initialState` (hidden and cell, each `[layers · directions, B, H]`; zeros when nil).
    public func forward(_ input: Variable, initialState: (hidden: Variable, cell: Variable)?) -> LSTMOutput {
        let layout = RecurrentInputLayout(operation: "LSTM", input: input, inputSize: inputSize, batchFirst: batchFirst)
        let count = layers.count
        let initialHidden = layout.initialStates(
            "LSTM", initialState?.hidden, layers: count, hidden: hiddenSize,
            dtype: RecurrentInputLayout.stateDType(input: input, weights: layers))
        var cells = layout.initialStates(
            "LSTM", initialState?.cell, layers: count, hidden: hiddenSize,
            dtype: RecurrentInputLayout.stateDType(input: input, weights: layers))
        let layers = self.layers
        let result = runRecurrentLayers(
            layout.sequenceFirst(input), weights: layers, directions: directions, dropout: dropout,
            training: isTraining,
            generator: &generator, initialHidden: initialHidden
        ) { layer, input, time, state in
            let weights = layers[layer]
            let hiddenGates = Variable.linear(state, weight: weights.hiddenHidden, bias: weights.hiddenBias)
            let next = RecurrentCell.lstm(
                input: input, time: time, hiddenGates: hiddenGates, previousCell: cells[layer])
            cells[layer] = next.cell
            return next.hidden
        }
        return LSTMOutput(
            output: layout.restored(result.output), hidden: layout.stackedStates(result.finalHidden),
            cell: layout.stackedStates(cells))
    }

    /// Runs the network from `initialState`, then the forward hooks.
    public func callAsFunction(_ input: Variable, initialState: (hidden: Variable, cell: Variable)?) -> LSTMOutput {
        let output = forward(input, initialState: initialState)
        for (_, hook) in forwardHooks { hook(self, input, output) }
        return output
    }

    /// Parameters with PyTorch's names, layer by layer.
    public override func namedMembers() -> [(name: String, member: ModuleMember)] {
        RecurrentLayerWeights.namedMembers(of: layers, directions: directions)
    }
}
