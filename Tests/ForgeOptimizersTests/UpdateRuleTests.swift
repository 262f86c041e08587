import ForgeAutograd
import ForgeLayers
import ForgeOptimizers
import ForgeTensor
import Testing

/// Initial values of the two parameter tensors every trajectory test uses ([2, 3] and [4]).
let initialValues: [[Double]] = [[0.5, -1.25, 2.0, 0.75, -0.1, 1.5], [1.0, -0.5, 0.25, -2.0]]
let initialShapes: [[Int]] = [[2, 3], [4]]

func makeParameters(dtype: DType) -> [Variable] {
    zip(initialValues, initialShapes).map { values, shape in
        Variable(Tensor(values, shape: shape).converted(to: dtype), requiresGradient: true)
    }
}

/// Feeds the same synthetic gradients to a Forge optimizer and to a Float64 reference for `steps`
/// steps and returns the largest relative difference of the parameters after any step.
func largestDeviation(
    steps: Int, dtype: DType, make: ([Variable]) throws -> any Optimizer, reference: some ReferenceOptimizer
) throws -> Double {
    var reference = reference
    let parameters = makeParameters(dtype: dtype)
    let optimizer = try make(parameters)
    var expected = parameters.map { $0.value.doubleScalars }
    var worst = 0.0
    for step in 0..<steps {
        // Both sides see the gradient of the reference's own trajectory.
        let gradients = syntheticGradient(expected, step: step)
        for (parameter, gradient) in zip(parameters, gradients) {
            parameter.gradient = Tensor(gradient, shape: parameter.shape).converted(to: dtype)
        }
        optimizer.step()
        reference.step(&expected, gradients)
        for (parameter, values) in zip(parameters, expected) {
            for (actual, wanted) in zip(parameter.value.doubleScalars, values) {
                worst = max(worst, abs(actual - wanted) / max(abs(wanted), 1e-3))
            }
        }
    }
    return worst
}

@Suite("Update rules match PyTorch's algorithms")
struct UpdateRuleTests {
    typealias Case = (name: String, make: ([Variable]) throws -> any Optimizer, reference: any ReferenceOptimizer)

    static var cases: [Case] {
        [
        ("SGD plain", { try SGD(parameters: $0, learningRate: 0.1) }, ReferenceSGD(lr: 0.1)),
        (
            "SGD momentum dampening decay", {
                try SGD(parameters: $0, learningRate: 0.05, momentum: 0.9, dampening: 0.3, weightDecay: 0.01)
            }, ReferenceSGD(lr: 0.05, momentum: 0.9, dampening: 0.3, weightDecay: 0.01)
        ),
        (
            "SGD Nesterov maximize", { try SGD(parameters: $0, learningRate: 0.05, momentum: 0.8, nesterov: true, maximize: true) },
            ReferenceSGD(lr: 0.05, momentum: 0.8, nesterov: true, maximize: true)
        ),
        ("Adam", { try Adam(parameters: $0, learningRate: 0.01) }, ReferenceAdam(lr: 0.01)),
        (
            "Adam AMSGrad L2", {
                try Adam(parameters: $0, learningRate: 0.02, betas: (0.8, 0.99), epsilon: 1e-6, weightDecay: 0.1, amsgrad: true)
            }, ReferenceAdam(lr: 0.02, beta1: 0.8, beta2: 0.99, eps: 1e-6, weightDecay: 0.1, amsgrad: true)
        ),
        (
            "Adam maximize", { try Adam(parameters: $0, learningRate: 0.01, maximize: true) },
            ReferenceAdam(lr: 0.01, maximize: true)
        ),
        (
            "AdamW", { try AdamW(parameters: $0, learningRate: 0.01, weightDecay: 0.1) },
            ReferenceAdam(lr: 0.01, weightDecay: 0.1, decoupled: true)
        ),
        (
            "AdamW AMSGrad", { try AdamW(parameters: $0, learningRate: 0.01, amsgrad: true) },
            ReferenceAdam(lr: 0.01, weightDecay: 0.01, amsgrad: true, decoupled: true)
        ),
        ("RMSprop", { try RMSprop(parameters: $0, learningRate: 0.01) }, ReferenceRMSprop(lr: 0.01)),
        (
            "RMSprop centered momentum decay", {
                try RMSprop(parameters: $0, learningRate: 0.005, alpha: 0.9, weightDecay: 0.01, momentum: 0.5, centered: true)
            }, ReferenceRMSprop(lr: 0.005, alpha: 0.9, weightDecay: 0.01, momentum: 0.5, centered: true)
        ),
        ("Adagrad", { try Adagrad(parameters: $0, learningRate: 0.1) }, ReferenceAdagrad(lr: 0.1)),
        (
            "Adagrad decay accumulator", {
                try Adagrad(
                    parameters: $0, learningRate: 0.1, learningRateDecay: 0.05, weightDecay: 0.02,
                    initialAccumulatorValue: 0.1)
            }, ReferenceAdagrad(lr: 0.1, lrDecay: 0.05, weightDecay: 0.02, initialAccumulator: 0.1)
        ),
        ]
    }

    @Test(arguments: 0..<12)
    func float64MatchesReferenceOverTwentySteps(_ index: Int) throws {
        let item = Self.cases[index]
        let deviation = try largestDeviation(steps: 20, dtype: .float64, make: item.make, reference: item.reference)
        #expect(deviation < 1e-12, "\(item.name): relative deviation \(deviation)")
    }

