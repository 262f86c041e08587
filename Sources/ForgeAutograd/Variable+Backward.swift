public import ForgeTensor

extension Variable {
    /// Computes the gradients of this variable with respect to every leaf that requires one, and adds
    /// them to those leaves' ``gradient``.
    ///
    /// Unless `retainingGraph` is true, backward frees what each operation saved for differentiation as
    /// it goes (PyTorch's default): memory returns at once, and parameters an optimizer updates in place
    /// are no longer shared with saved tensors, so updating them copies nothing. Backward through a
    /// freed part of the graph stops with a message saying so.
    ///
    /// - Parameters:
    ///   - seed: the gradient of some scalar with respect to this variable; omit it when this variable is
    ///     itself a scalar (one element), which then uses 1.
    ///   - retainingGraph: keep the saved tensors so backward can run through this graph again.
    /// - Throws: ``AnomalyError`` under ``withAnomalyDetection(_:)`` when a NaN or infinity appears
    ///   (in the forward results recorded so far, or in a gradient).
    public func backward(_ seed: Tensor? = nil, retainingGraph: Bool = false) throws {
        if let recorder = GradientMode.anomalyRecorder, let anomaly = recorder.first { throw anomaly }
        let start: Tensor
        if let seed {
            precondition(
                seed.shape == shape, "backward: seed of shape \(seed.shape) for a variable of shape \(shape)")
            start = seed.converted(to: dtype)
        } else {
            precondition(
                count == 1,
                "backward: variable of shape \(shape) is not a scalar; pass the gradient of the loss with respect to it")
            start = Tensor.ones(shape: shape, dtype: dtype)
        }
        guard requiresGradient else { return }
        let order = topologicalOrder()
        var pending: [ObjectIdentifier: Tensor] = [ObjectIdentifier(self): start]
        let checking = GradientMode.isDetectingAnomalies
        for variable in order {
            guard var gradient = pending.removeValue(forKey: ObjectIdentifier(variable)) else { continue }
            if !variable.gradientHooks.isEmpty { gradient = variable.applyHooks(gradient) }
            guard let node = variable.node else {
                if variable.requiresGradient {
                    variable.gradient = variable.gradient.map { $0 + gradient } ?? gradient
                }
                continue
            }
            guard let vectorJacobianProduct = node.vectorJacobianProduct else {
                preconditionFailure(
                    "backward: the graph through \(node.operation) was freed by an earlier backward; pass retainingGraph: true to the first one")
            }
            if !retainingGraph { node.vectorJacobianProduct = nil }
            let inputGradients = withoutGradient { vectorJacobianProduct(gradient) }
            precondition(
                inputGradients.count == node.inputs.count,
                "backward: \(node.operation) returned \(inputGradients.count) gradients for \(node.inputs.count) inputs")
            for (input, inputGradient) in zip(node.inputs, inputGradients) {
                guard input.requiresGradient, let inputGradient else { continue }
                precondition(
                    inputGradient.shape == input.shape,
                    "backward: \(node.operation) gave a gradient of shape \(inputGradient.shape) for an input of shape \(input.shape)")
                if checking,
                    let anomaly = AnomalyError.check(
                        inputGradient, phase: .backward, operation: node.operation, location: node.location)
                {
                    throw anomaly
                }
                let key = ObjectIdentifier(input)
                pending[key] = pending[key].map { $0 + inputGradient } ?? inputGradient
            }
        }
    }

    /// The variables reachable from this one that require gradients, each after every variable that
    /// uses it (results before inputs).
    func topologicalOrder() -> [Variable] {
        var visited = Set<ObjectIdentifier>()
        var postOrder: [Variable] = []
        // Iterative depth-first search: deep graphs (long RNN unrolls) must not overflow the stack.
        var stack: [(variable: Variable, expanded: Bool)] = [(self, false)]
        while let (variable, expanded) = stack.popLast() {
            if expanded {
                postOrder.append(variable)
                continue
            }
            guard visited.insert(ObjectIdentifier(variable)).inserted else { continue }
            stack.append((variable, true))
            for input in variable.node?.inputs ?? [] where input.requiresGradient {
                if !visited.contains(ObjectIdentifier(input)) { stack.append((input, false)) }
            }
        }
        return postOrder.reversed()
    }
}
