/// A module with a forward computation, callable like a function.
///
/// Implement ``forward(_:)``; call the layer as `layer(input)`, which runs `forward` and then the
/// module's forward hooks.
///
/// `Input` and `Output` are primary associated types, so `any Layer<Variable, Variable>` names every
/// layer that maps a variable to a variable (what ``Sequential`` chains).
public protocol Layer<Input, Output>: Module {
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
