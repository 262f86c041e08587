public import Foundation
public import ForgeTensor

/// Everything an optimizer needs to resume exactly: per-parameter state (moment estimates, step
/// counts, momentum buffers) and every group's hyperparameters, laid out like PyTorch's
/// `optimizer.state_dict()`.
///
/// Parameters are identified by their **index in group order** (the first parameter of the first
/// group is 0, and so on across groups), as in PyTorch, so the state loads into a freshly built
/// optimizer over a freshly built model with the same structure. Tensors and scalars are kept apart,
/// which maps directly onto a safetensors file (``flattened()``, ``write(to:)``):
///
/// ```swift
/// try optimizer.stateDict().write(to: directory.appending(path: "optimizer.safetensors"))
/// // … later, in a new process:
/// let saved = try OptimizerStateDict(contentsOf: directory.appending(path: "optimizer.safetensors"))
/// try optimizer.load(stateDict: saved)
/// ```
public struct OptimizerStateDict: Sendable, Equatable {
    /// The state an optimizer keeps for one parameter.
    public struct ParameterState: Sendable, Equatable {
        /// Tensors with the parameter's shape, by PyTorch's names (`exp_avg`, `momentum_buffer`, …).
        public var tensors: [String: Tensor]
        /// Scalars (`step`).
        public var scalars: [String: Double]

        /// Creates parameter state.
        public init(tensors: [String: Tensor] = [:], scalars: [String: Double] = [:]) {
            self.tensors = tensors
            self.scalars = scalars
        }
    }

    /// One parameter group: its hyperparameters and which parameters it holds.
    public struct GroupState: Codable, Sendable, Equatable {
        /// Hyperparameters by PyTorch's names (`lr`, `weight_decay`, `beta1`, …); flags are 0 or 1.
        public var hyperparameters: [String: Double]
        /// The indices of the group's parameters (PyTorch's `params`).
        public var parameterIndices: [Int]

        /// Creates a group entry.
        public init(hyperparameters: [String: Double], parameterIndices: [Int]) {
            self.hyperparameters = hyperparameters
            self.parameterIndices = parameterIndices
        }
    }

    /// The kind of optimizer that wrote the state (`"Adam"`); loading checks it.
    public var optimizer: String
    /// Per-parameter state by parameter index; parameters that have not been stepped have none.
    public var state: [Int: ParameterState]
    /// The parameter groups, in order.
    public var parameterGroups: [GroupState]

    /// Creates a state dictionary.
    public init(optimizer: String, state: [Int: ParameterState], parameterGroups: [GroupState]) {
        self.optimizer = optimizer
        self.state = state
        self.parameterGroups = parameterGroups
    }
}

extension OptimizerStateDict {
    /// The state as named tensors (`state.3.exp_avg`) and string metadata (`state.3.step`,
    /// `optimizer`, `param_groups` as JSON) — the two halves of a safetensors file.
    public func flattened() -> (tensors: [String: Tensor], metadata: [String: String]) {
        var tensors: [String: Tensor] = [:]
        var metadata: [String: String] = ["optimizer": optimizer]
        for (index, entry) in state {
            for (name, tensor) in entry.tensors { tensors["state.\(index).\(name)"] = tensor }
            // Swift prints the shortest decimal that reads back to the same Double, so this round-trips.
            for (name, value) in entry.scalars { metadata["state.\(index).\(name)"] = "\(value)" }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        // Encoding [GroupState] (strings, doubles, ints) cannot fail unless a value is not finite.
        if let json = try? encoder.encode(parameterGroups), let text = String(data: json, encoding: .utf8) {
            metadata["param_groups"] = text
        }
        return (tensors, metadata)
    }

    /// Rebuilds a state dictionary from ``flattened()``'s output.
    ///
    /// - Throws: ``OptimizerError`` with code `.malformedState` naming the entry that is missing or
    ///   cannot be read.
    public init(tensors: [String: Tensor], metadata: [String: String]) throws {
        let component = "OptimizerStateDict"
        guard let optimizer = metadata["optimizer"] else {
            throw OptimizerError(.malformedState, component: component, message: "metadata has no \"optimizer\" entry")
        }
        guard let groupsText = metadata["param_groups"], let groupsData = groupsText.data(using: .utf8) else {
            throw OptimizerError(.malformedState, component: component, message: "metadata has no \"param_groups\" entry")
        }
        let groups: [GroupState]
        do {
            groups = try JSONDecoder().decode([GroupState].self, from: groupsData)
        } catch {
            throw OptimizerError(
                .malformedState, component: component, message: "\"param_groups\" is not valid group JSON: \(error)")
        }
        var state: [Int: ParameterState] = [:]
        func split(_ key: String) throws -> (Int, String)? {
            guard key.hasPrefix("state.") else { return nil }
            let rest = key.dropFirst("state.".count)
            guard let dot = rest.firstIndex(of: "."), let index = Int(rest[..<dot]), index >= 0 else {
                throw OptimizerError(
                    .malformedState, component: component,
                    message: "entry \"\(key)\" should read state.<parameter index>.<name>")
            }
            return (index, String(rest[rest.index(after: dot)...]))
        }
        for (key, tensor) in tensors {
            guard let (index, name) = try split(key) else {
                throw OptimizerError(.malformedState, component: component, message: "unexpected tensor \"\(key)\"")
            }
            state[index, default: ParameterState()].tensors[name] = tensor
        }
        for (key, text) in metadata {
            guard let (index, name) = try split(key) else { continue }
            guard let value = Double(text) else {
                throw OptimizerError(
                    .malformedState, component: component, message: "scalar \"\(key)\" is \"\(text)\", not a number")
            }
            state[index, default: ParameterState()].scalars[name] = value
        }
        self.init(optimizer: optimizer, state: state, parameterGroups: groups)
    }

    /// Writes the state as a safetensors file (atomically: a temporary file, then a rename).
    public func write(to url: URL) throws {
        let (tensors, metadata) = flattened()
        try SafeTensors.write(tensors, metadata: metadata, to: url)
    }

    /// Reads state written by ``write(to:)``.
    ///
    /// - Throws: `TensorFileError` when the file is not valid safetensors, ``OptimizerError`` when it
    ///   does not hold optimizer state.
    public init(contentsOf url: URL) throws {
        let (tensors, metadata) = try SafeTensors.read(from: url)
        try self.init(tensors: tensors, metadata: metadata)
    }
}
