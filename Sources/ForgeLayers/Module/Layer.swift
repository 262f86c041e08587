/// A module with a forward computation, callable like a function.
///
/// Implement ``forward(_:)``; call the layer as `layer(input)`, which runs `forward` and then the
/// module's forward hooks.
public protocol Layer: Module {
    /// What the layer takes (usually `Variable`).
    associatedtype Input
    /// What the layer returns (usually `Variable`).
    associatedtype Output

    /// The computation. Call the layer itself (`layer(x)`) rather than this, so hooks run.
    func forward(_ input: Input) -> Output
}

extension Layer {
    /// Runs ``forward(_:)`` and then the forward hooks.
    public func callAsFunction(_ input: Input) -> Output {
        let output = forward(input)
        if !forwardHooks.isEmpty {
            for (_, hook) in forwardHooks { hook(self, input, output) }
        }
        return output
    }
}
