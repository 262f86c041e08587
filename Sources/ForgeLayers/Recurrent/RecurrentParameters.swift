public import ForgeAutograd
import ForgeTensor

/// The weights of one layer of a recurrent network, with PyTorch's shapes: `inputHidden`
/// `[gates · hidden, input]`, `hiddenHidden` `[gates · hidden, hidden]`, biases `[gates · hidden]`.
public struct RecurrentLayerWeights {
    /// `weight_ih_lk`: applied to the layer's input.
    public let inputHidden: Variable
    /// `weight_hh_lk`: applied to the previous hidden state.
    public let hiddenHidden: Variable
    /// `bias_ih_lk`, or nil without biases.
    public let inputBias: Variable?
    /// `bias_hh_lk`, or nil without biases.
    public let hiddenBias: Variable?

    /// Draws the weights of layer `layer` uniformly in `±1/√hidden`, as PyTorch's `reset_parameters`,
    /// in PyTorch's parameter order.
    init(gates: Int, inputSize: Int, hiddenSize: Int, bias: Bool, generator: inout RandomGenerator) {
        let bound = 1 / Double(hiddenSize).squareRoot()
        func draw(_ shape: [Int]) -> Variable {
            Variable(
                Tensor.uniform(shape: shape, low: -bound, high: bound, generator: &generator), requiresGradient: true)
        }
        inputHidden = draw([gates * hiddenSize, inputSize])
        hiddenHidden = draw([gates * hiddenSize, hiddenSize])
        inputBias = bias ? draw([gates * hiddenSize]) : nil
        hiddenBias = bias ? draw([gates * hiddenSize]) : nil
    }

    /// The layer's parameters with PyTorch's names (`weight_ih_l0`, `weight_hh_l0`, `bias_ih_l0`, `bias_hh_l0`;
    /// `weight_ih_l0_reverse`, … for the reverse direction).
    func namedMembers(layer: Int, reverse: Bool) -> [(name: String, member: ModuleMember)] {
        let suffix = "l\(layer)" + (reverse ? "_reverse" : "")
        var members: [(name: String, member: ModuleMember)] = [
            ("weight_ih_\(suffix)", .parameter(inputHidden)), ("weight_hh_\(suffix)", .parameter(hiddenHidden)),
        ]
        if let inputBias { members.append(("bias_ih_\(suffix)", .parameter(inputBias))) }
        if let hiddenBias { members.append(("bias_hh_\(suffix)", .parameter(hiddenBias))) }
        return members
    }

    /// The weights of a stack of `layerCount` layers with `directions` (1 or 2) directions each, in
    /// PyTorch's order (layer 0, layer 0 reverse, layer 1, …) and initialization order.
    static func stack(
        gates: Int, inputSize: Int, hiddenSize: Int, layerCount: Int, directions: Int, bias: Bool,
        generator: inout RandomGenerator
    ) -> [RecurrentLayerWeights] {
        var layers: [RecurrentLayerWeights] = []
        for layer in 0..<layerCount {
            for _ in 0..<directions {
                layers.append(
                    RecurrentLayerWeights(
                        gates: gates, inputSize: layer == 0 ? inputSize : hiddenSize * directions,
                        hiddenSize: hiddenSize, bias: bias, generator: &generator))
            }
        }
        return layers
    }

    /// The named parameters of a stack built by ``stack(gates:inputSize:hiddenSize:layerCount:directions:bias:generator:)``.
    static func namedMembers(of layers: [RecurrentLayerWeights], directions: Int) -> [(
        name: String, member: ModuleMember
    )] {
        layers.enumerated().flatMap { index, weights in
            weights.namedMembers(layer: index / directions, reverse: index % directions == 1)
        }
    }
}

/// The result of an ``RNN`` or ``GRU``: the top layer's output at every step and the final hidden state
/// of every layer.
public struct RecurrentOutput {
    /// `[T, B, D·H]` (`[B, T, D·H]` when batch-first, `[T, D·H]` for an unbatched input), `D` = 2 when
    /// bidirectional (forward and reverse outputs side by side), 1 otherwise.
    public let output: Variable
    /// `[layers · directions, B, H]` (`[layers · directions, H]` for an unbatched input).
    public let hidden: Variable
}

/// How a recurrent layer reads its input: sequence-first `[T, B, I]`, batch-first `[B, T, I]`, or
/// unbatched `[T, I]`; it works internally on `[T, B, I]`.
struct RecurrentInputLayout {
    let batchFirst: Bool
    let unbatched: Bool
    let steps: Int
    let batch: Int

