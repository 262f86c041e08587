public import ForgeLayers

extension ParameterGroup {
    /// Groups a model's trainable parameters the usual way for weight decay: weight matrices and
    /// convolution kernels (rank ≥ 2) get `decayed`, biases and normalization scales and shifts
    /// (rank ≤ 1) get `undecayed`.
    ///
    /// Frozen parameters (`requiresGradient == false`) are left out, and so is a group that would be
    /// empty. Parameters keep `namedParameters()` order within each group.
    ///
    /// ```swift
    /// let decayed = AdamW.Hyperparameters(learningRate: 1e-3, weightDecay: 0.01)
    /// var undecayed = decayed
    /// undecayed.weightDecay = 0
    /// let optimizer = try AdamW(groups: ParameterGroup.weightDecaySplit(of: model, decayed: decayed, undecayed: undecayed))
    /// ```
    public static func weightDecaySplit(
        of module: Module, decayed: Hyperparameters, undecayed: Hyperparameters
    ) -> [ParameterGroup] {
        let trainable = module.parameters().filter(\.requiresGradient)
        let groups = [
            ParameterGroup(trainable.filter { $0.rank >= 2 }, decayed),
            ParameterGroup(trainable.filter { $0.rank < 2 }, undecayed),
        ]
        return groups.filter { !$0.parameters.isEmpty }
    }
}
