/// The range a parameter is drawn from: a float or integer interval (optionally log-scaled or stepped)
/// or a list of categorical choices.
///
/// Samplers work on one *internal* representation, a `Double` per parameter, like Optuna: floats and
/// integers are their own value, a categorical parameter is the index of its choice.
///
/// ```swift
/// let learningRate = try Distribution.float(low: 1e-5, high: 1e-1, log: true, parameter: "lr")
/// let internal = try learningRate.toInternal(.double(0.01))   // 0.01
/// learningRate.toExternal(internal)                            // .double(0.01)
/// ```
public enum Distribution: Sendable, Hashable, Codable, CustomStringConvertible {
    /// A float interval.
    case float(FloatDistribution)
    /// An integer interval.
    case int(IntDistribution)
    /// A list of choices.
    case categorical(CategoricalDistribution)

    /// A validated float distribution; see ``FloatDistribution/init(low:high:log:step:parameter:)``.
    public static func float(
        low: Double, high: Double, log: Bool = false, step: Double? = nil, parameter: String = "unnamed"
    ) throws(TuningError) -> Distribution {
        .float(try FloatDistribution(low: low, high: high, log: log, step: step, parameter: parameter))
    }

    /// A validated integer distribution; see ``IntDistribution/init(low:high:log:step:parameter:)``.
    public static func int(
        low: Int, high: Int, log: Bool = false, step: Int = 1, parameter: String = "unnamed"
    ) throws(TuningError) -> Distribution {
        .int(try IntDistribution(low: low, high: high, log: log, step: step, parameter: parameter))
    }

    /// A validated categorical distribution; see ``CategoricalDistribution/init(choices:parameter:)``.
    public static func categorical(
        _ choices: [ParameterValue], parameter: String = "unnamed"
    ) throws(TuningError) -> Distribution {
        .categorical(try CategoricalDistribution(choices: choices, parameter: parameter))
    }

    /// Whether the distribution has exactly one possible value (samplers need not search it).
    public var isSingleValue: Bool {
        switch self {
        case .float(let float):
            if float.low == float.high { return true }
            if let step = float.step { return float.high - float.low < step }
            return false
        case .int(let int): return int.low == int.high || int.high - int.low < int.step
        case .categorical(let categorical): return categorical.choices.count == 1
        }
    }

    /// Whether a study may use `other` for the same parameter name: the same kind and log scale, and for
    /// categorical parameters the same choices (Optuna's `check_distribution_compatibility`).
    public func isCompatible(with other: Distribution) -> Bool {
        switch (self, other) {
        case (.float(let a), .float(let b)): a.log == b.log
        case (.int(let a), .int(let b)): a.log == b.log
        case (.categorical(let a), .categorical(let b)): a.choices == b.choices
        default: false
        }
    }

    /// Whether a value in the internal representation belongs to the distribution.
    public func contains(_ internalValue: Double) -> Bool {
        guard internalValue.isFinite else { return false }
        switch self {
        case .float(let float):
            guard float.low <= internalValue, internalValue <= float.high else { return false }
            guard let step = float.step else { return true }
            let steps = (internalValue - float.low) / step
            return abs(steps - steps.rounded()) < 1e-8
        case .int(let int):
            guard internalValue == internalValue.rounded(), abs(internalValue) < 9e15 else { return false }
            let value = Int(internalValue)
            return int.low <= value && value <= int.high && (value - int.low) % int.step == 0
        case .categorical(let categorical):
            return internalValue == internalValue.rounded() && internalValue >= 0
                && internalValue < Double(categorical.choices.count)
        }
    }

    /// Converts a value as the objective sees it to the internal representation.
    /// - Throws: ``TuningError/valueOutsideDistribution(parameter:value:distribution:)`` when the value is
    ///   of the wrong kind or out of range.
    public func toInternal(_ value: ParameterValue, parameter: String = "unnamed") throws(TuningError) -> Double {
        let outside = TuningError.valueOutsideDistribution(parameter: parameter, value: "\(value)", distribution: self)
        let internalValue: Double
        switch self {
        case .float:
            guard let number = value.doubleValue else { throw outside }
            internalValue = number
        case .int:
            guard let number = value.doubleValue, number == number.rounded() else { throw outside }
            internalValue = number
        case .categorical(let categorical):
            guard let index = categorical.index(of: value) else { throw outside }
            internalValue = Double(index)
        }
        guard contains(internalValue) else { throw outside }
        return internalValue
    }

    /// Converts an internal value back to what the objective sees.
    ///
    /// Floats snap to their step grid, integers round to the nearest step, categorical indices are
    /// clamped to the list; values are clamped into the bounds.
    public func toExternal(_ internalValue: Double) -> ParameterValue {
        switch self {
        case .float(let float):
            var value = min(max(internalValue, float.low), float.high)
            if let step = float.step {
                value = min(float.low + ((value - float.low) / step).rounded() * step, float.high)
            }
            return .double(value)
        case .int(let int):
            let clamped = min(max(internalValue, Double(int.low)), Double(int.high))
            let steps = ((clamped - Double(int.low)) / Double(int.step)).rounded()
            return .int(min(int.low + Int(steps) * int.step, int.high))
        case .categorical(let categorical):
            let index = Int(min(max(internalValue.rounded(), 0), Double(categorical.choices.count - 1)))
            return categorical.choices[index]
        }
    }

