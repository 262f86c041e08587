import ForgeAutograd
import ForgeData
import ForgeLayers
import ForgeOptimizers
import ForgeTensor
import Foundation

extension Trainer {
    /// Runs the remaining epochs: all of them for a new trainer, the rest after ``restore(from:strict:)``.
    ///
    /// - Returns: the final state (history, best metric, why it stopped).
    /// - Throws: whatever a callback or the data throws (a ``NonFiniteLossError`` from ``NaNGuard``,
    ///   a ``TrainingError`` from checkpointing), or `CancellationError` when the surrounding task is
    ///   cancelled (the epoch in flight is not recorded; a checkpoint lets it resume); every callback's
    ///   ``TrainingCallback/trainingDidFail(_:error:)`` runs first.
    @discardableResult
    public func fit() throws -> TrainingState {
        let callbacks = self.callbacks
        try checkCallbackKeys()
        do {
            model.train()
            for callback in callbacks { try callback.trainingDidBegin(self) }
            while state.completedEpochs < epochs && !state.isStopRequested {
                try runEpoch(callbacks)
            }
            for callback in callbacks { try callback.trainingDidEnd(self) }
        } catch {
            for callback in callbacks { callback.trainingDidFail(self, error: error) }
            throw error
        }
        return state
    }

    /// Trains one epoch (or the rest of one, when resuming mid-epoch), validates, and records it.
    private func runEpoch(_ callbacks: [any TrainingCallback]) throws {
        let epoch = state.completedEpochs
        let resumingMidEpoch = state.epoch == epoch && state.completedBatches > 0
        if !resumingMidEpoch {
            state.epoch = epoch
            state.completedBatches = 0
            state.epochLossSum = 0
            state.epochSampleCount = 0
        }
        state.batchesInEpoch = trainingSource.batchCount(epoch)
        let start = Date()
        for callback in callbacks { try callback.epochDidBegin(self) }

        let batches = trainingSource.batches(epoch)
        var index = 0
        // Resuming: the batches before `completedBatches` were trained before the checkpoint. Their
        // order is a pure function of (seed, epoch), so skipping them lands on the same next batch.
        while index < state.completedBatches, batches.next() != nil { index += 1 }
        while !state.isStopRequested, let batch = batches.next() {
            state.batchIndex = index
            try trainBatch(batch, callbacks)
            index += 1
        }
        // A cancelled task ends the loader's epoch early; that is not the end of the epoch.
        try Task.checkCancellation()
        if state.isStopRequested && state.completedBatches < state.batchesInEpoch { return }

        var metrics = [
            MetricName.trainingLoss: state.epochMeanLoss, MetricName.learningRate: optimizer.learningRate,
        ]
        if let validationSource {
            let validation = evaluate(validationSource)
            for callback in callbacks { try callback.validationDidEnd(self, metrics: validation) }
            for (name, value) in validation { metrics[MetricName.validationPrefix + name] = value }
        }
        let record = EpochRecord(epoch: epoch, metrics: metrics, seconds: Date().timeIntervalSince(start))
        state.history.append(record)
        if let value = monitor.value(in: record), monitor.isImprovement(value, over: state.bestMetric) {
            state.bestMetric = value
            state.bestEpoch = epoch
        }
        state.completedEpochs = epoch + 1
        for callback in callbacks { try callback.epochDidEnd(self) }
    }

    /// One optimizer step on `batch`, with the batch stages around it.
    private func trainBatch(_ batch: Batch, _ callbacks: [any TrainingCallback]) throws {
        if !randomModules.isEmpty { randomStateAtBatchBegin = randomModules.map(\.module.generator) }
        for callback in callbacks { try callback.batchDidBegin(self, batch: batch) }
        optimizer.zeroGradients()
        let lossVariable = computeLoss(for: batch)
        try lossVariable.backward()
        for callback in callbacks { try callback.gradientsDidCompute(self, batch: batch, loss: lossVariable) }
        optimizer.step()
        let value = Self.scalar(lossVariable.value)
        state.globalStep += 1
        state.completedBatches = state.batchIndex + 1
        state.samplesSeen += batch.count
        state.epochLossSum += value * Double(batch.count)
        state.epochSampleCount += batch.count
        for callback in callbacks { try callback.batchDidEnd(self, batch: batch, loss: value) }
    }

    /// A one-element tensor as a Double.
    static func scalar(_ tensor: Tensor) -> Double {
        tensor.converted(to: .float64).item(as: Double.self)
    }

    /// Throws when two callbacks claim the same checkpoint key.
    func checkCallbackKeys() throws {
        var seen = Set<String>()
        for callback in callbacks {
            guard let key = callback.checkpointKey else { continue }
            guard seen.insert(key).inserted else {
                throw TrainingError(
                    .invalidSetup,
                    message: "two callbacks use the checkpoint key \"\(key)\"; give each a distinct key")
            }
        }
    }
}
