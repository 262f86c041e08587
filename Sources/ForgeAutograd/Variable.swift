public import ForgeTensor

/// A tensor that takes part in automatic differentiation.
///
/// Operations on variables compute their value at once (eagerly) and, when any input requires a
/// gradient and gradient recording is on, remember how to differentiate: each result keeps a
/// ``GraphNode`` with its inputs and its vector-Jacobian product. ``backward(_:)`` walks that graph
/// from a result back to the leaves and accumulates ``gradient`` on every leaf that requires one.
///
/// ```swift
/// let w = Variable(Tensor.ones(shape: [3, 1]), requiresGradient: true)
/// let x = Variable(Tensor([1, 2, 3] as [Float], shape: [1, 3]))
/// let loss = x.matmul(w).squared().sum()
/// try loss.backward()
/// print(w.gradient!)   // 2 · (x·w) · xᵀ = [[12], [24], [36]]
/// ```
///
/// `Variable` is a reference type: a parameter is one object that layers, optimizers and gradients
/// all refer to. The graph is kept alive by the results that refer to it and freed with them.
public final class Variable {
    /// The current value.
    ///
    /// Assigning a new value (as optimizers do inside ``withoutGradient(_:)-(()->R)``) does not touch the
    /// recorded graph: results computed earlier keep the values they saw.
    public var value: Tensor

    /// The accumulated gradient of the last backward passes, nil until one reaches this variable.
    public var gradient: Tensor?

    /// Whether gradients flow to this variable (and to results computed from it).
    public var requiresGradient: Bool

    /// The operation that produced this variable, or nil for a leaf (an input or a parameter).
    public let node: GraphNode?

    /// Hooks run on this variable's gradient during backward, in the order they were added.
    var gradientHooks: [(id: Int, hook: (Tensor) -> Tensor?)] = []
    var nextHookID = 0

    /// Creates a leaf variable.
    ///
    /// - Parameters:
    ///   - value: the tensor.
    ///   - requiresGradient: whether ``backward(_:)`` should compute this variable's gradient.
    public init(_ value: Tensor, requiresGradient: Bool = false) {
        self.value = value
        self.requiresGradient = requiresGradient
        self.node = nil
    }

    /// Creates the result of a recorded operation.
    init(value: Tensor, node: GraphNode) {
        self.value = value
        self.requiresGradient = true
        self.node = node
    }

    /// Whether this variable is a leaf of the graph (not produced by a recorded operation).
    public var isLeaf: Bool { node == nil }

    /// The shape of the value.
    public var shape: [Int] { value.shape }

    /// The dtype of the value.
    public var dtype: DType { value.dtype }

    /// The rank of the value.
    public var rank: Int { value.rank }

    /// The number of elements of the value.
    public var count: Int { value.count }

    /// A new leaf with the same value that is cut off from the graph (gradients stop here).
    public func detached() -> Variable { Variable(value) }

    /// Sets the gradient to nil (PyTorch's `zero_grad(set_to_none=True)`).
    public func zeroGradient() { gradient = nil }

    /// Adds a hook that sees — and may replace — this variable's gradient each time backward computes it.
    ///
    /// Return nil from the hook to keep the gradient as it is, or a tensor of the same shape to replace it.
    /// - Returns: a handle whose ``GradientHookHandle/remove()`` removes the hook.
    @discardableResult
    public func addGradientHook(_ hook: @escaping (Tensor) -> Tensor?) -> GradientHookHandle {
        let id = nextHookID
        nextHookID += 1
        gradientHooks.append((id, hook))
        return GradientHookHandle(variable: self, id: id)
    }

    /// Applies the hooks to a freshly computed gradient.
    func applyHooks(_ gradient: Tensor) -> Tensor {
        var current = gradient
        for (_, hook) in gradientHooks {
            if let replaced = hook(current) {
                precondition(
                    replaced.shape == current.shape,
                    "gradient hook: returned shape \(replaced.shape) for a gradient of shape \(current.shape)")
                current = replaced
            }
        }
        return current
    }
}

/// Removes a gradient hook added with ``Variable/addGradientHook(_:)``.
public struct GradientHookHandle {
    weak var variable: Variable?
    let id: Int

    /// Removes the hook; calling it again does nothing.
    public func remove() {
        variable?.gradientHooks.removeAll { $0.id == id }
    }
}

extension Variable: CustomStringConvertible {
    /// The value's description, with the operation that produced it.
    public var description: String {
        let suffix = node.map { ", operation=\($0.operation)" } ?? (requiresGradient ? ", requiresGradient" : "")
        return "Variable(\(value)\(suffix))"
    }
}
