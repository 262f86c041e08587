import ForgeAutograd
import ForgeData
import ForgeLayers
import ForgeOptimizers
import ForgeTensor
import ForgeTraining
import Foundation
import Testing

@Suite("GradientStatistics")
struct CallbackGradientStatisticsTests {
    @Test("activations, gradients and updates are recorded every N steps, and match plain SGD's update rule")
    func recordsStatistics() throws {
        let sink = InMemoryStatisticsSink()
        let model = makeMLP(seed: 13)
        let learningRate = 0.05
        /// Keeps each step's gradient of the first weight, to check the recorded statistics against.
        final class Gradients: TrainingCallback {
            var firstWeight: [Tensor] = []
            func gradientsDidCompute(_ trainer: Trainer, batch: Batch, loss: Variable) throws {
                firstWeight.append(try #require(trainer.model.namedParameters().first?.parameter.gradient))
            }
        }
        let gradients = Gradients()
        let trainer = Trainer(
            model: model, loss: CrossEntropyLoss(),
            optimizer: try SGD(parameters: model.parameters(), learningRate: learningRate),
            trainingData: DataLoader(Digits.shared.trainPrefix(160), batchSize: 32), epochs: 2,
            callbacks: [gradients, GradientStatistics(every: 3, sink: sink)])
        try trainer.fit()

        #expect(sink.records.map(\.step) == [0, 3, 6, 9])
        #expect(sink.records.map(\.epoch) == [0, 0, 1, 1])
        #expect(sink.records.map(\.batchIndex) == [0, 3, 1, 4])
        for record in sink.records {
            #expect(Set(record.activations.keys) == ["0", "1", "2"])
            #expect(Set(record.gradients.keys) == ["0.weight", "0.bias", "2.weight", "2.bias"])
            #expect(record.activations["1"]!.mean >= 0, "ReLU outputs are non-negative")
            #expect(record.activations["0"]!.count == 32 * 32)

            // The recorded gradient is the gradient of that step, computed independently.
            let gradient = gradients.firstWeight[record.step]
            let oracle = gradient.doubleScalars
            let mean = oracle.reduce(0, +) / Double(oracle.count)
            let variance = oracle.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(oracle.count)
            let recorded = record.gradients["0.weight"]!
            #expect(abs(recorded.mean - mean) <= 1e-12 * max(1, abs(mean)))
            #expect(abs(recorded.variance - variance) <= 1e-12 * variance)

            // Plain SGD: update = −lr · gradient, so its mean and variance scale by −lr and lr².
            let update = record.updates["0.weight"]!
            let rootMeanSquare = recorded.norm / Double(recorded.count).squareRoot()
            #expect(abs(update.mean + learningRate * recorded.mean) <= 1e-3 * learningRate * rootMeanSquare)
            #expect(abs(update.variance / (learningRate * learningRate * recorded.variance) - 1) < 1e-3)
            #expect(record.updateRatios["0.weight"]! > 0 && record.updateRatios["0.weight"]! < 1)
        }
    }

    @Test("the forward hooks are removed when the run ends")
    func hooksRemoved() throws {
        var count = 0
        let sink = ClosureStatisticsSink { _ in count += 1 }
        let statistics = GradientStatistics(every: 1, sink: sink)
        let model = makeMLP(seed: 14)
        let trainer = Trainer(
            model: model, loss: CrossEntropyLoss(),
            optimizer: try SGD(parameters: model.parameters(), learningRate: 0.01),
            trainingData: DataLoader(Digits.shared.trainPrefix(64), batchSize: 32), epochs: 1, callbacks: [statistics])
        try trainer.fit()
        #expect(count == 2)
        // A second run with the same callback installs its hooks once again, not twice.
        let again = Trainer(
            model: model, loss: CrossEntropyLoss(),
            optimizer: try SGD(parameters: model.parameters(), learningRate: 0.01),
            trainingData: DataLoader(Digits.shared.trainPrefix(32), batchSize: 32), epochs: 1, callbacks: [statistics])
        var calls = 0
        let probe = model.addForwardHook { _, _, _ in calls += 1 }
        try again.fit()
        probe.remove()
        #expect(count == 3)
        #expect(calls == 1)
    }

    @Test("tensor statistics are the population mean, variance and L2 norm")
    func tensorStatistics() {
        let statistics = TensorStatistics(Tensor([1, 2, 3, 6] as [Float]))
        #expect(statistics.mean == 3)
        #expect(statistics.variance == 3.5)  // (4 + 1 + 0 + 9) / 4
        #expect(abs(statistics.norm - 50.0.squareRoot()) < 1e-15)
        #expect(statistics.count == 4)
    }
}
