import ForgeAutograd
import ForgeData
import ForgeLayers
import ForgeOptimizers
import ForgeTensor
import ForgeTraining
import Foundation
import Testing

/// Takes the logarithm of its input: NaN for negative inputs.
final class LogFeatures: Module, Layer {
    func forward(_ input: Variable) -> Variable { input.log() }
}

@Suite("NaNGuard")
struct CallbackNaNGuardTests {
    /// 64 positive rows, except one negative feature in row `badRow`.
    func data(badRow: Int) -> TensorDataset {
        let digits = Digits.shared.trainPrefix(64)
        var values = (digits.features.abs() + 0.5).scalars(as: Float.self)
        values[badRow * 64 + 5] = -1
        return TensorDataset(features: Tensor(values, shape: [64, 64]), labels: digits.labels)
    }

    func makeModel() -> Sequential {
        var generator = RandomGenerator(seed: 10)
        return Sequential([LogFeatures(), Linear(inputFeatures: 64, outputFeatures: 10, generator: &generator)])
    }

    @Test("the guard stops at the batch whose loss is NaN, names the op, and leaves the weights unstepped")
    func namesTheOperation() throws {
        final class Weights: TrainingCallback {
            var afterLastStep: [String: Tensor] = [:]
            func batchDidEnd(_ trainer: Trainer, batch: Batch, loss: Double) throws {
                afterLastStep = trainer.model.stateDict()
            }
        }
        let weights = Weights()
        let recorder = StageRecorder()
        let model = makeModel()
        let trainer = Trainer(
            model: model, loss: CrossEntropyLoss(),
            optimizer: try SGD(parameters: model.parameters(), learningRate: 0.01),
            trainingData: DataLoader(data(badRow: 37), batchSize: 16), epochs: 2,
            callbacks: [weights, NaNGuard(), recorder])
        #expect {
            try trainer.fit()
        } throws: { error in
            guard let error = error as? NonFiniteLossError else { return false }
            #expect(error.epoch == 0)
            #expect(error.batchIndex == 2)  // row 37 is in the third batch of 16
            #expect(error.globalStep == 2)
            #expect(error.loss.isNaN)
            #expect(error.operation == "log")
            #expect(error.anomaly?.phase == .forward)
            #expect(error.anomaly?.location?.fileID.hasSuffix("CallbackNaNGuardTests.swift") == true)
            #expect(error.description.contains("epoch 0, batch 2"))
            #expect(error.description.contains("log"))
            return true
        }
        expectIdentical(model.stateDict(), weights.afterLastStep, "weights after the guard stopped")
        #expect(recorder.stages.last?.hasPrefix("trainingDidFail(NaN guard") == true)
    }

    @Test("a finite run is not disturbed by the guard")
    func finiteRunUnchanged() throws {
        func train(guarded: Bool) throws -> [String: Tensor] {
            let model = makeMLP(seed: 11)
            let trainer = Trainer(
                model: model, loss: CrossEntropyLoss(),
                optimizer: try Adam(parameters: model.parameters(), learningRate: 1e-3),
                trainingData: DataLoader(Digits.shared.trainPrefix(96), batchSize: 32, shuffle: true, seed: 1),
                epochs: 2,
                callbacks: guarded ? [NaNGuard()] : [])
            try trainer.fit()
            return model.stateDict()
        }
        expectIdentical(try train(guarded: true), try train(guarded: false), "guarded run")
    }

    @Test("an infinite gradient with a finite loss is caught and names the parameter")
    func infiniteGradient() throws {
        /// Multiplies by a huge constant in backward only: the forward value stays finite.
        final class ExplodingGradient: Module, Layer {
            func forward(_ input: Variable) -> Variable {
                Variable.record("explode", value: input.value, inputs: [input]) { gradient in [gradient * 1e39] }
            }
        }
        var generator = RandomGenerator(seed: 12)
        let model = Sequential([
            Linear(inputFeatures: 64, outputFeatures: 10, generator: &generator), ExplodingGradient(),
        ])
        let trainer = Trainer(
            model: model, loss: CrossEntropyLoss(),
            optimizer: try SGD(parameters: model.parameters(), learningRate: 0.01),
            trainingData: DataLoader(Digits.shared.trainPrefix(32), batchSize: 32), epochs: 1, callbacks: [NaNGuard()])
        #expect {
            try trainer.fit()
        } throws: { error in
            guard let error = error as? NonFiniteLossError else { return false }
            #expect(error.loss.isFinite)
            #expect(error.parameter == "0.weight")
            #expect(error.operation == "explode")
            #expect(error.anomaly?.phase == .backward)
            return true
        }
    }
}
