public import ForgeAutograd
public import ForgeTensor

/// The base of every model and layer: an object that owns parameters, buffers and child modules, each
/// with a stable dotted name like PyTorch's `state_dict` keys (`features.0.weight`).
///
/// Subclass `Module` and store parameters as `Variable` properties, non-trainable state as ``Buffer``
/// properties and sub-modules as module properties (or arrays / optionals of them); Forge discovers them
/// by their property names — no registration calls:
///
/// ```swift
/// final class Classifier: Module, Layer {
///     let hidden = Linear(inputFeatures: 64, outputFeatures: 128)
///     let output = Linear(inputFeatures: 128, outputFeatures: 10)
///     func forward(_ x: Variable) -> Variable { output(hidden(x).relu()) }
/// }
/// let model = Classifier()
/// model.namedParameters().map(\.name)   // ["hidden.weight", "hidden.bias", "output.weight", "output.bias"]
/// ```
///
/// Discovery reads the object's stored properties once per call with `Mirror`; it is meant for setting
/// things up (optimizers, checkpoints), not for the forward pass. Override ``namedMembers()`` to list
/// members yourself (``Sequential`` does, to name its layers `0`, `1`, …).
open class Module {
    /// Whether the module (and, through ``train(_:)``, its children) is in training mode; layers such as
    /// dropout and batch normalization behave differently in evaluation mode.
    public private(set) var isTraining = true

    /// Forward hooks, run by ``Layer/callAsFunction(_:)`` after `forward`.
    var forwardHooks: [(id: Int, hook: (Module, Any, Any) -> Void)] = []
    var nextHookID = 0

    /// Creates a module in training mode.
    public init() {}

    /// The module's direct members — parameters, buffers and child modules — with their local names.
    ///
    /// The default reads stored properties: `Variable` → parameter, ``Buffer`` → buffer, `Module` →
    /// child, arrays of those → `name.0`, `name.1`, …, optionals when present. Override to name members
    /// differently; the result must be the same every call.
    open func namedMembers() -> [(name: String, member: ModuleMember)] {
        var result: [(String, ModuleMember)] = []
        var mirror: Mirror? = Mirror(reflecting: self)
        var mirrors: [Mirror] = []
        while let current = mirror, current.subjectType != Module.self {
            mirrors.append(current)
            mirror = current.superclassMirror
        }
        // Superclass properties first, so a subclass's names follow its parent's, as declared.
        for current in mirrors.reversed() {
            for child in current.children {
                guard let label = child.label else { continue }
                result += ModuleMember.members(of: child.value, named: label.hasPrefix("_") ? String(label.dropFirst()) : label)
            }
        }
        return result
    }

    /// Puts this module and all its descendants in training (`true`) or evaluation (`false`) mode.
    public func train(_ training: Bool = true) {
        isTraining = training
        for (_, child) in namedChildren() { child.train(training) }
    }

    /// Puts this module and all its descendants in evaluation mode (`train(false)`).
    public func eval() { train(false) }

    /// Adds a hook that runs after every forward pass of this module with the module, its input and
    /// its output (for inspecting activations). Returns a handle that removes it.
    @discardableResult
    public func addForwardHook(_ hook: @escaping (Module, Any, Any) -> Void) -> ForwardHookHandle {
        let id = nextHookID
        nextHookID += 1
        forwardHooks.append((id, hook))
        return ForwardHookHandle(module: self, id: id)
    }
}

/// One member of a module: a parameter, a buffer or a child module.
public enum ModuleMember {
    /// A trainable tensor.
    case parameter(Variable)
    /// Non-trainable state saved with the model (running statistics, for example).
    case buffer(Buffer)
    /// A sub-module.
    case child(Module)

    /// The members a stored property holds (none for values of other types).
    static func members(of value: Any, named name: String) -> [(String, ModuleMember)] {
        switch value {
        case let variable as Variable: return [(name, .parameter(variable))]
        case let buffer as Buffer: return [(name, .buffer(buffer))]
        case let module as Module: return [(name, .child(module))]
        case let variables as [Variable]: return variables.enumerated().map { ("\(name).\($0.offset)", .parameter($0.element)) }
        case let modules as [Module]: return modules.enumerated().map { ("\(name).\($0.offset)", .child($0.element)) }
        case let buffers as [Buffer]: return buffers.enumerated().map { ("\(name).\($0.offset)", .buffer($0.element)) }
        default:
            let mirror = Mirror(reflecting: value)
            if mirror.displayStyle == .optional, let wrapped = mirror.children.first?.value {
                return members(of: wrapped, named: name)
            }
            return []
        }
    }
}

/// Removes a forward hook added with ``Module/addForwardHook(_:)``.
public struct ForwardHookHandle {
    weak var module: Module?
    let id: Int

    /// Removes the hook; calling it again does nothing.
    public func remove() { module?.forwardHooks.removeAll { $0.id == id } }
}

/// Non-trainable state that belongs to a module and is saved in its checkpoints (running mean and
/// variance of batch normalization, for example).
public final class Buffer {
    /// The current value.
    public var value: Tensor

    /// Creates a buffer holding `value`.
    public init(_ value: Tensor) { self.value = value }
}
