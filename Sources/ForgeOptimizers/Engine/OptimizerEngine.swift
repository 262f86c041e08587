import ForgeAutograd
import ForgeTensor

/// The machinery every built-in optimizer shares: parameter groups with stable indices, validation,
/// the step loop, and saving and loading state.
struct OptimizerEngine<Algorithm: OptimizerAlgorithm> {
    typealias Hyperparameters = Algorithm.Hyperparameters

    /// The groups as given (hyperparameters may change through ``setHyperparameters(_:group:)``).
    private(set) var groups: [ParameterGroup<Hyperparameters>]
    /// Every parameter, group by group.
    let parameters: [Variable]
    /// Per-parameter state by index; nil until the parameter's first step (unless created eagerly).
    private(set) var states: [Algorithm.State?]

    /// Validates `groups` and prepares (eager) state.
    init(groups: [ParameterGroup<Hyperparameters>]) throws {
        let component = Algorithm.name
        var seen = Set<ObjectIdentifier>()
        var parameters: [Variable] = []
        for (groupIndex, group) in groups.enumerated() {
            try group.hyperparameters.validate(component: component)
            for parameter in group.parameters {
                guard seen.insert(ObjectIdentifier(parameter)).inserted else {
                    throw OptimizerError(
                        .duplicateParameter, component: component,
                        message: "a parameter of shape \(parameter.shape) appears twice (again in group \(groupIndex)); "
                            + "list each parameter in one group only")
                }
                guard parameter.dtype == .float32 || parameter.dtype == .float64 else {
                    throw OptimizerError(
                        .unsupportedParameter, component: component,
                        message: "parameter \(parameters.count) has dtype \(parameter.dtype); "
                            + "optimizers update float32 and float64 parameters")
                }
                parameters.append(parameter)
            }
        }
        guard !parameters.isEmpty else {
            throw OptimizerError(
                .emptyParameterList, component: component,
                message: "got an empty parameter list; pass model.parameters() "
                    + "(a frozen model or a module without parameters has none)")
        }
        self.groups = groups
        self.parameters = parameters
        if Algorithm.createsStateEagerly {
            var states: [Algorithm.State?] = []
            for group in groups {
                for parameter in group.parameters {
                    states.append(Algorithm.makeState(like: parameter.value, hyperparameters: group.hyperparameters))
                }
            }
            self.states = states
        } else {
            self.states = Array(repeating: nil, count: parameters.count)
        }
    }

    /// The learning rate of each group.
    var learningRates: [Double] {
        get { groups.map(\.hyperparameters.learningRate) }
        set {
            precondition(
                newValue.count == groups.count,
                "\(Algorithm.name).learningRates: \(newValue.count) rates for \(groups.count) parameter groups")
            for (index, rate) in newValue.enumerated() {
                precondition(
                    rate >= 0 && rate.isFinite,
                    "\(Algorithm.name).learningRates: rate \(rate) for group \(index); use a non-negative value")
                groups[index].hyperparameters.learningRate = rate
            }
        }
    }

    /// Replaces one group's hyperparameters after validating them.
    mutating func setHyperparameters(_ hyperparameters: Hyperparameters, group: Int) throws {
        precondition(
            groups.indices.contains(group),
            "\(Algorithm.name).setHyperparameters: group \(group) of \(groups.count)")
        try hyperparameters.validate(component: Algorithm.name)
        groups[group].hyperparameters = hyperparameters
    }

