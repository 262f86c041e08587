import ForgeAutograd

/// The built-in optimizers: each holds an ``OptimizerEngine`` for its algorithm and forwards the
/// ``Optimizer`` requirements to it, here once instead of in every class. (`groups` and
/// `setHyperparameters(_:group:)` stay on each class: they are public API but not requirements.)
protocol EngineBackedOptimizer: Optimizer {
    /// The update rule.
    associatedtype Algorithm: OptimizerAlgorithm
    /// The parameters, their groups and their state.
    var engine: OptimizerEngine<Algorithm> { get set }
}

extension EngineBackedOptimizer {
    /// Every parameter, group by group.
    public var parameters: [Variable] { engine.parameters }

    /// The learning rate of each group.
    public var learningRates: [Double] {
        get { engine.learningRates }
        set { engine.learningRates = newValue }
    }

    /// Updates every parameter that has a gradient.
    public func step() { engine.step() }

    /// The per-parameter state (PyTorch's names, see each optimizer) and the group hyperparameters.
    public func stateDict() -> OptimizerStateDict { engine.stateDict() }

    /// Restores state saved by ``stateDict()``; on error the optimizer is unchanged.
    public func load(stateDict: OptimizerStateDict) throws { try engine.load(stateDict) }
}
