import ForgeAutograd
import ForgeLayers
import ForgeTensor
import Foundation
import Testing

/// Which recurrence a reference computation runs.
enum RecurrentKind { case tanh, relu, lstm, gru }

/// A straightforward per-step recurrence on tensors (float64), written from PyTorch's documented
/// equations: input `[T, B, I]` → outputs `[T, B, H]`, final hidden and cell states per layer.
func referenceRecurrence(
    _ kind: RecurrentKind, input: Tensor, layers: [RecurrentLayerWeights], hidden h0: [Tensor]?, cell c0: [Tensor]?
) -> (output: Tensor, hidden: [Tensor], cell: [Tensor]) {
    let (steps, batch) = (input.shape[0], input.shape[1])
    var sequence = (0..<steps).map { input[$0].converted(to: .float64) }
    var finalHidden: [Tensor] = []
    var finalCell: [Tensor] = []
    for (index, layer) in layers.enumerated() {
        let wih = layer.inputHidden.value.converted(to: .float64)
        let whh = layer.hiddenHidden.value.converted(to: .float64)
        let hiddenSize = whh.shape[1]
        let bih = layer.inputBias?.value.converted(to: .float64) ?? Tensor.zeros(shape: [wih.shape[0]], dtype: .float64)
        let bhh =
            layer.hiddenBias?.value.converted(to: .float64) ?? Tensor.zeros(shape: [wih.shape[0]], dtype: .float64)
        var h = h0?[index] ?? Tensor.zeros(shape: [batch, hiddenSize], dtype: .float64)
        var c = c0?[index] ?? Tensor.zeros(shape: [batch, hiddenSize], dtype: .float64)
        func gate(_ t: Tensor, _ k: Int) -> Tensor { t.narrowed(axis: 1, start: k * hiddenSize, length: hiddenSize) }
        var outputs: [Tensor] = []
        for x in sequence {
            let gx = x.matmul(wih.transposed()) + bih
            let gh = h.matmul(whh.transposed()) + bhh
            switch kind {
            case .tanh: h = (gx + gh).tanh()
            case .relu: h = (gx + gh).relu()
            case .lstm:
                let gates = gx + gh
                let (i, f, g, o) = (
                    gate(gates, 0).sigmoid(), gate(gates, 1).sigmoid(), gate(gates, 2).tanh(), gate(gates, 3).sigmoid()
                )
                c = f * c + i * g
                h = o * c.tanh()
            case .gru:
                let r = (gate(gx, 0) + gate(gh, 0)).sigmoid()
                let z = (gate(gx, 1) + gate(gh, 1)).sigmoid()
                let n = (gate(gx, 2) + r * gate(gh, 2)).tanh()
                h = (1 - z) * n + z * h
            }
            outputs.append(h)
        }
        finalHidden.append(h)
        finalCell.append(c)
        sequence = outputs
    }
    return (Tensor.stacked(sequence, axis: 0), finalHidden, finalCell)
}

