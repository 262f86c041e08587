import ForgeAutograd
import ForgeTensor

/// The element-wise parts of one LSTM or GRU time step as fused recorded operations: the gate
/// pre-activations come from two GEMMs (the input part precomputed for the whole sequence, the hidden
/// part per step); everything after them is one loop forward and one loop backward.
enum RecurrentCell {
    /// One LSTM step: `i, f, g, o` gates (PyTorch's order) → the new hidden and cell states `[B, H]`.
    ///
    /// - Parameters:
    ///   - input: the projected sequence `x · W_ihᵀ + b_ih` `[T, B, 4H]`; step `time` is used.
    ///   - hiddenGates: `h · W_hhᵀ + b_hh`, `[B, 4H]`.
    ///   - previousCell: `[B, H]`.
    static func lstm(
        input: SequenceSteps, time: Int, hiddenGates: Variable, previousCell: Variable
    ) -> (hidden: Variable, cell: Variable) {
        let (batch, hidden) = (previousCell.shape[0], previousCell.shape[1])
        let inputGates = input.slice(time)
        checkTypes("LSTM", inputGates, hiddenGates.value, previousCell.value)
        let forward =
            previousCell.dtype == .float64
            ? lstmForward(Double.self, inputGates, hiddenGates.value, previousCell.value, batch: batch, hidden: hidden)
            : lstmForward(Float.self, inputGates, hiddenGates.value, previousCell.value, batch: batch, hidden: hidden)
        let (gates, tanhCell) = (forward.gates, forward.tanhCell)
        let previous = previousCell.value
        let (accumulator, anchorGradient) = (input.accumulator, input.anchorGradient)
        // h' = o ⊙ tanh(c') is recorded as a function of the new cell c' alone; its backward hands the
        // gradient of the output gate over through `outputGate`, and the cell's backward — which runs
        // after it, the cell being its input — computes every gate's gradient in one pass.
        let outputGate = OutputGateGradient()
        let cell = Variable.record(
            "lstmCell", value: forward.cell, inputs: [input.anchor, hiddenGates, previousCell]
        ) { g in
            let result =
                previous.dtype == .float64
                ? lstmBackward(Double.self, g, outputGate.take(), gates, previous, batch: batch, hidden: hidden)
                : lstmBackward(Float.self, g, outputGate.take(), gates, previous, batch: batch, hidden: hidden)
            accumulator.add(result.gates, time: time)
            return [anchorGradient, result.gates, result.previousCell]
        }
        let hiddenState = Variable.record("lstmCell.hidden", value: forward.hidden, inputs: [cell]) { g in
            let result =
                previous.dtype == .float64
                ? lstmHiddenBackward(Double.self, g, gates, tanhCell, batch: batch, hidden: hidden)
                : lstmHiddenBackward(Float.self, g, gates, tanhCell, batch: batch, hidden: hidden)
            outputGate.add(result.outputGate)
            return [result.cell]
        }
        return (hiddenState, cell)
    }

    /// The gradient of an LSTM step's output-gate pre-activation, passed from the hidden state's backward
    /// to the cell's. Holds a tensor only (no variables), as vector-Jacobian products must.
    final class OutputGateGradient {
        private var gradient: Tensor?

        /// Adds a gradient `[B, H]`.
        func add(_ value: Tensor) { gradient = gradient.map { $0 + value } ?? value }

        /// The gradient so far (nil when the hidden state got none), resetting for the next backward pass.
        func take() -> Tensor? {
            defer { gradient = nil }
            return gradient
        }
    }

    /// One Elman step: `h' = act(gx_t + h · W_hhᵀ + b_hh)` with `tanh` or `relu`.
    static func simple(input: SequenceSteps, time: Int, hiddenGates: Variable, relu: Bool) -> Variable {
        let inputGates = input.slice(time)
        checkTypes("RNN", inputGates, hiddenGates.value, hiddenGates.value)
        let sum = inputGates + hiddenGates.value
        let output = relu ? sum.relu() : sum.tanh()
        let (accumulator, anchorGradient) = (input.accumulator, input.anchorGradient)
        return Variable.record("rnnCell", value: output, inputs: [input.anchor, hiddenGates]) { g in
            let gradient =
                relu ? Tensor.reluGradient(g, input: sum) : Tensor.tanhGradient(g, output: output)
            accumulator.add(gradient, time: time)
            return [anchorGradient, gradient]
        }
    }

