public import ForgeTensor

/// One recorded operation: its inputs and how to map the gradient of its result to gradients of the inputs.
public final class GraphNode {
    /// The operation's name, as anomaly reports and descriptions show it.
    public let operation: String
    /// The inputs, in the order the vector-Jacobian product returns their gradients.
    var inputs: [Variable]
    /// The vector-Jacobian product: from the gradient of the result, one gradient per input (nil for
    /// inputs that need none, such as integer indices). Nil once a backward pass has freed it.
    var vectorJacobianProduct: ((Tensor) -> [Tensor?])?
    /// Where the operation was created, when the call site could be captured.
    public let location: SourceLocation?

    init(
        operation: String, inputs: [Variable], location: SourceLocation?,
        vectorJacobianProduct: @escaping (Tensor) -> [Tensor?]
    ) {
        self.operation = operation
        self.inputs = inputs
        self.location = location
        self.vectorJacobianProduct = vectorJacobianProduct
    }

    deinit {
        // Release long chains (an unrolled RNN, a 10 000-step loop) iteratively: releasing them one
        // by one through nested deinits would overflow the stack. A variable only this node still
        // holds gives its own inputs to the work list before it goes, so no deinit recurses.
        // NOTE: this relies on vector-Jacobian products capturing tensors, never variables.
        var pending = inputs
        inputs = []
        while var variable = pending.popLast() {
            if isKnownUniquelyReferenced(&variable), let node = variable.node {
                pending.append(contentsOf: node.inputs)
                node.inputs = []
            }
        }
    }
}

extension Variable {
    /// Wraps the result of an operation, recording it when gradients are on and an input needs one.
    ///
    /// This is the single entry point every differentiable operation — built in or user-written — goes
    /// through, so gradient mode and anomaly detection apply to all of them.
    ///
    /// - Parameters:
    ///   - operation: the name reported in anomalies and descriptions.
    ///   - value: the computed result.
    ///   - inputs: the variables the result was computed from.
    ///   - location: where the operation was created (`SourceLocation(fileID: #fileID, line: #line)`).
    ///   - vectorJacobianProduct: given the gradient of the result, the gradient of each input, in order.
    public static func record(
        _ operation: String, value: Tensor, inputs: [Variable], location: SourceLocation? = nil,
        vectorJacobianProduct: @escaping (Tensor) -> [Tensor?]
    ) -> Variable {
        if let recorder = GradientMode.anomalyRecorder, recorder.first == nil,
            let anomaly = AnomalyError.check(value, phase: .forward, operation: operation, location: location)
        {
            recorder.record(anomaly)
        }
        guard GradientMode.recording, inputs.contains(where: \.requiresGradient) else {
            return Variable(value)
        }
        let node = GraphNode(
            operation: operation, inputs: inputs, location: location, vectorJacobianProduct: vectorJacobianProduct)
        return Variable(value: value, node: node)
    }
}
