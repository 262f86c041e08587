import ForgeAutograd
import ForgeTensor

/// The hyperparameters of a built-in optimizer: validated at construction and saved by name.
protocol BuiltInHyperparameters: Sendable, Equatable {
    /// The group's learning rate.
    var learningRate: Double { get set }
    /// Throws ``OptimizerError`` for the first value out of range, naming `component`.
    func validate(component: String) throws
    /// The values by PyTorch's `param_groups` names; flags are 0 or 1.
    var scalars: [String: Double] { get }
    /// Reads values written by ``scalars``.
    init(scalars: ScalarReader) throws
}

/// The per-algorithm half of a built-in optimizer: its state and its fused update.
///
/// ``OptimizerEngine`` does the rest — groups, indices, validation, the step loop, saving and
/// loading — the same way for every algorithm.
protocol OptimizerAlgorithm {
    associatedtype Hyperparameters: BuiltInHyperparameters
    /// Per-parameter state; a class so the step loop mutates it in place, without copies.
    associatedtype State: AnyObject

    /// The name used in errors and in saved state (`"Adam"`).
    static var name: String { get }

    /// Whether state exists from construction (Adagrad's accumulator) rather than from the first step.
    static var createsStateEagerly: Bool { get }

    /// Fresh state for a parameter with this value.
    static func makeState(like value: Tensor, hyperparameters: Hyperparameters) -> State

    /// Applies one update to `value` from `gradient`, in one pass over raw buffers.
    static func update<T: TensorFloatingPoint>(
        _ type: T.Type, value: inout Tensor, gradient: Tensor, state: State, hyperparameters: Hyperparameters)

    /// The state as named tensors and scalars (PyTorch's names).
    static func save(_ state: State) -> OptimizerStateDict.ParameterState

    /// Rebuilds state from ``save(_:)``'s output for a parameter with this value.
    static func restore(
        _ saved: OptimizerStateDict.ParameterState, like value: Tensor, hyperparameters: Hyperparameters,
        reader: StateReader
    ) throws -> State
}

extension OptimizerAlgorithm {
    static var createsStateEagerly: Bool { false }
}

/// Reads hyperparameters from a saved group, with errors naming the missing key.
struct ScalarReader {
    let scalars: [String: Double]
    let component: String

    func value(_ key: String) throws -> Double {
        guard let value = scalars[key] else {
            throw OptimizerError(
                .malformedState, component: component, message: "saved parameter group has no \"\(key)\" hyperparameter")
        }
        return value
    }

    func flag(_ key: String) throws -> Bool { try value(key) != 0 }
}

/// Reads one parameter's saved state, checking names, shapes and dtypes.
struct StateReader {
    let component: String
    let index: Int

    /// The saved tensor `name`, with the parameter's shape, converted to its dtype and uniquely owned.
    func tensor(_ saved: OptimizerStateDict.ParameterState, _ name: String, like value: Tensor) throws -> Tensor {
        guard let tensor = saved.tensors[name] else {
            throw OptimizerError(
                .stateMismatch, component: component, message: "state of parameter \(index) has no \"\(name)\" tensor")
        }
        guard tensor.shape == value.shape else {
            throw OptimizerError(
                .stateMismatch, component: component,
                message: "state \"\(name)\" of parameter \(index) has shape \(tensor.shape), the parameter \(value.shape)")
        }
        // Shares storage with the caller's dictionary until the first step writes it: copy-on-write
        // then copies it once, so the dictionary never changes under the caller.
        return tensor.converted(to: value.dtype).contiguous()
    }

    /// The saved tensor `name` when present.
    func optionalTensor(_ saved: OptimizerStateDict.ParameterState, _ name: String, like value: Tensor) throws -> Tensor? {
        saved.tensors[name] == nil ? nil : try tensor(saved, name, like: value)
    }

    /// The saved step count.
    func step(_ saved: OptimizerStateDict.ParameterState) throws -> Int {
        guard let step = saved.scalars["step"], step >= 0, step == step.rounded(), step < 1e15 else {
            throw OptimizerError(
                .stateMismatch, component: component,
                message: "state of parameter \(index) has no valid \"step\" (\(saved.scalars["step"].map { "\($0)" } ?? "missing"))")
        }
        return Int(step)
    }
}
