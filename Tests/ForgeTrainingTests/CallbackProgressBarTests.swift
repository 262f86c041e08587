import ForgeAutograd
import ForgeData
import ForgeLayers
import ForgeOptimizers
import ForgeTensor
import ForgeTraining
import Foundation
import Testing

@Suite("ProgressBar")
struct CallbackProgressBarTests {
    /// Keeps the running loss after each batch and nothing else.
    final class RunningLoss: TrainingCallback {
        var values: [Double] = []
        var order: Int { 80 }
        func batchDidEnd(_ trainer: Trainer, batch: Batch, loss: Double) throws {
            values.append(trainer.state.epochMeanLoss)
        }
    }

    /// Two epochs of 4 batches of 8, with a clock that advances half a second per reading.
    func run(_ output: TextProgressOutput, refreshInterval: Double = 0.1) throws -> (RunningLoss, TrainingState) {
        var now = 0.0
        let bar = ProgressBar(
            output: output,
            clock: {
                now += 0.5; return now
            }, width: 10, refreshInterval: refreshInterval,
            plainLineInterval: 2)
        let losses = RunningLoss()
        let model = makeMLP(seed: 15)
        let trainer = Trainer(
            model: model, loss: CrossEntropyLoss(),
            optimizer: try SGD(parameters: model.parameters(), learningRate: 0.01),
            trainingData: DataLoader(Digits.shared.trainPrefix(32), batchSize: 8), epochs: 2, callbacks: [bar, losses])
        return (losses, try trainer.fit())
    }

    func format(_ value: Double) -> String { String(format: "%.4f", value) }

    @Test("without a terminal it writes plain lines: every N batches and one per epoch")
    func plainLines() throws {
        let output = TextProgressOutput(isTerminal: false)
        let (losses, state) = try run(output)
        var expected = ""
        for epoch in 0..<2 {
            let loss = Array(losses.values[(epoch * 4)..<(epoch * 4 + 4)])
            // Clock: epoch begin at t, batches end at t+0.5 … t+2, epoch end at t+2.5.
            expected += "epoch \(epoch + 1)/2 [=====>    ] 2/4  16.0 samples/s  ETA 0:01  loss \(format(loss[1]))\n"
            expected += "epoch \(epoch + 1)/2 [==========] 4/4  16.0 samples/s  ETA 0:00  loss \(format(loss[3]))\n"
            let metrics = state.history[epoch].metrics
            expected +=
                "epoch \(epoch + 1)/2 done in 0:03: learning_rate \(format(metrics["learning_rate"]!)), "
                + "training_loss \(format(metrics["training_loss"]!))\n"
        }
        #expect(output.text == expected)
        #expect(!output.text.contains("\r"))
    }

    @Test("on a terminal it redraws one line in place, at most once per refresh interval, and always at the end")
    func terminalRedraws() throws {
        let output = TextProgressOutput(isTerminal: true)
        let (losses, _) = try run(output, refreshInterval: 1.0)
        let lines = output.text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 3, "two epoch lines and the final newline: \(lines)")
        for epoch in 0..<2 {
            let draws = lines[epoch].split(separator: "\r").map { $0.trimmingCharacters(in: .whitespaces) }
            // Batches end at 1.0 (drawn), 1.5 (too soon), 2.0 (drawn), 2.5 (last batch, drawn); then the summary.
            #expect(draws.count == 4, "\(draws)")
            guard draws.count == 4 else { continue }
            let loss = Array(losses.values[(epoch * 4)..<(epoch * 4 + 4)])
            #expect(
                draws[0] == "epoch \(epoch + 1)/2 [==>       ] 1/4  16.0 samples/s  ETA 0:02  loss \(format(loss[0]))")
            #expect(
                draws[1] == "epoch \(epoch + 1)/2 [=======>  ] 3/4  16.0 samples/s  ETA 0:01  loss \(format(loss[2]))")
            #expect(
                draws[2] == "epoch \(epoch + 1)/2 [==========] 4/4  16.0 samples/s  ETA 0:00  loss \(format(loss[3]))")
            #expect(draws[3].hasPrefix("epoch \(epoch + 1)/2 done in 0:03: learning_rate 0.0100, training_loss "))
        }
    }

    @Test("durations read m:ss or h:mm:ss")
    func durations() throws {
        let output = TextProgressOutput(isTerminal: false)
        var now = 0.0
        let bar = ProgressBar(
            output: output,
            clock: {
                now += 3725; return now
            }, plainLineInterval: 1)
        let model = makeMLP(seed: 16)
        let trainer = Trainer(
            model: model, loss: CrossEntropyLoss(),
            optimizer: try SGD(parameters: model.parameters(), learningRate: 0.01),
            trainingData: DataLoader(Digits.shared.trainPrefix(16), batchSize: 8), epochs: 1, callbacks: [bar])
        try trainer.fit()
        #expect(output.text.contains("ETA 1:02:05"))  // one batch of two left at 3725 s per batch
        #expect(output.text.contains("done in 3:06:15"))  // three readings after the epoch began
    }
}
