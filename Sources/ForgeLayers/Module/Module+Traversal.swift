public import ForgeAutograd
public import ForgeTensor

extension Module {
    /// The direct child modules with their local names.
    public func namedChildren() -> [(name: String, module: Module)] {
        namedMembers().compactMap { entry in
            if case .child(let module) = entry.member { return (entry.name, module) }
            return nil
        }
    }

    /// Every parameter of this module and its descendants with its dotted name (`block.0.weight`), in
    /// declaration order. A parameter shared by two modules is listed once, under its first name.
    public func namedParameters() -> [(name: String, parameter: Variable)] {
        var seen = Set<ObjectIdentifier>()
        var result: [(String, Variable)] = []
        visit(prefix: "") { name, member in
            if case .parameter(let variable) = member, seen.insert(ObjectIdentifier(variable)).inserted {
                result.append((name, variable))
            }
        }
        return result
    }

    /// Every parameter, in the order of ``namedParameters()`` (what an optimizer takes).
    public func parameters() -> [Variable] { namedParameters().map(\.parameter) }

    /// Every buffer of this module and its descendants with its dotted name.
    public func namedBuffers() -> [(name: String, buffer: Buffer)] {
        var result: [(String, Buffer)] = []
        visit(prefix: "") { name, member in
            if case .buffer(let buffer) = member { result.append((name, buffer)) }
        }
        return result
    }

    /// This module and every descendant with dotted names (this module's name is empty).
    public func namedModules() -> [(name: String, module: Module)] {
        var result: [(String, Module)] = [("", self)]
        visit(prefix: "") { name, member in
            if case .child(let module) = member { result.append((name, module)) }
        }
        return result
    }

    /// Calls `body` for every member below this module, depth first, with dotted names.
    func visit(prefix: String, _ body: (String, ModuleMember) -> Void) {
        for (name, member) in namedMembers() {
            let fullName = prefix.isEmpty ? name : "\(prefix).\(name)"
            body(fullName, member)
            if case .child(let module) = member { module.visit(prefix: fullName, body) }
        }
    }

    /// The number of parameter elements (trainable ones only when `trainableOnly`).
    public func parameterCount(trainableOnly: Bool = false) -> Int {
        parameters().filter { !trainableOnly || $0.requiresGradient }.reduce(0) { $0 + $1.count }
    }

    /// Stops gradients to every parameter (for fine-tuning only the layers you unfreeze afterwards).
    public func freeze() { for parameter in parameters() { parameter.requiresGradient = false } }

    /// Lets gradients reach every parameter again.
    public func unfreeze() { for parameter in parameters() { parameter.requiresGradient = true } }

    /// Clears the gradient of every parameter.
    public func zeroGradients() { for parameter in parameters() { parameter.zeroGradient() } }

    /// A printable outline: one line per module with its type and parameter shapes, and the totals.
    public var summary: String {
        var lines: [String] = []
        for (name, module) in namedModules() {
            let depth = name.isEmpty ? 0 : name.split(separator: ".").count
            let own = module.namedMembers().compactMap { entry -> String? in
                if case .parameter(let variable) = entry.member { return "\(entry.name) \(variable.shape)" }
                return nil
            }
            let label = name.isEmpty ? String(describing: type(of: module)) : "\(name): \(type(of: module))"
            lines.append(String(repeating: "  ", count: depth) + label + (own.isEmpty ? "" : "  " + own.joined(separator: ", ")))
        }
        let total = parameterCount()
        let trainable = parameterCount(trainableOnly: true)
        lines.append("parameters: \(total) (\(trainable) trainable)")
        return lines.joined(separator: "\n")
    }
}
