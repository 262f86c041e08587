import ForgeAutograd
import ForgeOptimizers
import ForgeTensor
import Testing

/// The error `body` throws, or nil.
func optimizerError(_ body: () throws -> Any) -> OptimizerError? {
    do {
        _ = try body()
        return nil
    } catch let error as OptimizerError {
        return error
    } catch {
        return nil
    }
}

@Suite("Hyperparameters and saved state are validated")
struct ValidationTests {
    let parameters = makeParameters(dtype: .float32)

    @Test func invalidHyperparametersAreRejectedWithAHint() throws {
        let negative = optimizerError { try Adam(parameters: parameters, learningRate: -1e-3) }
        #expect(negative?.code == .invalidHyperparameter)
        #expect(negative?.description == "Adam: learningRate is -0.001; use a non-negative value (typical: 1e-3)")
        let beta = optimizerError { try AdamW(parameters: parameters, betas: (0.9, 1.0)) }
        #expect(beta?.code == .invalidHyperparameter)
        #expect(beta?.message.contains("betas.1 (beta2) is 1.0; it must be in [0, 1)") == true)
        #expect(optimizerError { try Adam(parameters: parameters, betas: (-0.1, 0.999)) }?.code == .invalidHyperparameter)
        #expect(optimizerError { try SGD(parameters: parameters, weightDecay: -1) }?.code == .invalidHyperparameter)
        #expect(optimizerError { try SGD(parameters: parameters, learningRate: .nan) }?.code == .invalidHyperparameter)
        let nesterov = optimizerError { try SGD(parameters: parameters, momentum: 0.9, dampening: 0.1, nesterov: true) }
        #expect(nesterov?.message.contains("Nesterov momentum needs momentum > 0 and dampening 0") == true)
        #expect(optimizerError { try SGD(parameters: parameters, nesterov: true) }?.code == .invalidHyperparameter)
        #expect(optimizerError { try RMSprop(parameters: parameters, momentum: -0.5) }?.code == .invalidHyperparameter)
        #expect(optimizerError { try Adagrad(parameters: parameters, learningRateDecay: -1) }?.code == .invalidHyperparameter)
        #expect(
            optimizerError { try Adagrad(parameters: parameters, initialAccumulatorValue: -1) }?.code == .invalidHyperparameter)
        var adam = Adam.Hyperparameters()
        adam.epsilon = -1
        let optimizer = try Adam(parameters: parameters)
        #expect(optimizerError { try optimizer.setHyperparameters(adam, group: 0) }?.code == .invalidHyperparameter)
    }

    @Test func parameterListsAreChecked() throws {
        let empty = optimizerError { try Adam(parameters: []) }
        #expect(empty?.code == .emptyParameterList)
        #expect(empty?.message.contains("pass model.parameters()") == true)
        #expect(optimizerError { try SGD(parameters: [parameters[0], parameters[0]]) }?.code == .duplicateParameter)
        let split = optimizerError {
            try SGD(groups: [ParameterGroup([parameters[0]], .init()), ParameterGroup([parameters[0]], .init())])
        }
        #expect(split?.code == .duplicateParameter)
        let integer = Variable(Tensor([1, 2] as [Int32]), requiresGradient: true)
        #expect(optimizerError { try SGD(parameters: [integer]) }?.code == .unsupportedParameter)
    }

    @Test func mismatchedStateIsRejectedAndLeavesTheOptimizerUnchanged() throws {
        let optimizer = try Adam(parameters: parameters, learningRate: 0.1)
        for parameter in parameters { parameter.gradient = Tensor.ones(like: parameter.value) }
        optimizer.step()
        let good = optimizer.stateDict()

        let other = try SGD(parameters: parameters, momentum: 0.9)
        #expect(optimizerError { try other.load(stateDict: good) }?.code == .stateMismatch)

        let fewer = try Adam(parameters: [parameters[0]])
        #expect(optimizerError { try fewer.load(stateDict: good) }?.code == .stateMismatch)

        var wrongShape = good
        wrongShape.state[1]?.tensors["exp_avg"] = Tensor.zeros(shape: [5])
        let fresh = try Adam(parameters: parameters, learningRate: 0.5)
        let shapeError = optimizerError { try fresh.load(stateDict: wrongShape) }
        #expect(shapeError?.code == .stateMismatch)
        #expect(shapeError?.message == "state \"exp_avg\" of parameter 1 has shape [5], the parameter [4]")
        #expect(fresh.learningRate == 0.5 && fresh.stateDict().state.isEmpty)

        var missing = good
        missing.parameterGroups[0].hyperparameters["beta2"] = nil
        #expect(optimizerError { try fresh.load(stateDict: missing) }?.code == .malformedState)

        var badStep = good
        badStep.state[0]?.scalars["step"] = -3
        #expect(optimizerError { try fresh.load(stateDict: badStep) }?.code == .stateMismatch)

        var outOfRange = good
        outOfRange.state[7] = outOfRange.state[0]
        #expect(optimizerError { try fresh.load(stateDict: outOfRange) }?.code == .stateMismatch)
    }

    @Test func malformedFlattenedStateIsAnError() throws {
        let (tensors, metadata) = try Adam(parameters: parameters).stateDict().flattened()
        var noOptimizer = metadata
        noOptimizer["optimizer"] = nil
        #expect(optimizerError { try OptimizerStateDict(tensors: tensors, metadata: noOptimizer) }?.code == .malformedState)
        var badGroups = metadata
        badGroups["param_groups"] = "[{\"oops\": 1}]"
        #expect(optimizerError { try OptimizerStateDict(tensors: tensors, metadata: badGroups) }?.code == .malformedState)
        var badScalar = metadata
        badScalar["state.0.step"] = "three"
        #expect(optimizerError { try OptimizerStateDict(tensors: tensors, metadata: badScalar) }?.code == .malformedState)
        #expect(
            optimizerError { try OptimizerStateDict(tensors: ["weights": Tensor.zeros(shape: [1])], metadata: metadata) }?
                .code == .malformedState)
        #expect(
            optimizerError { try OptimizerStateDict(tensors: ["state.x.exp_avg": Tensor.zeros(shape: [1])], metadata: metadata) }?
                .code == .malformedState)
    }
}
