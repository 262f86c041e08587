public import ForgeAutograd

/// An algorithm that updates parameters from their gradients: the extension point every Forge
/// optimizer — built in or your own — implements.
///
/// A training step reads:
///
/// ```swift
/// let optimizer = try Adam(parameters: model.parameters(), learningRate: 1e-3)
/// for (inputs, labels) in batches {
///     optimizer.zeroGradients()
///     let loss = crossEntropy(model(inputs), labels)
///     try loss.backward()
///     optimizer.step()
/// }
/// ```
///
/// Implement ``parameters``, ``learningRates``, ``step()``, ``stateDict()`` and
/// ``load(stateDict:)``; ``zeroGradients()`` and ``learningRate`` have defaults.
///
/// Every conformer must guarantee:
/// - **Indices are stable.** ``parameters`` lists every parameter once, group by group, in the same
///   order for the optimizer's whole life; a parameter's position is its key in ``stateDict()``.
/// - **`step()` reads `gradient`, writes `value`.** It updates each parameter that has a gradient in
///   place from it and leaves the others (gradient nil) and their state untouched, records nothing
///   on the autograd graph, and does not change gradients.
/// - **Exact resume.** Loading ``stateDict()`` into a new optimizer built the same way over
///   parameters with the same values makes its following steps bit-identical to this one's.
/// - **Validation.** Invalid hyperparameters are rejected when the optimizer is built (throw
///   ``OptimizerError``), not discovered in the middle of training.
public protocol Optimizer: AnyObject {
    /// Every parameter the optimizer updates, group by group; a parameter's position is its index in
    /// ``stateDict()``.
    var parameters: [Variable] { get }

    /// The learning rate of each parameter group, in group order. Schedules set it between steps.
    ///
    /// Setting it takes effect at the next ``step()``; the count must stay the number of groups.
    var learningRates: [Double] { get set }

    /// Updates every parameter that has a gradient, once.
    func step()

    /// Clears the gradient of every parameter (sets it to nil, like PyTorch's `set_to_none=True`), so
    /// the next backward pass starts from zero.
    func zeroGradients()

    /// The optimizer's state — per-parameter buffers and group hyperparameters — to save with a
    /// checkpoint.
    func stateDict() -> OptimizerStateDict

    /// Replaces the optimizer's state with saved state, so training resumes exactly.
    ///
    /// - Throws: ``OptimizerError`` when the state was written by another kind of optimizer or for a
    ///   different set of parameters (group sizes, shapes); the optimizer is then left unchanged.
    func load(stateDict: OptimizerStateDict) throws
}

extension Optimizer {
    /// Sets every parameter's gradient to nil.
    public func zeroGradients() {
        for parameter in parameters { parameter.zeroGradient() }
    }

    /// The learning rate of the first group; setting it sets every group's.
    public var learningRate: Double {
        get { learningRates.first ?? 0 }
        set { learningRates = Array(repeating: newValue, count: learningRates.count) }
    }
}

/// A set of parameters that share hyperparameters, such as "all weights" and "all biases" with no
/// weight decay.
///
/// ```swift
/// let decayed = AdamW.Hyperparameters(learningRate: 1e-3, weightDecay: 0.01)
/// var undecayed = decayed
/// undecayed.weightDecay = 0
/// let optimizer = try AdamW(groups: [
///     ParameterGroup(weights, decayed),
///     ParameterGroup(biases, undecayed),
/// ])
/// ```
public struct ParameterGroup<Hyperparameters> {
    /// The parameters, in the order they get indices.
    public var parameters: [Variable]
    /// The hyperparameters every parameter of the group is updated with.
    public var hyperparameters: Hyperparameters

    /// Creates a group.
    public init(_ parameters: [Variable], _ hyperparameters: Hyperparameters) {
        self.parameters = parameters
        self.hyperparameters = hyperparameters
    }
}
