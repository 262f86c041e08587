import ForgeAutograd
public import ForgeTensor

extension Module {
    /// Every parameter and buffer of this module and its descendants by dotted name — PyTorch's
    /// `state_dict()`.
    ///
    /// A parameter shared by two modules appears under both names, as in PyTorch. The tensors are the
    /// current values (copy-on-write: later training does not change the returned dictionary).
    ///
    /// ```swift
    /// let model = Sequential { Linear(inputFeatures: 4, outputFeatures: 2, seed: 0); ReLU() }
    /// model.stateDict().keys.sorted()   // ["0.bias", "0.weight"]
    /// ```
    public func stateDict() -> [String: Tensor] {
        var result: [String: Tensor] = [:]
        for (name, slot) in stateSlots() { result[name] = slot.value }
        return result
    }

    /// Copies the tensors of `stateDict` into the parameters and buffers of the same dotted names.
    ///
    /// Values are converted to each parameter's dtype (a float64 array loads into a float32 parameter;
    /// `num_batches_tracked` stays int64). Parameters stay the same objects, so an optimizer built on
    /// them keeps working.
    ///
    /// - Parameters:
    ///   - stateDict: tensors by dotted name, for example from ``stateDict()`` or a PyTorch `state_dict`
    ///     saved as safetensors.
    ///   - strict: when true (the default), any missing, unexpected or shape-mismatched key throws and
    ///     nothing is changed. When false, every key that matches by name and shape is loaded and the
    ///     rest is reported.
    /// - Returns: what was loaded and what did not match.
    /// - Throws: ``StateDictError`` listing the problem keys by name, in strict mode only.
    @discardableResult
    public func load(stateDict: [String: Tensor], strict: Bool = true) throws -> StateDictLoadReport {
        try load(stateDict: stateDict, strict: strict, path: nil)
    }

    /// ``load(stateDict:strict:)`` naming `path` in the error.
    func load(stateDict: [String: Tensor], strict: Bool, path: String?) throws -> StateDictLoadReport {
        let slots = stateSlots()
        var report = StateDictLoadReport()
        var matched: [(StateSlot, Tensor)] = []
        var known = Set<String>()
        for (name, slot) in slots {
            known.insert(name)
            guard let tensor = stateDict[name] else {
                report.missingKeys.append(name)
                continue
            }
            let expected = slot.value.shape
            if tensor.shape != expected {
                report.shapeMismatches.append(.init(key: name, expected: expected, found: tensor.shape))
                continue
            }
            matched.append((slot, tensor))
            report.loadedKeys.append(name)
        }
        report.unexpectedKeys = stateDict.keys.filter { !known.contains($0) }.sorted()
        report.missingKeys.sort()
        report.shapeMismatches.sort { $0.key < $1.key }
        report.loadedKeys.sort()
        if strict && !report.isExact {
            throw StateDictError(report: report, path: path)
        }
        for (slot, tensor) in matched {
            slot.value = tensor.converted(to: slot.value.dtype).contiguous()
        }
        return report
    }

    /// Every parameter and buffer with its dotted name, shared parameters under each of their names.
    func stateSlots() -> [(String, StateSlot)] {
        var result: [(String, StateSlot)] = []
        visit(prefix: "") { name, member in
            switch member {
            case .parameter(let variable): result.append((name, .parameter(variable)))
            case .buffer(let buffer): result.append((name, .buffer(buffer)))
            case .child: break
            }
        }
        return result
    }
}

/// A parameter or buffer, read and written through one interface.
enum StateSlot {
    case parameter(Variable)
    case buffer(Buffer)

    var value: Tensor {
        get {
            switch self {
            case .parameter(let variable): return variable.value
            case .buffer(let buffer): return buffer.value
            }
        }
        nonmutating set {
            switch self {
            case .parameter(let variable): variable.value = newValue
            case .buffer(let buffer): buffer.value = newValue
            }
        }
    }
}