    @Test(arguments: 0..<12)
    func float32MatchesReferenceOverTwentySteps(_ index: Int) throws {
        let item = Self.cases[index]
        let deviation = try largestDeviation(steps: 20, dtype: .float32, make: item.make, reference: item.reference)
        #expect(deviation < 1e-4, "\(item.name): relative deviation \(deviation)")
    }

    /// Values derived by hand from PyTorch's formulas (what `torch.optim` prints for these inputs).
    @Test func handDerivedFirstSteps() throws {
        // Adam's first step moves each weight by lr · g / (|g| + ε): θ = 1 − 0.1 · 0.5 / (0.5 + 1e-8).
        let w = Variable(Tensor([1.0, -2.0] as [Double]), requiresGradient: true)
        let adam = try Adam(parameters: [w], learningRate: 0.1)
        w.gradient = Tensor([0.5, -4.0] as [Double])
        adam.step()
        #expect(abs(w.value.doubleScalars[0] - (1 - 0.1 * 0.5 / (0.5 + 1e-8))) < 1e-15)
        #expect(abs(w.value.doubleScalars[1] - (-2 + 0.1 * 4 / (4 + 1e-8))) < 1e-15)
        // Second step with the same gradient: m̂ = g and v̂ = g² again, so the move is the same.
        adam.step()
        #expect(abs(w.value.doubleScalars[0] - (1 - 2 * 0.1 * 0.5 / (0.5 + 1e-8))) < 1e-14)

        // SGD momentum 0.9, lr 0.1, constant gradient 1: buffers 1, 1.9, 2.71 → θ = −0.1, −0.29, −0.561.
        let v = Variable(Tensor([0.0] as [Double]), requiresGradient: true)
        let sgd = try SGD(parameters: [v], learningRate: 0.1, momentum: 0.9)
        var seen: [Double] = []
        for _ in 0..<3 {
            v.gradient = Tensor([1.0] as [Double])
            sgd.step()
            seen.append(v.value.doubleScalars[0])
        }
        #expect(zip(seen, [-0.1, -0.29, -0.561]).allSatisfy { abs($0 - $1) < 1e-12 }, "\(seen)")

        // Adagrad lr 1, gradients 3 then 4: θ = −3/3 = −1, then −1 − 4/5 = −1.8.
        let a = Variable(Tensor([0.0] as [Double]), requiresGradient: true)
        let adagrad = try Adagrad(parameters: [a], learningRate: 1, epsilon: 0)
        a.gradient = Tensor([3.0] as [Double])
        adagrad.step()
        a.gradient = Tensor([4.0] as [Double])
        adagrad.step()
        #expect(abs(a.value.doubleScalars[0] + 1.8) < 1e-15)
    }

    @Test func parametersWithoutGradientKeepValueAndState() throws {
        let parameters = makeParameters(dtype: .float32)
        let optimizer = try Adam(parameters: parameters, learningRate: 0.1)
        parameters[0].gradient = Tensor.ones(shape: [2, 3])
        optimizer.step()
        #expect(parameters[1].value.doubleScalars == initialValues[1].map { Double(Float($0)) })
        let state = optimizer.stateDict()
        #expect(state.state.keys.sorted() == [0])
        #expect(state.state[0]?.scalars["step"] == 1)
    }

    @Test func groupsUseTheirOwnHyperparameters() throws {
        let parameters = makeParameters(dtype: .float64)
        let decayed = SGD.Hyperparameters(learningRate: 0.1, weightDecay: 0.5)
        var undecayed = decayed
        undecayed.weightDecay = 0
        undecayed.learningRate = 0.2
        let optimizer = try SGD(groups: [ParameterGroup([parameters[0]], decayed), ParameterGroup([parameters[1]], undecayed)])
        for parameter in parameters { parameter.gradient = Tensor.zeros(like: parameter.value) }
        optimizer.step()
        // Zero gradient: only weight decay moves group 0 (θ ← θ − 0.1 · 0.5θ); group 1 stays.
        #expect(parameters[0].value.doubleScalars == initialValues[0].map { $0 - 0.1 * 0.5 * $0 })
        #expect(parameters[1].value.doubleScalars == initialValues[1])
        #expect(optimizer.learningRates == [0.1, 0.2])
        optimizer.learningRate = 0.01
        #expect(optimizer.learningRates == [0.01, 0.01])
    }
}

@Suite("Parameter groups from a module")
struct ModuleGroupTests {
    final class Model: Module {
        let hidden = Linear(inputFeatures: 3, outputFeatures: 4, seed: 1)
        let output = Linear(inputFeatures: 4, outputFeatures: 2, seed: 2)
    }

    @Test func weightDecaySplitSeparatesMatricesFromBiases() throws {
        let model = Model()
        model.output.bias?.requiresGradient = false
        let groups = ParameterGroup<AdamHyperparameters>.weightDecaySplit(
            of: model, decayed: .init(weightDecay: 0.01), undecayed: .init(weightDecay: 0))
        #expect(groups.map { $0.parameters.map(\.shape) } == [[[4, 3], [2, 4]], [[4]]])
        #expect(groups.map(\.hyperparameters.weightDecay) == [0.01, 0])
        let optimizer = try AdamW(groups: groups)
        #expect(optimizer.stateDict().parameterGroups.map(\.parameterIndices) == [[0, 1], [2]])
    }
}