    /// A short description such as `float[1e-05, 0.1, log]` or `categorical[adam, sgd]`.
    public var description: String {
        switch self {
        case .float(let float):
            var text = "float[\(float.low), \(float.high)"
            if float.log { text += ", log" }
            if let step = float.step { text += ", step \(step)" }
            return text + "]"
        case .int(let int):
            var text = "int[\(int.low), \(int.high)"
            if int.log { text += ", log" }
            if int.step != 1 { text += ", step \(int.step)" }
            return text + "]"
        case .categorical(let categorical):
            return "categorical[" + categorical.choices.map(\.description).joined(separator: ", ") + "]"
        }
    }
}

/// A float interval `[low, high]`, optionally sampled on a log scale or on a grid of `step`.
public struct FloatDistribution: Sendable, Hashable {
    /// The smallest value.
    public let low: Double
    /// The largest value.
    public let high: Double
    /// Whether samplers work on `log(value)`.
    public let log: Bool
    /// The grid spacing, or `nil` for a continuous interval.
    public let step: Double?

    /// Creates a validated float distribution.
    /// - Throws: ``TuningError/invalidDistribution(parameter:reason:)`` when a bound is not finite,
    ///   `low > high`, `log` with `low ≤ 0`, `log` together with `step`, `step ≤ 0`, or `step` does not
    ///   divide `high − low`.
    public init(low: Double, high: Double, log: Bool = false, step: Double? = nil, parameter: String = "unnamed")
        throws(TuningError)
    {
        func invalid(_ reason: String) -> TuningError { .invalidDistribution(parameter: parameter, reason: reason) }
        guard low.isFinite, high.isFinite else { throw invalid("bounds must be finite, got low \(low), high \(high)") }
        guard low <= high else { throw invalid("low \(low) is greater than high \(high)") }
        if log {
            guard low > 0 else { throw invalid("log scale needs low > 0, got low \(low)") }
            guard step == nil else { throw invalid("log scale and step \(step ?? 0) cannot be combined") }
        }
        if let step {
            guard step > 0, step.isFinite else { throw invalid("step must be positive, got \(step)") }
            let steps = (high - low) / step
            guard abs(steps - steps.rounded()) <= 1e-8 * max(1, steps) else {
                throw invalid("step \(step) does not divide the range [\(low), \(high)]")
            }
        }
        self.low = low
        self.high = high
        self.log = log
        self.step = step
    }
}

/// An integer interval `[low, high]` with a `step`, optionally sampled on a log scale.
public struct IntDistribution: Sendable, Hashable {
    /// The smallest value.
    public let low: Int
    /// The largest value.
    public let high: Int
    /// Whether samplers work on `log(value)`.
    public let log: Bool
    /// The spacing between allowed values (1 for every integer).
    public let step: Int

    /// Creates a validated integer distribution.
    /// - Throws: ``TuningError/invalidDistribution(parameter:reason:)`` when `low > high`, `step ≤ 0`,
    ///   `step` does not divide `high − low`, or `log` with `low < 1` or `step ≠ 1`.
    public init(low: Int, high: Int, log: Bool = false, step: Int = 1, parameter: String = "unnamed")
        throws(TuningError)
    {
        func invalid(_ reason: String) -> TuningError { .invalidDistribution(parameter: parameter, reason: reason) }
        guard low <= high else { throw invalid("low \(low) is greater than high \(high)") }
        guard step > 0 else { throw invalid("step must be positive, got \(step)") }
        guard (high - low) % step == 0 else { throw invalid("step \(step) does not divide the range [\(low), \(high)]") }
        if log {
            guard low >= 1 else { throw invalid("log scale needs low ≥ 1, got low \(low)") }
            guard step == 1 else { throw invalid("log scale needs step 1, got step \(step)") }
        }
        self.low = low
        self.high = high
        self.log = log
        self.step = step
    }
}

/// A finite list of choices; the internal value is the index of the choice.
public struct CategoricalDistribution: Sendable, Hashable {
    /// The choices, in order.
    public let choices: [ParameterValue]

    /// Creates a validated categorical distribution.
    /// - Throws: ``TuningError/invalidDistribution(parameter:reason:)`` when `choices` is empty.
    public init(choices: [ParameterValue], parameter: String = "unnamed") throws(TuningError) {
        guard !choices.isEmpty else {
            throw .invalidDistribution(parameter: parameter, reason: "categorical choices must not be empty")
        }
        self.choices = choices
    }

    /// The index of `value` among the choices; numbers match across `.int` and `.double` (`2 == 2.0`).
    public func index(of value: ParameterValue) -> Int? {
        if let index = choices.firstIndex(of: value) { return index }
        guard let number = value.doubleValue else { return nil }
        return choices.firstIndex { $0.doubleValue == number }
    }
}