    /// Checks `input` against `inputSize` and reads its layout.
    init(operation: String, input: Variable, inputSize: Int, batchFirst: Bool) {
        precondition(
            (input.rank == 2 || input.rank == 3) && input.shape[input.rank - 1] == inputSize,
            "\(operation): input \(input.shape) must be [T, B, \(inputSize)], [B, T, \(inputSize)] (batch-first) or [T, \(inputSize)]"
        )
        precondition(input.dtype.isFloatingPoint, "\(operation): input dtype \(input.dtype) is not floating point")
        self.batchFirst = batchFirst
        unbatched = input.rank == 2
        if unbatched {
            (steps, batch) = (input.shape[0], 1)
        } else {
            (steps, batch) = batchFirst ? (input.shape[1], input.shape[0]) : (input.shape[0], input.shape[1])
        }
        precondition(steps > 0, "\(operation): input \(input.shape) has no time steps")
    }

    /// The dtype of the states: float64 when the input or the weights are, float32 otherwise.
    static func stateDType(input: Variable, weights: [RecurrentLayerWeights]) -> DType {
        input.dtype == .float64 || weights.first?.inputHidden.dtype == .float64 ? .float64 : .float32
    }

    /// The input as `[T, B, I]`.
    func sequenceFirst(_ input: Variable) -> Variable {
        if unbatched { return input.unsqueezed(axis: 1) }
        return batchFirst ? input.transposed(0, 1) : input
    }

    /// The stacked outputs `[T, B, H]` in the caller's layout.
    func restored(_ output: Variable) -> Variable {
        if unbatched { return output.squeezed(axis: 1) }
        return batchFirst ? output.transposed(0, 1) : output
    }

    /// The per-layer initial states `[B, H]` from `[layers, B, H]` (`[layers, H]` unbatched), or zeros.
    func initialStates(
        _ operation: String, _ state: Variable?, layers: Int, hidden: Int, dtype: DType
    ) -> [Variable] {
        guard let state else {
            let zeros = Variable(Tensor.zeros(shape: [batch, hidden], dtype: dtype))
            return Array(repeating: zeros, count: layers)
        }
        let expected = unbatched ? [layers, hidden] : [layers, batch, hidden]
        precondition(state.shape == expected, "\(operation): initial state \(state.shape) must be \(expected)")
        let source =
            state.dtype == dtype
            ? state
            : Variable.record("convert", value: state.value.converted(to: dtype), inputs: [state]) { g in
                [g.converted(to: state.dtype)]
            }
        return (0..<layers).map { source.narrowed(axis: 0, start: $0, length: 1).reshaped([batch, hidden]) }
    }

    /// The final states `[B, H]` of every layer as `[layers, B, H]` (`[layers, H]` unbatched).
    func stackedStates(_ states: [Variable]) -> Variable {
        let stacked = Variable.stacked(states, axis: 0)
        return unbatched ? stacked.squeezed(axis: 1) : stacked
    }
}

/// Runs the per-layer loop shared by ``RNN``, ``LSTM`` and ``GRU``: the input projection of the whole
/// sequence in one GEMM, then `step` for every time step (backwards in time for a reverse direction),
/// the directions' outputs joined along the features, with dropout between layers.
///
/// `step(index, projectedSequence, time, hiddenState) -> newHiddenState`, where `index` is the position
/// in `weights` (`layer · directions + direction`); the caller keeps extra state (the LSTM cell).
func runRecurrentLayers(
    _ sequence: Variable, weights: [RecurrentLayerWeights], directions: Int, dropout: Double, training: Bool,
    generator: inout RandomGenerator, initialHidden: [Variable],
    step: (_ index: Int, _ inputGates: SequenceSteps, _ time: Int, _ hidden: Variable) -> Variable
) -> (output: Variable, finalHidden: [Variable]) {
    let (steps, batch) = (sequence.shape[0], sequence.shape[1])
    let layerCount = weights.count / directions
    var layerInput = sequence
    var finalHidden: [Variable] = []
    for layer in 0..<layerCount {
        let features = layerInput.shape[2]
        let flatInput = layerInput.reshaped([steps * batch, features])
        var directionOutputs: [Variable] = []
        for direction in 0..<directions {
            let index = layer * directions + direction
            let weight = weights[index]
            let gateWidth = weight.inputHidden.shape[0]
            let projected = Variable.linear(flatInput, weight: weight.inputHidden, bias: weight.inputBias)
                .reshaped([steps, batch, gateWidth])
            let projectedSteps = SequenceSteps(projected)
            var hidden = initialHidden[index]
            var outputs = [Variable](repeating: hidden, count: steps)
            for position in 0..<steps {
                let time = direction == 0 ? position : steps - 1 - position
                hidden = step(index, projectedSteps, time, hidden)
                outputs[time] = hidden
            }
            finalHidden.append(hidden)
            directionOutputs.append(Variable.stacked(outputs, axis: 0))
        }
        layerInput = directions == 1 ? directionOutputs[0] : Variable.concatenated(directionOutputs, axis: 2)
        if training && dropout > 0 && layer < layerCount - 1 {
            layerInput = layerInput.dropout(probability: dropout, generator: &generator)
        }
    }
    return (layerInput, finalHidden)
}