    /// One update of every parameter that has a gradient.
    mutating func step() {
        var index = 0
        for group in groups {
            let hyperparameters = group.hyperparameters
            for parameter in group.parameters {
                defer { index += 1 }
                guard let gradient = parameter.gradient else { continue }
                precondition(
                    gradient.shape == parameter.shape && gradient.dtype == parameter.dtype,
                    "\(Algorithm.name).step: parameter \(index) is \(parameter.dtype) \(parameter.shape) "
                        + "but its gradient is \(gradient.dtype) \(gradient.shape)")
                if parameter.count == 0 { continue }
                let state: Algorithm.State
                if let existing = states[index] {
                    state = existing
                } else {
                    state = Algorithm.makeState(like: parameter.value, hyperparameters: hyperparameters)
                    states[index] = state
                }
                switch parameter.dtype {
                case .float64:
                    Algorithm.update(
                        Double.self, value: &parameter.value, gradient: gradient, state: state,
                        hyperparameters: hyperparameters)
                default:
                    Algorithm.update(
                        Float.self, value: &parameter.value, gradient: gradient, state: state,
                        hyperparameters: hyperparameters)
                }
            }
        }
    }

    /// The state in PyTorch's layout.
    func stateDict() -> OptimizerStateDict {
        var state: [Int: OptimizerStateDict.ParameterState] = [:]
        for (index, entry) in states.enumerated() {
            guard let entry else { continue }
            let saved = Algorithm.save(entry)
            if !saved.tensors.isEmpty || !saved.scalars.isEmpty { state[index] = saved }
        }
        var groupStates: [OptimizerStateDict.GroupState] = []
        var next = 0
        for group in groups {
            let indices = Array(next..<(next + group.parameters.count))
            next += group.parameters.count
            groupStates.append(.init(hyperparameters: group.hyperparameters.scalars, parameterIndices: indices))
        }
        return OptimizerStateDict(optimizer: Algorithm.name, state: state, parameterGroups: groupStates)
    }

    /// Replaces state and hyperparameters with saved ones; on error nothing changes.
    mutating func load(_ saved: OptimizerStateDict) throws {
        let component = Algorithm.name
        guard saved.optimizer == component else {
            throw OptimizerError(
                .stateMismatch, component: component,
                message: "state was saved by \(saved.optimizer); load it into a \(saved.optimizer) optimizer")
        }
        guard saved.parameterGroups.count == groups.count else {
            throw OptimizerError(
                .stateMismatch, component: component,
                message: "state has \(saved.parameterGroups.count) parameter groups, this optimizer \(groups.count)")
        }
        var newGroups = groups
        var groupOfParameter: [Int] = []
        var next = 0
        for (groupIndex, savedGroup) in saved.parameterGroups.enumerated() {
            let expected = Array(next..<(next + groups[groupIndex].parameters.count))
            next += expected.count
            guard savedGroup.parameterIndices == expected else {
                throw OptimizerError(
                    .stateMismatch, component: component,
                    message: "saved group \(groupIndex) holds parameters \(savedGroup.parameterIndices), "
                        + "this optimizer's holds \(expected); build the optimizer with the same groups")
            }
            let hyperparameters = try Hyperparameters(
                scalars: ScalarReader(scalars: savedGroup.hyperparameters, component: component))
            try hyperparameters.validate(component: component)
            newGroups[groupIndex].hyperparameters = hyperparameters
            groupOfParameter += Array(repeating: groupIndex, count: expected.count)
        }
        var newStates: [Algorithm.State?] = Array(repeating: nil, count: parameters.count)
        for (index, entry) in saved.state {
            guard parameters.indices.contains(index) else {
                throw OptimizerError(
                    .stateMismatch, component: component,
                    message: "state for parameter \(index), but the optimizer has \(parameters.count) parameters")
            }
            newStates[index] = try Algorithm.restore(
                entry, like: parameters[index].value,
                hyperparameters: newGroups[groupOfParameter[index]].hyperparameters,
                reader: StateReader(component: component, index: index))
        }
        if Algorithm.createsStateEagerly {
            for index in newStates.indices where newStates[index] == nil {
                newStates[index] = Algorithm.makeState(
                    like: parameters[index].value, hyperparameters: newGroups[groupOfParameter[index]].hyperparameters)
            }
        }
        groups = newGroups
        states = newStates
    }
}