@Suite("Recurrent layers")
struct RecurrentTests {
    @Test func parameterNamesShapesAndInitMatchPyTorch() {
        let lstm = LSTM(inputSize: 3, hiddenSize: 4, layerCount: 2, seed: 1)
        let names = lstm.namedParameters().map { "\($0.name) \($0.parameter.shape)" }
        #expect(
            names == [
                "weight_ih_l0 [16, 3]", "weight_hh_l0 [16, 4]", "bias_ih_l0 [16]", "bias_hh_l0 [16]",
                "weight_ih_l1 [16, 4]", "weight_hh_l1 [16, 4]", "bias_ih_l1 [16]", "bias_hh_l1 [16]",
            ])
        #expect(lstm.parameters().allSatisfy { $0.value.abs().max().item(as: Float.self) <= 0.5 })
        let gru = GRU(inputSize: 5, hiddenSize: 2, bias: false, seed: 1)
        #expect(
            gru.namedParameters().map { "\($0.name) \($0.parameter.shape)" } == [
                "weight_ih_l0 [6, 5]", "weight_hh_l0 [6, 2]",
            ])
        let rnn = RNN(inputSize: 2, hiddenSize: 3, layerCount: 3, seed: 1)
        #expect(rnn.namedParameters().map(\.name).last == "bias_hh_l2")
        #expect(rnn.parameterCount() == (3 * 2 + 9 + 6) + 2 * (9 + 9 + 6))
    }

    @Test func oneUnitLSTMMatchesHandComputation() {
        // input 1, hidden 1: gates i, f, g, o each a scalar weight.
        let lstm = LSTM(inputSize: 1, hiddenSize: 1, seed: 0)
        let layer = lstm.layers[0]
        layer.inputHidden.value = Tensor([0.5, -0.3, 0.8, 0.1] as [Float], shape: [4, 1])
        layer.hiddenHidden.value = Tensor([0.2, 0.4, -0.6, 0.7] as [Float], shape: [4, 1])
        layer.inputBias!.value = Tensor([0.1, 0.2, 0.0, -0.1] as [Float])
        layer.hiddenBias!.value = Tensor([0.0, 0.1, 0.05, 0.0] as [Float])
        let xs: [Double] = [1.0, -2.0]
        func sigmoid(_ v: Double) -> Double { 1 / (1 + Foundation.exp(-v)) }
        var (h, c) = (0.0, 0.0)
        for x in xs {
            let i = sigmoid(0.5 * x + 0.2 * h + 0.1)
            let f = sigmoid(-0.3 * x + 0.4 * h + 0.3)
            let g = Foundation.tanh(0.8 * x - 0.6 * h + 0.05)
            let o = sigmoid(0.1 * x + 0.7 * h - 0.1)
            c = f * c + i * g
            h = o * Foundation.tanh(c)
        }
        let result = lstm(Variable(Tensor(xs.map { Float($0) }, shape: [2, 1, 1])))
        #expect(Swift.abs(result.hidden.value.item(as: Float.self) - Float(h)) < 1e-6)
        #expect(Swift.abs(result.cell.value.item(as: Float.self) - Float(c)) < 1e-6)
        #expect(result.output.shape == [2, 1, 1])
    }

    @Test func oneUnitGRUAppliesResetInsideTheHiddenTerm() {
        let gru = GRU(inputSize: 1, hiddenSize: 1, seed: 0)
        let layer = gru.layers[0]
        layer.inputHidden.value = Tensor([0.5, -0.3, 0.8] as [Float], shape: [3, 1])
        layer.hiddenHidden.value = Tensor([0.2, 0.4, -0.6] as [Float], shape: [3, 1])
        layer.inputBias!.value = Tensor([0.1, 0.2, 0.3] as [Float])
        layer.hiddenBias!.value = Tensor([0.0, 0.1, 0.25] as [Float])
        func sigmoid(_ v: Double) -> Double { 1 / (1 + Foundation.exp(-v)) }
        var h = 0.4
        for x in [1.5, -0.5, 0.25] {
            let r = sigmoid(0.5 * x + 0.1 + 0.2 * h)
            let z = sigmoid(-0.3 * x + 0.2 + 0.4 * h + 0.1)
            let n = Foundation.tanh(0.8 * x + 0.3 + r * (-0.6 * h + 0.25))
            h = (1 - z) * n + z * h
        }
        let result = gru(
            Variable(Tensor([1.5, -0.5, 0.25] as [Float], shape: [3, 1])),
            initialHidden: Variable(Tensor([0.4] as [Float], shape: [1, 1])))
        #expect(result.output.shape == [3, 1])  // unbatched
        #expect(Swift.abs(result.hidden.value.item(as: Float.self) - Float(h)) < 1e-6)
    }

    @Test(arguments: [RecurrentKind.tanh, .relu, .lstm, .gru])
    func stackedLayersMatchReferenceWithInitialStates(kind: RecurrentKind) {
        let input = randomNormal([5, 3, 4], seed: 10)
        let h0 = randomNormal([2, 3, 6], seed: 11)
        let c0 = randomNormal([2, 3, 6], seed: 12)
        let (output, hidden, cell, layers) = run(kind, input: input, h0: h0, c0: c0, batchFirst: false)
        let reference = referenceRecurrence(
            kind, input: input, layers: layers, hidden: [h0[0], h0[1]], cell: [c0[0], c0[1]])
        #expect(close(output, reference.output, tolerance: 1e-5))
        #expect(close(hidden, Tensor.stacked(reference.hidden, axis: 0), tolerance: 1e-5))
        if let cell { #expect(close(cell, Tensor.stacked(reference.cell, axis: 0), tolerance: 1e-5)) }
    }

    @Test(arguments: [RecurrentKind.tanh, .lstm, .gru])
    func batchFirstIsTheTransposedLayout(kind: RecurrentKind) {
        let input = randomNormal([5, 3, 4], seed: 20)
        let sequenceFirst = run(kind, input: input, h0: nil, c0: nil, batchFirst: false)
        let batchFirst = run(kind, input: input.transposed(0, 1).contiguous(), h0: nil, c0: nil, batchFirst: true)
        #expect(batchFirst.output.shape == [3, 5, 6])
        #expect(close(batchFirst.output, sequenceFirst.output.transposed(0, 1), tolerance: 1e-6))
        #expect(close(batchFirst.hidden, sequenceFirst.hidden, tolerance: 1e-6))
    }

    /// Runs a two-layer network of `kind` (input 4, hidden 6, seed 3) and returns float64 results.
    func run(
        _ kind: RecurrentKind, input: Tensor, h0: Tensor?, c0: Tensor?, batchFirst: Bool
    ) -> (output: Tensor, hidden: Tensor, cell: Tensor?, layers: [RecurrentLayerWeights]) {
        let x = Variable(input.converted(to: .float32))
        let hidden = h0.map { Variable($0.converted(to: .float32)) }
        switch kind {
        case .tanh, .relu:
            let rnn = RNN(
                inputSize: 4, hiddenSize: 6, layerCount: 2, nonlinearity: kind == .tanh ? .tanh : .relu,
                batchFirst: batchFirst, seed: 3)
            let result = rnn(x, initialHidden: hidden)
            return (result.output.value, result.hidden.value, nil, rnn.layers)
        case .lstm:
            let lstm = LSTM(inputSize: 4, hiddenSize: 6, layerCount: 2, batchFirst: batchFirst, seed: 3)
            let state = hidden.map { ($0, Variable(c0!.converted(to: .float32))) }
            let result = lstm(x, initialState: state)
            return (result.output.value, result.hidden.value, result.cell.value, lstm.layers)
        case .gru:
            let gru = GRU(inputSize: 4, hiddenSize: 6, layerCount: 2, batchFirst: batchFirst, seed: 3)
            let result = gru(x, initialHidden: hidden)
            return (result.output.value, result.hidden.value, nil, gru.layers)
        }
    }

    @Test(arguments: [RecurrentKind.tanh, .relu, .lstm, .gru])
    func gradientsPassGradientCheck(kind: RecurrentKind) {
        let input = randomNormal([3, 2, 3], seed: 30)
        // The RNN runs batch-first on [B = 3, T = 2, 3]; the others sequence-first on [T = 3, B = 2, 3].
        let h0 = randomNormal(kind == .tanh || kind == .relu ? [2, 3, 2] : [2, 2, 2], seed: 31, scale: 0.5)
        let c0 = randomNormal([2, 2, 2], seed: 32, scale: 0.5)
        let module: Module
        let function: ([Variable]) -> Variable
        switch kind {
        case .tanh, .relu:
            let rnn = RNN(
                inputSize: 3, hiddenSize: 2, layerCount: 2, nonlinearity: kind == .tanh ? .tanh : .relu,
                batchFirst: true, seed: 5)
            module = rnn
            function = { v in
                let result = rnn(v[0], initialHidden: v[1])
                return Variable.concatenated([result.output.reshaped([-1]), result.hidden.reshaped([-1])])
            }
        case .lstm:
            let lstm = LSTM(inputSize: 3, hiddenSize: 2, layerCount: 2, seed: 5)
            module = lstm
            function = { v in
                let result = lstm(v[0], initialState: (v[1], v[2]))
                return Variable.concatenated([
                    result.output.reshaped([-1]), result.hidden.reshaped([-1]), result.cell.reshaped([-1]),
                ])
            }
        case .gru:
            let gru = GRU(inputSize: 3, hiddenSize: 2, layerCount: 2, seed: 5)
            module = gru
            function = { v in
                let result = gru(v[0], initialHidden: v[1])
                return Variable.concatenated([result.output.reshaped([-1]), result.hidden.reshaped([-1])])
            }
        }
        convertToDouble(module)
        let inputs = kind == .lstm ? [input, h0, c0] : [input, h0]
        let inputCheck = gradientCheck(inputs: inputs, function)
        #expect(inputCheck.passed, "\(kind) inputs: \(inputCheck)")
        let parameterCheck = parameterGradientCheck(module, inputs: inputs, function)
        #expect(parameterCheck.firstMismatch == nil, "\(kind) parameters: \(parameterCheck)")
    }

    @Test func lstmDropoutBetweenLayersIsSeededAndOffInEvaluation() {
        let x = Variable(randomNormal([4, 2, 3], seed: 40).converted(to: .float32))
        let a = LSTM(inputSize: 3, hiddenSize: 5, layerCount: 2, dropout: 0.5, seed: 9)
        let b = LSTM(inputSize: 3, hiddenSize: 5, layerCount: 2, dropout: 0.5, seed: 9)
        #expect(a(x).output.value == b(x).output.value)
        a.eval()
        let reference = referenceRecurrence(.lstm, input: x.value, layers: a.layers, hidden: nil, cell: nil)
        #expect(close(a(x).output.value, reference.output, tolerance: 1e-5))
    }

    @Test("a wrong input size traps naming the layer and shapes")
    func inputSizeMismatchTraps() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = LSTM(inputSize: 4, hiddenSize: 2)(Variable(Tensor.zeros(shape: [5, 2, 3])))
        }
        let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(message.contains("LSTM: input [5, 2, 3] must be [T, B, 4], [B, T, 4] (batch-first) or [T, 4]"))
    }
}

