import ForgeAutograd
import ForgeLayers
import ForgeOptimizers
import ForgeTensor
import Foundation
import Testing

/// A user-style optimizer written only against the public protocol: sign-SGD, θ ← θ − η·sign(g).
final class SignSGD: Optimizer {
    let parameters: [Variable]
    var learningRates: [Double]

    init(parameters: [Variable], learningRate: Double) throws {
        guard !parameters.isEmpty else {
            throw OptimizerError(.emptyParameterList, component: "SignSGD", message: "no parameters")
        }
        self.parameters = parameters
        self.learningRates = [learningRate]
    }

    func step() {
        withoutGradient {
            for parameter in parameters {
                guard let gradient = parameter.gradient else { continue }
                parameter.value = parameter.value - gradient.sign() * learningRates[0]
            }
        }
    }

    func stateDict() -> OptimizerStateDict {
        OptimizerStateDict(
            optimizer: "SignSGD", state: [:],
            parameterGroups: [.init(hyperparameters: ["lr": learningRates[0]], parameterIndices: Array(parameters.indices))])
    }

    func load(stateDict: OptimizerStateDict) throws {
        guard stateDict.optimizer == "SignSGD", let rate = stateDict.parameterGroups.first?.hyperparameters["lr"] else {
            throw OptimizerError(.stateMismatch, component: "SignSGD", message: "not SignSGD state")
        }
        learningRates = [rate]
    }
}

/// The checks every optimizer must pass, whatever its algorithm.
enum OptimizerConformance {
    static let target: [[Double]] = [[0.3, -0.2, 0.1, 0.0, 0.4, -0.5], [0.2, 0.2, -0.1, 0.6]]

    /// Σ (θ − c)² over both tensors, through autograd.
    static func loss(_ parameters: [Variable]) -> Variable {
        zip(parameters, target).map { parameter, center in
            let difference = parameter - Tensor(center, shape: parameter.shape).converted(to: parameter.dtype)
            return (difference * difference).sum()
        }.reduce(Variable(Tensor.zeros(shape: [], dtype: parameters[0].dtype))) { $0 + $1 }
    }

    static func trainStep(_ optimizer: any Optimizer, _ parameters: [Variable]) throws -> Double {
        optimizer.zeroGradients()
        let value = loss(parameters)
        try value.backward()
        optimizer.step()
        return value.value.doubleScalars[0]
    }

    /// Steps reduce a convex quadratic, `zeroGradients` clears, and saving after `k` steps then loading
    /// into a fresh optimizer continues bit-identically.
    static func run(_ name: String, make: ([Variable]) throws -> any Optimizer) throws {
        // 1. Descends.
        let parameters = makeParameters(dtype: .float32)
        let optimizer = try make(parameters)
        let initial = loss(parameters).value.doubleScalars[0]
        for _ in 0..<60 { _ = try trainStep(optimizer, parameters) }
        let final = loss(parameters).value.doubleScalars[0]
        #expect(final < 0.5 * initial, "\(name): loss \(initial) → \(final)")
        optimizer.zeroGradients()
        #expect(parameters.allSatisfy { $0.gradient == nil }, "\(name): zeroGradients left a gradient")
        #expect(optimizer.parameters.count == 2)

        // 2. Resumes exactly, through the flattened (safetensors) form.
        let uninterruptedParameters = makeParameters(dtype: .float32)
        let uninterrupted = try make(uninterruptedParameters)
        for _ in 0..<7 { _ = try trainStep(uninterrupted, uninterruptedParameters) }

        let firstParameters = makeParameters(dtype: .float32)
        let first = try make(firstParameters)
        for _ in 0..<3 { _ = try trainStep(first, firstParameters) }
        let (tensors, metadata) = first.stateDict().flattened()
        let saved = try OptimizerStateDict(tensors: tensors, metadata: metadata)
        #expect(saved == first.stateDict(), "\(name): flattened state did not round-trip")

        let resumedParameters = firstParameters.map { Variable($0.value, requiresGradient: true) }
        let resumed = try make(resumedParameters)
        resumed.learningRate = 123  // overwritten by the loaded group hyperparameters
        try resumed.load(stateDict: saved)
        for _ in 0..<4 { _ = try trainStep(resumed, resumedParameters) }
        for (a, b) in zip(resumedParameters, uninterruptedParameters) {
            #expect(a.value == b.value, "\(name): resumed run differs by \(a.value.maximumAbsoluteDifference(from: b.value))")
        }
    }
}

@Suite("Every optimizer conforms")
struct ConformanceTests {
    static var factories: [(String, ([Variable]) throws -> any Optimizer)] {
        [
            ("SGD", { try SGD(parameters: $0, learningRate: 0.05, momentum: 0.9, nesterov: true) }),
            ("Adam", { try Adam(parameters: $0, learningRate: 0.05, amsgrad: true) }),
            ("AdamW", { try AdamW(parameters: $0, learningRate: 0.05) }),
            ("RMSprop", { try RMSprop(parameters: $0, learningRate: 0.01, momentum: 0.5, centered: true) }),
            ("Adagrad", { try Adagrad(parameters: $0, learningRate: 0.1) }),
            ("SignSGD (user-defined)", { try SignSGD(parameters: $0, learningRate: 0.01) }),
        ]
    }

