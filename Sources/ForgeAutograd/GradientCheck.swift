public import ForgeTensor

/// The outcome of ``gradientCheck(_:inputs:epsilon:absoluteTolerance:relativeTolerance:seed:)``.
public struct GradientCheckResult: Sendable, CustomStringConvertible {
    /// One input element whose analytic and numeric derivatives disagree.
    public struct Mismatch: Sendable, CustomStringConvertible {
        /// Which input (position in the `inputs` array).
        public let input: Int
        /// The row-major element index inside that input.
        public let element: Int
        /// The derivative backward computed.
        public let analytic: Double
        /// The central-difference estimate.
        public let numeric: Double

        /// `input 0 element 3: analytic 1.5, numeric 1.25`.
        public var description: String { "input \(input) element \(element): analytic \(analytic), numeric \(numeric)" }
    }

    /// Whether every derivative agreed within the tolerances.
    public var passed: Bool { mismatches.isEmpty }
    /// The disagreements, at most 10, in input order.
    public let mismatches: [Mismatch]
    /// The largest absolute difference between analytic and numeric derivatives.
    public let maximumAbsoluteError: Double

    /// A summary: passed, or the first mismatches.
    public var description: String {
        passed
            ? "gradient check passed (max abs error \(maximumAbsoluteError))"
            : "gradient check failed: " + mismatches.map(\.description).joined(separator: "; ")
    }
}

/// Compares the gradients backward computes for `function` with float64 central differences.
///
/// The inputs are converted to `float64`; the check differentiates the scalar `sum(function(x) · v)` for
/// a fixed random `v` (a vector-Jacobian product, as backward computes), once analytically and once by
/// perturbing each input element by ±`epsilon`. Keep inputs away from kinks (ReLU at 0, ties in max).
///
/// ```swift
/// let result = gradientCheck(inputs: [Tensor.normal(shape: [3, 4], generator: &g)]) { x in
///     x[0].tanh().sum(axis: 1)
/// }
/// precondition(result.passed, result.description)
/// ```
///
/// - Parameters:
///   - inputs: the points to check at; each becomes a variable that requires a gradient.
///   - epsilon: the perturbation of central differences.
///   - absoluteTolerance: allowed absolute difference.
///   - relativeTolerance: allowed difference relative to the numeric derivative.
///   - seed: seeds the projection vector `v`.
///   - function: the computation under test.
public func gradientCheck(
    inputs: [Tensor], epsilon: Double = 1e-6, absoluteTolerance: Double = 1e-5, relativeTolerance: Double = 1e-3,
    seed: UInt64 = 0, _ function: ([Variable]) -> Variable
) -> GradientCheckResult {
    let points = inputs.map { $0.dtype.isFloatingPoint ? $0.converted(to: .float64) : $0 }
    let variables = points.map { Variable($0, requiresGradient: $0.dtype.isFloatingPoint) }
    let output = function(variables)
    var generator = RandomGenerator(seed: seed)
    let projection = Tensor.uniform(shape: output.shape, low: 0.5, high: 1.5, dtype: .float64, generator: &generator)
    let loss = (output * projection).sum()
    do {
        try loss.backward()
    } catch {
        preconditionFailure("gradientCheck: backward failed: \(error)")
    }

    func projectedLoss(_ values: [Tensor]) -> Double {
        withoutGradient {
            (function(values.map { Variable($0) }).value.converted(to: .float64) * projection).sum().item(as: Double.self)
        }
    }

    var mismatches: [GradientCheckResult.Mismatch] = []
    var worst = 0.0
    for (position, point) in points.enumerated() where point.dtype.isFloatingPoint {
        let analytic = (variables[position].gradient ?? Tensor.zeros(like: point)).converted(to: .float64).scalars(as: Double.self)
        var flat = point.contiguous().scalars(as: Double.self)
        for element in flat.indices {
            let original = flat[element]
            var values = points
            flat[element] = original + epsilon
            values[position] = Tensor(flat, shape: point.shape)
            let above = projectedLoss(values)
            flat[element] = original - epsilon
            values[position] = Tensor(flat, shape: point.shape)
            let below = projectedLoss(values)
            flat[element] = original
            let numeric = (above - below) / (2 * epsilon)
            let difference = Swift.abs(analytic[element] - numeric)
            worst = Swift.max(worst, difference.isNaN ? .infinity : difference)
            if !(difference <= absoluteTolerance + relativeTolerance * Swift.abs(numeric)), mismatches.count < 10 {
                mismatches.append(.init(input: position, element: element, analytic: analytic[element], numeric: numeric))
            }
        }
    }
    return GradientCheckResult(mismatches: mismatches, maximumAbsoluteError: worst)
}