@Suite("Recurrent layers on long sequences")
struct LongSequenceTests {
    @Test func aLongSequenceRunsBackwardAndFreesItsGraph() throws {
        let gru = GRU(inputSize: 2, hiddenSize: 3, seed: 1)
        let x = Variable(randomNormal([3_000, 1, 2], seed: 2).converted(to: .float32), requiresGradient: true)
        do {
            let result = gru(x)
            try result.hidden.sum().backward()
        }
        #expect(x.gradient?.shape == [3_000, 1, 2])
        #expect(gru.layers[0].hiddenHidden.gradient?.isFinite().scalars(as: Bool.self).allSatisfy { $0 } == true)
    }
}

@Suite("Recurrent gradients across backward passes")
struct RepeatedBackwardTests {
    @Test func secondBackwardOnTheSameGraphDoublesTheGradients() throws {
        let lstm = LSTM(inputSize: 3, hiddenSize: 4, layerCount: 2, seed: 1)
        let x = Variable(randomNormal([5, 2, 3], seed: 2).converted(to: .float32), requiresGradient: true)
        let loss = lstm(x).output.squared().sum()
        try loss.backward(retainingGraph: true)
        let once = lstm.layers[0].inputHidden.gradient!
        let inputOnce = x.gradient!
        try loss.backward()
        #expect(close(lstm.layers[0].inputHidden.gradient!, once * 2, tolerance: 1e-5))
        #expect(close(x.gradient!, inputOnce * 2, tolerance: 1e-5))
    }
}