    /// Traps unless the step's operands share one floating-point dtype.
    private static func checkTypes(_ operation: String, _ a: Tensor, _ b: Tensor, _ c: Tensor) {
        precondition(
            a.dtype == b.dtype && b.dtype == c.dtype && a.dtype.isFloatingPoint,
            "\(operation): step operands have dtypes \(a.dtype), \(b.dtype), \(c.dtype); inputs, states and weights must share one"
        )
    }

    /// Activated gates `[B, 4H]`, the new cell, `tanh(cell)` and the new hidden state.
    private static func lstmForward<T: TensorFloatingPoint>(
        _: T.Type, _ inputGates: Tensor, _ hiddenGates: Tensor, _ previousCell: Tensor, batch: Int, hidden: Int
    ) -> (gates: Tensor, cell: Tensor, tanhCell: Tensor, hidden: Tensor) {
        var gates = Tensor.zeros(shape: [batch, 4 * hidden], dtype: T.dtype)
        var cell = Tensor.zeros(shape: [batch, hidden], dtype: T.dtype)
        var tanhCell = Tensor.zeros(shape: [batch, hidden], dtype: T.dtype)
        var output = Tensor.zeros(shape: [batch, hidden], dtype: T.dtype)
        inputGates.withUnsafeBufferPointer(as: T.self) { gx in
            hiddenGates.withUnsafeBufferPointer(as: T.self) { gh in
                previousCell.withUnsafeBufferPointer(as: T.self) { cp in
                    gates.withUnsafeMutableBufferPointer(as: T.self) { a in
                        cell.withUnsafeMutableBufferPointer(as: T.self) { c in
                            tanhCell.withUnsafeMutableBufferPointer(as: T.self) { tc in
                                output.withUnsafeMutableBufferPointer(as: T.self) { h in
                                    for b in 0..<batch {
                                        let row = b * 4 * hidden
                                        for j in 0..<(4 * hidden) {
                                            let z = gx[row + j] + gh[row + j]
                                            a[row + j] =
                                                (j >= 2 * hidden && j < 3 * hidden) ? T.tanh(z) : 1 / (1 + T.exp(-z))
                                        }
                                        for j in 0..<hidden {
                                            let (i, f, g, o) = (
                                                a[row + j], a[row + hidden + j], a[row + 2 * hidden + j],
                                                a[row + 3 * hidden + j]
                                            )
                                            let value = f * cp[b * hidden + j] + i * g
                                            let squashed = T.tanh(value)
                                            c[b * hidden + j] = value
                                            tc[b * hidden + j] = squashed
                                            h[b * hidden + j] = o * squashed
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return (gates, cell, tanhCell, output)
    }

    /// From the gradient of `h' = o ⊙ tanh(c')`: the part of the gradient of `c'` and the gradient of the
    /// output gate's pre-activation, both `[B, H]`.
    private static func lstmHiddenBackward<T: TensorFloatingPoint>(
        _: T.Type, _ gradient: Tensor, _ gates: Tensor, _ tanhCell: Tensor, batch: Int, hidden: Int
    ) -> (cell: Tensor, outputGate: Tensor) {
        var cellGradient = Tensor.zeros(shape: [batch, hidden], dtype: T.dtype)
        var outputGradient = Tensor.zeros(shape: [batch, hidden], dtype: T.dtype)
        gradient.withUnsafeBufferPointer(as: T.self) { dh in
            gates.withUnsafeBufferPointer(as: T.self) { a in
                tanhCell.withUnsafeBufferPointer(as: T.self) { tc in
                    cellGradient.withUnsafeMutableBufferPointer(as: T.self) { dc in
                        outputGradient.withUnsafeMutableBufferPointer(as: T.self) { dout in
                            for b in 0..<batch {
                                let outputRow = b * 4 * hidden + 3 * hidden
                                for j in 0..<hidden {
                                    let k = b * hidden + j
                                    let (o, squashed) = (a[outputRow + j], tc[k])
                                    dc[k] = dh[k] * o * (1 - squashed * squashed)
                                    dout[k] = dh[k] * squashed * o * (1 - o)
                                }
                            }
                        }
                    }
                }
            }
        }
        return (cellGradient, outputGradient)
    }

    /// Gradients of the gate pre-activations `[B, 4H]` and of the previous cell, from the gradient of the
    /// new cell and (when the hidden state got one) of the output gate's pre-activation.
    private static func lstmBackward<T: TensorFloatingPoint>(
        _: T.Type, _ cellGradient: Tensor, _ outputGateGradient: Tensor?, _ gates: Tensor, _ previousCell: Tensor,
        batch: Int, hidden: Int
    ) -> (gates: Tensor, previousCell: Tensor) {
        var gateGradient = Tensor.zeros(shape: [batch, 4 * hidden], dtype: T.dtype)
        var previousGradient = Tensor.zeros(shape: [batch, hidden], dtype: T.dtype)
        // Zeros for the output gate when the hidden state got no gradient (only the cell is used).
        let outputGate = outputGateGradient ?? Tensor.zeros(shape: [batch, hidden], dtype: T.dtype)
        cellGradient.withUnsafeBufferPointer(as: T.self) { dc in
            outputGate.withUnsafeBufferPointer(as: T.self) { dout in
                gates.withUnsafeBufferPointer(as: T.self) { a in
                    previousCell.withUnsafeBufferPointer(as: T.self) { cp in
                        gateGradient.withUnsafeMutableBufferPointer(as: T.self) { da in
                            previousGradient.withUnsafeMutableBufferPointer(as: T.self) { dcp in
                                for b in 0..<batch {
                                    let row = b * 4 * hidden
                                    for j in 0..<hidden {
                                        let k = b * hidden + j
                                        let (i, f, g) = (a[row + j], a[row + hidden + j], a[row + 2 * hidden + j])
                                        let dCell = dc[k]
                                        da[row + j] = dCell * g * i * (1 - i)
                                        da[row + hidden + j] = dCell * cp[k] * f * (1 - f)
                                        da[row + 2 * hidden + j] = dCell * i * (1 - g * g)
                                        da[row + 3 * hidden + j] = dout[k]
                                        dcp[k] = dCell * f
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return (gateGradient, previousGradient)
    }

    /// One GRU step with PyTorch's `r, z, n` gates:
    /// `r = σ(gx_r + gh_r)`, `z = σ(gx_z + gh_z)`, `n = tanh(gx_n + r ⊙ gh_n)`, `h' = (1 − z) ⊙ n + z ⊙ h`.
    ///
    /// - Parameters:
    ///   - input: the projected sequence `x · W_ihᵀ + b_ih` `[T, B, 3H]`; step `time` is used.
    ///   - hiddenGates: `h · W_hhᵀ + b_hh`, `[B, 3H]`.
    ///   - previousHidden: `[B, H]`.
    static func gru(input: SequenceSteps, time: Int, hiddenGates: Variable, previousHidden: Variable) -> Variable {
        let (batch, hidden) = (previousHidden.shape[0], previousHidden.shape[1])
        let previous = previousHidden.value
        let (gx, gh) = (input.slice(time), hiddenGates.value)
        checkTypes("GRU", gx, gh, previous)
        let forward =
            previous.dtype == .float64
            ? gruForward(Double.self, gx, gh, previous, batch: batch, hidden: hidden)
            : gruForward(Float.self, gx, gh, previous, batch: batch, hidden: hidden)
        let gates = forward.gates
        let (accumulator, anchorGradient) = (input.accumulator, input.anchorGradient)
        return Variable.record("gruCell", value: forward.hidden, inputs: [input.anchor, hiddenGates, previousHidden]) {
            g in
            let result =
                previous.dtype == .float64
                ? gruBackward(Double.self, g, gates, gh, previous, batch: batch, hidden: hidden)
                : gruBackward(Float.self, g, gates, gh, previous, batch: batch, hidden: hidden)
            accumulator.add(result.input, time: time)
            return [anchorGradient, result.hidden, result.previous]
        }
    }

    /// Activated gates `r, z, n` `[B, 3H]` and the new hidden state.
    private static func gruForward<T: TensorFloatingPoint>(
        _: T.Type, _ inputGates: Tensor, _ hiddenGates: Tensor, _ previousHidden: Tensor, batch: Int, hidden: Int
    ) -> (gates: Tensor, hidden: Tensor) {
        var gates = Tensor.zeros(shape: [batch, 3 * hidden], dtype: T.dtype)
        var output = Tensor.zeros(shape: [batch, hidden], dtype: T.dtype)
        inputGates.withUnsafeBufferPointer(as: T.self) { gx in
            hiddenGates.withUnsafeBufferPointer(as: T.self) { gh in
                previousHidden.withUnsafeBufferPointer(as: T.self) { hp in
                    gates.withUnsafeMutableBufferPointer(as: T.self) { a in
                        output.withUnsafeMutableBufferPointer(as: T.self) { h in
                            for b in 0..<batch {
                                let row = b * 3 * hidden
                                for j in 0..<hidden {
                                    let r = 1 / (1 + T.exp(-(gx[row + j] + gh[row + j])))
                                    let z = 1 / (1 + T.exp(-(gx[row + hidden + j] + gh[row + hidden + j])))
                                    let n = T.tanh(gx[row + 2 * hidden + j] + r * gh[row + 2 * hidden + j])
                                    a[row + j] = r
                                    a[row + hidden + j] = z
                                    a[row + 2 * hidden + j] = n
                                    h[b * hidden + j] = (1 - z) * n + z * hp[b * hidden + j]
                                }
                            }
                        }
                    }
                }
            }
        }
        return (gates, output)
    }

    /// Gradients of the input gates, the hidden gates and the previous hidden state.
    private static func gruBackward<T: TensorFloatingPoint>(
        _: T.Type, _ gradient: Tensor, _ gates: Tensor, _ hiddenGates: Tensor, _ previousHidden: Tensor, batch: Int,
        hidden: Int
    ) -> (input: Tensor, hidden: Tensor, previous: Tensor) {
        var inputGradient = Tensor.zeros(shape: [batch, 3 * hidden], dtype: T.dtype)
        var hiddenGradient = Tensor.zeros(shape: [batch, 3 * hidden], dtype: T.dtype)
        var previousGradient = Tensor.zeros(shape: [batch, hidden], dtype: T.dtype)
        gradient.withUnsafeBufferPointer(as: T.self) { g in
            gates.withUnsafeBufferPointer(as: T.self) { a in
                hiddenGates.withUnsafeBufferPointer(as: T.self) { gh in
                    previousHidden.withUnsafeBufferPointer(as: T.self) { hp in
                        inputGradient.withUnsafeMutableBufferPointer(as: T.self) { dx in
                            hiddenGradient.withUnsafeMutableBufferPointer(as: T.self) { dhg in
                                previousGradient.withUnsafeMutableBufferPointer(as: T.self) { dhp in
                                    for b in 0..<batch {
                                        let row = b * 3 * hidden
                                        for j in 0..<hidden {
                                            let k = b * hidden + j
                                            let (r, z, n) = (a[row + j], a[row + hidden + j], a[row + 2 * hidden + j])
                                            let dn = g[k] * (1 - z) * (1 - n * n)
                                            let dz = g[k] * (hp[k] - n) * z * (1 - z)
                                            let dr = dn * gh[row + 2 * hidden + j] * r * (1 - r)
                                            dx[row + j] = dr
                                            dx[row + hidden + j] = dz
                                            dx[row + 2 * hidden + j] = dn
                                            dhg[row + j] = dr
                                            dhg[row + hidden + j] = dz
                                            dhg[row + 2 * hidden + j] = dn * r
                                            dhp[k] = g[k] * z
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return (inputGradient, hiddenGradient, previousGradient)
    }
}