    @Test(arguments: 0..<6)
    func conforms(_ index: Int) throws {
        let (name, make) = Self.factories[index]
        try OptimizerConformance.run(name, make: make)
    }

    @Test func stateSurvivesASafetensorsFile() throws {
        let parameters = makeParameters(dtype: .float32)
        let optimizer = try Adam(parameters: parameters, learningRate: 0.05, amsgrad: true)
        for _ in 0..<2 { _ = try OptimizerConformance.trainStep(optimizer, parameters) }
        let url = FileManager.default.temporaryDirectory.appending(path: "forge-optimizer-\(UUID()).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try optimizer.stateDict().write(to: url)
        let read = try OptimizerStateDict(contentsOf: url)
        #expect(read == optimizer.stateDict())
        #expect(read.state[0]?.tensors.keys.sorted() == ["exp_avg", "exp_avg_sq", "max_exp_avg_sq"])
        #expect(read.state[1]?.scalars == ["step": 2])
        #expect(read.parameterGroups[0].parameterIndices == [0, 1])
        #expect(read.parameterGroups[0].hyperparameters["lr"] == 0.05)
    }
}

@Suite("Checkpoint and resume with a model and a schedule")
struct CheckpointResumeTests {
    /// A fixed regression problem for a `Linear` layer.
    static let inputs = Tensor((0..<24).map { Float(sin(Double($0))) }, shape: [8, 3])
    static let targets = Tensor((0..<16).map { Float(cos(Double($0) * 0.7)) }, shape: [8, 2])

    /// Builds the model, optimizer and scheduler exactly the same way every time.
    static func build() throws -> (Linear, AdamW, LearningRateScheduler<LinearWarmup<CosineAnnealing>>) {
        let model = Linear(inputFeatures: 3, outputFeatures: 2, seed: 5)
        let optimizer = try AdamW(
            groups: ParameterGroup.weightDecaySplit(
                of: model, decayed: AdamW.Hyperparameters(learningRate: 0.05, weightDecay: 0.01),
                undecayed: AdamW.Hyperparameters(learningRate: 0.05, weightDecay: 0)))
        let schedule = try LinearWarmup(steps: 3, startFactor: 0.1, then: try CosineAnnealing(period: 10, minimumRate: 0.001))
        return (model, optimizer, LearningRateScheduler(optimizer: optimizer, schedule: schedule))
    }

    static func train(_ model: Linear, _ optimizer: AdamW, _ scheduler: LearningRateScheduler<LinearWarmup<CosineAnnealing>>, steps: Int)
        throws
    {
        for _ in 0..<steps {
            optimizer.zeroGradients()
            let difference = model(Variable(inputs)) - Variable(targets)
            try (difference * difference).mean().backward()
            GradientClipping.clipByNorm(model.parameters(), maximumNorm: 1)
            optimizer.step()
            scheduler.step()
        }
    }

    @Test func resumedTrainingEndsExactlyWhereUninterruptedTrainingEnds() throws {
        let (model, optimizer, scheduler) = try Self.build()
        try Self.train(model, optimizer, scheduler, steps: 12)

        let (first, firstOptimizer, firstScheduler) = try Self.build()
        try Self.train(first, firstOptimizer, firstScheduler, steps: 5)
        let directory = FileManager.default.temporaryDirectory.appending(path: "forge-resume-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let weights = Dictionary(uniqueKeysWithValues: first.namedParameters().map { ($0.name, $0.parameter.value) })
        try SafeTensors.write(weights, to: directory.appending(path: "model.safetensors"))
        try firstOptimizer.stateDict().write(to: directory.appending(path: "optimizer.safetensors"))
        try JSONEncoder().encode(firstScheduler.stateDict()).write(to: directory.appending(path: "scheduler.json"))

        let (resumed, resumedOptimizer, resumedScheduler) = try Self.build()
        let savedWeights = try SafeTensors.read(from: directory.appending(path: "model.safetensors")).tensors
        for (name, parameter) in resumed.namedParameters() { parameter.value = try #require(savedWeights[name]) }
        try resumedOptimizer.load(stateDict: try OptimizerStateDict(contentsOf: directory.appending(path: "optimizer.safetensors")))
        try resumedScheduler.load(
            stateDict: try JSONDecoder().decode(
                LearningRateSchedulerState.self, from: Data(contentsOf: directory.appending(path: "scheduler.json"))))
        #expect(resumedOptimizer.learningRates == firstOptimizer.learningRates)
        try Self.train(resumed, resumedOptimizer, resumedScheduler, steps: 7)

        #expect(resumed.weight.value == model.weight.value)
        #expect(resumed.bias?.value == model.bias?.value)
        #expect(resumedOptimizer.learningRates == optimizer.learningRates)
        #expect(resumedOptimizer.stateDict() == optimizer.stateDict())
    }
}