/// Reverses a `[T, ...]` tensor along time.
func reversedInTime(_ t: Tensor) -> Tensor {
    Tensor.stacked((0..<t.shape[0]).reversed().map { t[$0] }, axis: 0)
}

/// A bidirectional stack from the one-direction reference: each layer runs forward over its input and
/// backward over the reversed input, and the next layer reads both outputs side by side.
func referenceBidirectional(
    _ kind: RecurrentKind, input: Tensor, layers: [RecurrentLayerWeights]
) -> (output: Tensor, hidden: Tensor, cell: Tensor) {
    var sequence = input.converted(to: .float64)
    var hidden: [Tensor] = []
    var cell: [Tensor] = []
    for layer in 0..<(layers.count / 2) {
        let forward = referenceRecurrence(kind, input: sequence, layers: [layers[2 * layer]], hidden: nil, cell: nil)
        let backward = referenceRecurrence(
            kind, input: reversedInTime(sequence), layers: [layers[2 * layer + 1]], hidden: nil, cell: nil)
        sequence = Tensor.concatenated([forward.output, reversedInTime(backward.output)], axis: 2)
        hidden += [forward.hidden[0], backward.hidden[0]]
        cell += [forward.cell[0], backward.cell[0]]
    }
    return (sequence, Tensor.stacked(hidden, axis: 0), Tensor.stacked(cell, axis: 0))
}

