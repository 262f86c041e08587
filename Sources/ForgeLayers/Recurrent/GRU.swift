public import ForgeAutograd
public import ForgeTensor

/// A gated recurrent unit network, PyTorch's `nn.GRU`, with its `r, z, n` gate order:
/// `r = σ(W_ir x + b_ir + W_hr h + b_hr)`, `z = σ(W_iz x + b_iz + W_hz h + b_hz)`,
/// `n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))`, `h' = (1 − z) ⊙ n + z ⊙ h`.
///
/// Parameters carry PyTorch's names and shapes (`weight_ih_l0` `[3·hidden, input]`, `weight_hh_l0`
/// `[3·hidden, hidden]`, `bias_ih_l0`, `bias_hh_l0`, …) and initialization (uniform in `±1/√hidden`).
///
/// ```swift
/// let gru = GRU(inputSize: 8, hiddenSize: 32, batchFirst: true)
/// let result = gru(Variable(batch))        // output [B, T, 32], hidden [1, B, 32]
/// ```
public final class GRU: Module, Layer {
    /// The number of features of each input step.
    public let inputSize: Int
    /// The number of features of the hidden state.
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

    /// Creates a GRU with PyTorch's initialization drawn from `generator`.
    ///
    /// - Parameters:
    ///   - inputSize: features of each input step.
    ///   - hiddenSize: features of the hidden state.
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
            "GRU: sizes must be positive, got inputSize \(inputSize), hiddenSize \(hiddenSize), layerCount \(layerCount)"
        )
        precondition((0...1).contains(dropout), "GRU: dropout \(dropout) is outside [0, 1]")
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        self.batchFirst = batchFirst
        self.dropout = dropout
        self.bidirectional = bidirectional
        layers = RecurrentLayerWeights.stack(
            gates: 3, inputSize: inputSize, hiddenSize: hiddenSize, layerCount: layerCount,
            directions: bidirectional ? 2 : 1, bias: bias, generator: &generator)
        self.generator = RandomGenerator(seed: generator.next())
        super.init()
    }

    /// Creates a GRU with PyTorch's initialization, seeded with `seed`.
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
    public func forward(_ input: Variable) -> RecurrentOutput { forward(input, initialHidden: nil) }

    /// Runs the network from `initialHidden` `[layers · directions, B, H]` (zeros when nil).
    public func forward(_ input: Variable, initialHidden: Variable?) -> RecurrentOutput {
        let layout = RecurrentInputLayout(operation: "GRU", input: input, inputSize: inputSize, batchFirst: batchFirst)
        let initial = layout.initialStates(
            "GRU", initialHidden, layers: layers.count, hidden: hiddenSize,
            dtype: RecurrentInputLayout.stateDType(input: input, weights: layers))
        let layers = self.layers
        let result = runRecurrentLayers(
            layout.sequenceFirst(input), weights: layers, directions: directions, dropout: dropout,
            training: isTraining,
            generator: &generator, initialHidden: initial
        ) { layer, input, time, state in
            let weights = layers[layer]
            let hiddenGates = Variable.linear(state, weight: weights.hiddenHidden, bias: weights.hiddenBias)
            return RecurrentCell.gru(input: input, time: time, hiddenGates: hiddenGates, previousHidden: state)
        }
        return RecurrentOutput(output: layout.restored(result.output), hidden: layout.stackedStates(result.finalHidden))
    }

    /// Runs the network from `initialHidden`, then the forward hooks.
    public func callAsFunction(_ input: Variable, initialHidden: Variable?) -> RecurrentOutput {
        let output = forward(input, initialHidden: initialHidden)
        for (_, hook) in forwardHooks { hook(self, input, output) }
        return output
    }

    /// Parameters with PyTorch's names, layer by layer.
    public override func namedMembers() -> [(name: String, member: ModuleMember)] {
        RecurrentLayerWeights.namedMembers(of: layers, directions: directions)
    }
}
