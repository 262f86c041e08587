public import ForgeAutograd
public import ForgeData
public import ForgeTensor
public import Foundation

/// Code that runs at the stages of a ``Trainer``'s run: the extension point behind checkpointing,
/// early stopping, schedules, progress output and tracking — and your own.
///
/// Every method has a default that does nothing, so a callback implements only the stages it needs:
///
/// ```swift
/// final class PrintLoss: TrainingCallback {
///     func epochDidEnd(_ trainer: Trainer) throws {
///         let record = trainer.state.history.last!
///         print("epoch \(record.epoch): \(record.metrics)")
///     }
/// }
/// ```
///
/// The stages of a run, in order:
/// - ``trainingDidBegin(_:)`` once (also when resuming);
/// - per epoch: ``epochDidBegin(_:)``, then per batch ``batchDidBegin(_:batch:)``,
///   ``gradientsDidCompute(_:batch:loss:)`` (after backward, before the optimizer step) and
///   ``batchDidEnd(_:batch:loss:)``; then ``validationDidEnd(_:metrics:)`` when there is validation
///   data, then ``epochDidEnd(_:)`` (the epoch's ``EpochRecord`` is already in the history);
/// - ``trainingDidEnd(_:)`` once the epochs are done or a callback asked to stop;
/// - ``trainingDidFail(_:error:)`` instead, when a stage threw (the run then rethrows the error).
///
/// A stage that throws ends the run. To end it gracefully, call ``Trainer/requestStop(reason:)``:
/// the current batch (or epoch stage) finishes, and ``trainingDidEnd(_:)`` runs.
///
/// Every conformer must guarantee:
/// - **No hidden randomness.** A callback that changes training (rates, weights) does so as a pure
///   function of the trainer's state and its own, so one seed still gives one result bit for bit.
/// - **Resumable state.** A callback whose decisions depend on what it saw before (a patience counter,
///   a best value, a schedule) returns a ``checkpointKey`` and round-trips that state through
///   ``checkpointState()`` and ``restore(checkpointState:)``; checkpoints store it and
///   ``Trainer/restore(from:strict:)`` gives it back, so a resumed run decides exactly as an uninterrupted one.
public protocol TrainingCallback: AnyObject {
    /// When the callback runs relative to the others at the same stage: lower first, ties in the order
    /// the callbacks were given. Built-ins: ``NaNGuard`` −100, ``LearningRateStepper`` −10, others 0,
    /// ``ModelCheckpoint`` 50, tracking 60, ``ProgressBar`` 70. The default is 0.
    var order: Int { get }

    /// The run is about to begin (or resume; ``Trainer/state`` then shows where).
    func trainingDidBegin(_ trainer: Trainer) throws
    /// The run ended normally (all epochs done, or stopped on request).
    func trainingDidEnd(_ trainer: Trainer) throws
    /// A stage threw `error`; the run rethrows it after every callback has seen it.
    func trainingDidFail(_ trainer: Trainer, error: any Error)
    /// Epoch ``TrainingState/epoch`` is about to begin (or resume mid-way).
    func epochDidBegin(_ trainer: Trainer) throws
    /// Epoch ``TrainingState/epoch`` ended; its record is the last of ``TrainingState/history``.
    func epochDidEnd(_ trainer: Trainer) throws
    /// Batch ``TrainingState/batchIndex`` is about to be trained.
    func batchDidBegin(_ trainer: Trainer, batch: Batch) throws
    /// Backward ran for the batch: every parameter holds its gradient and the optimizer has not stepped.
    /// Throw here to keep the step from happening.
    func gradientsDidCompute(_ trainer: Trainer, batch: Batch, loss: Variable) throws
    /// The optimizer stepped on the batch, whose mean loss was `loss`.
    func batchDidEnd(_ trainer: Trainer, batch: Batch, loss: Double) throws
    /// Validation of the epoch finished with these metrics (`loss`, `accuracy`, …, unprefixed).
    func validationDidEnd(_ trainer: Trainer, metrics: [String: Double]) throws

    /// The name under which a checkpoint stores this callback's state, unique among the trainer's
    /// callbacks; nil (the default) when the callback keeps no state worth resuming.
    var checkpointKey: String? { get }
    /// The state to store in a checkpoint; the default is nil (nothing).
    func checkpointState() throws -> CallbackState?
    /// Restores state that ``checkpointState()`` returned; the default ignores it.
    ///
    /// - Throws: ``TrainingError`` with code `.malformedCheckpoint` when the state cannot be read.
    func restore(checkpointState: CallbackState) throws
}

extension TrainingCallback {
    /// 0.
    public var order: Int { 0 }
    /// Does nothing.
    public func trainingDidBegin(_ trainer: Trainer) throws {}
    /// Does nothing.
    public func trainingDidEnd(_ trainer: Trainer) throws {}
    /// Does nothing.
    public func trainingDidFail(_ trainer: Trainer, error: any Error) {}
    /// Does nothing.
    public func epochDidBegin(_ trainer: Trainer) throws {}
    /// Does nothing.
    public func epochDidEnd(_ trainer: Trainer) throws {}
    /// Does nothing.
    public func batchDidBegin(_ trainer: Trainer, batch: Batch) throws {}
    /// Does nothing.
    public func gradientsDidCompute(_ trainer: Trainer, batch: Batch, loss: Variable) throws {}
    /// Does nothing.
    public func batchDidEnd(_ trainer: Trainer, batch: Batch, loss: Double) throws {}
    /// Does nothing.
    public func validationDidEnd(_ trainer: Trainer, metrics: [String: Double]) throws {}
    /// nil: no state.
    public var checkpointKey: String? { nil }
    /// nil: no state.
    public func checkpointState() throws -> CallbackState? { nil }
    /// Ignores the state.
    public func restore(checkpointState: CallbackState) throws {}
}

/// A callback's resumable state: JSON for its scalars and counters, and tensors (best weights, for
/// example) stored beside it as safetensors.
public struct CallbackState: Sendable {
    /// The callback's own encoding of its scalar state (JSON by convention).
    public var data: Data
    /// Tensors by name.
    public var tensors: [String: Tensor]

    /// Creates a state from its JSON and tensors.
    public init(data: Data, tensors: [String: Tensor] = [:]) {
        self.data = data
        self.tensors = tensors
    }

    /// Encodes `value` as JSON (non-finite numbers as the strings `inf`, `-inf`, `nan`).
    public init(encoding value: some Encodable, tensors: [String: Tensor] = [:]) throws {
        self.init(data: try CheckpointJSON.encoder().encode(value), tensors: tensors)
    }

    /// Decodes the JSON as `type`.
    ///
    /// - Throws: ``TrainingError`` with code `.malformedCheckpoint` naming `owner` when it does not decode.
    public func decoded<T: Decodable>(as type: T.Type, owner: String) throws -> T {
        do {
            return try CheckpointJSON.decoder().decode(type, from: data)
        } catch {
            throw TrainingError(
                .malformedCheckpoint, message: "the saved state of \(owner) does not decode as \(type): \(error)")
        }
    }
}

/// The JSON coders checkpoints use: sorted keys, and non-finite numbers as strings.
enum CheckpointJSON {
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }

    static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }
}