@Suite("Bidirectional recurrent layers")
struct BidirectionalTests {
    @Test func namesAndShapesMatchPyTorch() {
        let lstm = LSTM(inputSize: 3, hiddenSize: 4, layerCount: 2, bidirectional: true, seed: 1)
        #expect(
            lstm.namedParameters().map { "\($0.name) \($0.parameter.shape)" } == [
                "weight_ih_l0 [16, 3]", "weight_hh_l0 [16, 4]", "bias_ih_l0 [16]", "bias_hh_l0 [16]",
                "weight_ih_l0_reverse [16, 3]", "weight_hh_l0_reverse [16, 4]", "bias_ih_l0_reverse [16]",
                "bias_hh_l0_reverse [16]",
                "weight_ih_l1 [16, 8]", "weight_hh_l1 [16, 4]", "bias_ih_l1 [16]", "bias_hh_l1 [16]",
                "weight_ih_l1_reverse [16, 8]", "weight_hh_l1_reverse [16, 4]", "bias_ih_l1_reverse [16]",
                "bias_hh_l1_reverse [16]",
            ])
        #expect(lstm.layerCount == 2 && lstm.directions == 2)
    }

    @Test(arguments: [RecurrentKind.tanh, .lstm, .gru])
    func stackedBidirectionalLayersMatchReference(kind: RecurrentKind) {
        let input = randomNormal([4, 2, 3], seed: 50)
        let x = Variable(input.converted(to: .float32))
        let output: Tensor
        let hidden: Tensor
        var cell: Tensor?
        let layers: [RecurrentLayerWeights]
        switch kind {
        case .lstm:
            let lstm = LSTM(inputSize: 3, hiddenSize: 5, layerCount: 2, bidirectional: true, seed: 6)
            let result = lstm(x)
            (output, hidden, cell, layers) = (result.output.value, result.hidden.value, result.cell.value, lstm.layers)
        case .gru:
            let gru = GRU(inputSize: 3, hiddenSize: 5, layerCount: 2, bidirectional: true, seed: 6)
            let result = gru(x)
            (output, hidden, layers) = (result.output.value, result.hidden.value, gru.layers)
        case .tanh, .relu:
            let rnn = RNN(inputSize: 3, hiddenSize: 5, layerCount: 2, bidirectional: true, seed: 6)
            let result = rnn(x)
            (output, hidden, layers) = (result.output.value, result.hidden.value, rnn.layers)
        }
        let reference = referenceBidirectional(kind, input: input, layers: layers)
        #expect(output.shape == [4, 2, 10] && hidden.shape == [4, 2, 5])
        #expect(close(output, reference.output, tolerance: 1e-5))
        #expect(close(hidden, reference.hidden, tolerance: 1e-5))
        if let cell { #expect(close(cell, reference.cell, tolerance: 1e-5)) }
    }

    @Test func bidirectionalLSTMPassesGradientCheck() {
        let lstm = LSTM(inputSize: 2, hiddenSize: 2, layerCount: 2, batchFirst: true, bidirectional: true, seed: 8)
        convertToDouble(lstm)
        let inputs = [
            randomNormal([2, 3, 2], seed: 51), randomNormal([4, 2, 2], seed: 52), randomNormal([4, 2, 2], seed: 53),
        ]
        let function: ([Variable]) -> Variable = { v in
            let result = lstm(v[0], initialState: (v[1], v[2]))
            return Variable.concatenated([
                result.output.reshaped([-1]), result.hidden.reshaped([-1]), result.cell.reshaped([-1]),
            ])
        }
        let inputCheck = gradientCheck(inputs: inputs, function)
        #expect(inputCheck.passed, "\(inputCheck)")
        let parameterCheck = parameterGradientCheck(lstm, inputs: inputs, function)
        #expect(parameterCheck.firstMismatch == nil, "\(parameterCheck)")
    }
}

@Suite("LSTM gradients through one of the states")
struct LSTMStateGradientTests {
    @Test func onlyTheFinalCellOrOnlyTheFinalHiddenStatePassGradientCheck() {
        let lstm = LSTM(inputSize: 2, hiddenSize: 3, seed: 4)
        convertToDouble(lstm)
        let input = [randomNormal([3, 2, 2], seed: 60)]
        let cellOnly = gradientCheck(inputs: input) { v in lstm(v[0]).cell }
        #expect(cellOnly.passed, "\(cellOnly)")
        let hiddenOnly = gradientCheck(inputs: input) { v in lstm(v[0]).hidden }
        #expect(hiddenOnly.passed, "\(hiddenOnly)")
        let parameters = parameterGradientCheck(lstm, inputs: input) { v in lstm(v[0]).cell }
        #expect(parameters.firstMismatch == nil, "\(parameters)")
    }
}
