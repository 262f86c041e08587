/// An error from building an optimizer or schedule, or from loading saved optimizer state.
///
/// Hyperparameters often come from configuration files and saved state from checkpoints — outside
/// input — so both are answered with this error instead of a trap. The message names the optimizer,
/// the value at fault and what to do about it:
///
/// ```swift
/// do {
///     _ = try Adam(parameters: model.parameters(), learningRate: -1e-3)
/// } catch let error as OptimizerError {
///     print(error)   // Adam: learningRate is -0.001; use a non-negative value (typical: 1e-3)
/// }
/// ```
public struct OptimizerError: Error, CustomStringConvertible, Sendable {
    /// What kind of problem it is.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// A hyperparameter is outside its valid range, or two of them contradict each other.
        case invalidHyperparameter
        /// The optimizer was given no parameters.
        case emptyParameterList
        /// A parameter appears twice (in one group or in two groups).
        case duplicateParameter
        /// A parameter cannot be optimized (not floating point, for example).
        case unsupportedParameter
        /// Saved state does not fit this optimizer: other groups, parameters or shapes.
        case stateMismatch
        /// Saved state is malformed (a missing or unparsable entry).
        case malformedState
    }

    /// What kind of problem it is.
    public var code: Code
    /// The optimizer or schedule that reported it (`"Adam"`, `"OneCycle"`).
    public var component: String
    /// A sentence saying what is wrong and, where possible, what to do.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, component: String, message: String) {
        self.code = code
        self.component = component
        self.message = message
    }

    /// `component: message`.
    public var description: String { "\(component): \(message)" }
}

/// Checks of hyperparameter ranges shared by the built-in optimizers and schedules.
enum HyperparameterCheck {
    /// Throws unless `value` is a finite number ≥ 0 (NaN fails too).
    static func nonNegative(_ value: Double, _ name: String, in component: String, typical: String) throws {
        guard value >= 0, value.isFinite else {
            throw OptimizerError(
                .invalidHyperparameter, component: component,
                message: "\(name) is \(value); use a non-negative value (typical: \(typical))")
        }
    }

    /// Throws unless 0 ≤ `value` < 1 (the range of an exponential-average coefficient).
    static func unitInterval(_ value: Double, _ name: String, in component: String, typical: String) throws {
        guard value >= 0, value < 1 else {
            throw OptimizerError(
                .invalidHyperparameter, component: component,
                message: "\(name) is \(value); it must be in [0, 1) (typical: \(typical))")
        }
    }

    /// Throws unless `value` > 0 and finite.
    static func positive(_ value: Double, _ name: String, in component: String, typical: String) throws {
        guard value > 0, value.isFinite else {
            throw OptimizerError(
                .invalidHyperparameter, component: component,
                message: "\(name) is \(value); use a positive value (typical: \(typical))")
        }
    }
}
