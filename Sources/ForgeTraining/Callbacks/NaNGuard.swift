public import ForgeAutograd
public import ForgeData
import ForgeLayers
import ForgeTensor

/// Stops the run at the first batch whose loss or gradients are NaN or infinite, naming the epoch,
/// the batch and the operation that produced the first bad value.
///
/// Checking costs one pass over the loss and the gradients per batch. When something is not finite,
/// the guard replays the batch's forward and backward pass under ForgeAutograd's anomaly detection
/// (``Trainer/findAnomaly(in:)``) to find the operation — before the optimizer steps, so the weights
/// stay as they were — and throws a ``NonFiniteLossError``.
///
/// ```swift
/// do {
///     try trainer.fit()
/// } catch let error as NonFiniteLossError {
///     print(error)   // "NaN guard: epoch 3, batch 17 (step 152): loss is nan; log created at … produced …"
/// }
/// ```
public final class NaNGuard: TrainingCallback {
    /// Whether gradients are checked as well as the loss.
    public let checksGradients: Bool

    /// Creates the guard.
    ///
    /// - Parameter checksGradients: also check every parameter's gradient (the default).
    public init(checksGradients: Bool = true) {
        self.checksGradients = checksGradients
    }

    /// −100: first, before anything reads the gradients.
    public var order: Int { -100 }

    /// Checks the loss and gradients; on a NaN or infinity, finds the operation and throws.
    public func gradientsDidCompute(_ trainer: Trainer, batch: Batch, loss: Variable) throws {
        let lossValue = loss.value.converted(to: .float64).item(as: Double.self)
        var parameter: String?
        if lossValue.isFinite && checksGradients {
            for (name, variable) in trainer.model.namedParameters() {
                if let gradient = variable.gradient, !Self.isFinite(gradient) {
                    parameter = name
                    break
                }
            }
            if parameter == nil { return }
        }
        let state = trainer.state
        let anomaly = trainer.findAnomaly(in: batch)
        throw NonFiniteLossError(
            epoch: state.epoch, batchIndex: state.batchIndex, globalStep: state.globalStep, loss: lossValue,
            parameter: parameter, anomaly: anomaly)
    }

    static func isFinite(_ tensor: Tensor) -> Bool {
        guard tensor.dtype.isFloatingPoint else { return true }
        return tensor.isFinite().sum().converted(to: .int64).item(as: Int64.self) == Int64(tensor.count)
    }
}

/// A training run met a NaN or infinite loss or gradient; says where in the run and which operation.
public struct NonFiniteLossError: Error, CustomStringConvertible {
    /// The epoch, from 0.
    public let epoch: Int
    /// The batch's index in its epoch.
    public let batchIndex: Int
    /// The optimizer steps taken before this batch.
    public let globalStep: Int
    /// The batch's loss (finite when only a gradient was bad).
    public let loss: Double
    /// The first parameter whose gradient was not finite, when the loss was.
    public let parameter: String?
    /// What anomaly detection found on replaying the batch: the operation, its source location and the
    /// phase (forward result or gradient); nil when the replay found nothing.
    public let anomaly: AnomalyError?

    /// The operation that produced the first NaN or infinity (`"log"`, `"matmul"`, …), when found.
    public var operation: String? { anomaly?.operation }

    /// A sentence with the position, the loss and the operation.
    public var description: String {
        var text = "NaN guard: epoch \(epoch), batch \(batchIndex) (step \(globalStep)): "
        text += loss.isFinite ? "the gradient of \(parameter ?? "a parameter") is not finite" : "loss is \(loss)"
        if let anomaly {
            text += "; \(anomaly.description)"
        } else {
            text += "; replaying the batch under anomaly detection found no non-finite operation"
        }
        return text
    }
}
