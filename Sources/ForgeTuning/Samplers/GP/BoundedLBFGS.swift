import Foundation

/// A bounded limited-memory quasi-Newton minimizer (projected L-BFGS): the L-BFGS direction on the
/// variables not held at a bound, a projected backtracking line search with the Armijo condition, and
/// SciPy's L-BFGS-B stopping rules (projected gradient below `gradientTolerance`, or a relative decrease
/// below `functionTolerance`).
///
/// Used for the GP's kernel hyperparameters (unbounded, in log space) and for the acquisition function
/// on the unit cube.
struct BoundedLBFGS {
    /// Correction pairs kept.
    var memory = 10
    /// Iteration limit.
    var maximumIterations = 200
    /// Stop when the largest projected gradient component is below this.
    var gradientTolerance = 1e-5
    /// Stop when (f_k − f_{k+1}) / max(|f_k|, |f_{k+1}|, 1) is below this.
    var functionTolerance = 1e-10

    /// What the minimizer found.
    struct Result {
        /// The best point.
        var point: [Double]
        /// Its value.
        var value: Double
        /// Iterations taken.
        var iterations: Int
    }

    /// Minimizes `objective` (which returns f(x) and writes ∇f(x) into its second argument) from `start`
    /// within `lower...upper` (per coordinate; use ±infinity for none).
    func minimize(
        start: [Double], lower: [Double], upper: [Double],
        objective: ([Double], inout [Double]) -> Double
    ) -> Result {
        let count = start.count
        precondition(
            lower.count == count && upper.count == count,
            "BoundedLBFGS: start has \(count) values, bounds \(lower.count) and \(upper.count)")
        func project(_ value: Double, _ index: Int) -> Double { min(max(value, lower[index]), upper[index]) }
        var x = (0..<count).map { project(start[$0], $0) }
        var gradient = [Double](repeating: 0, count: count)
        var value = objective(x, &gradient)
        if !value.isFinite { return Result(point: x, value: value, iterations: 0) }
        var steps: [[Double]] = []
        var changes: [[Double]] = []
        var direction = [Double](repeating: 0, count: count)
        var trial = [Double](repeating: 0, count: count)
        var trialGradient = [Double](repeating: 0, count: count)
        var alpha = [Double](repeating: 0, count: memory)
        var iteration = 0
        while iteration < maximumIterations {
            iteration += 1
            // Projected gradient: components pushing out of the box at a bound do not count.
            var largest = 0.0
            var active = [Bool](repeating: false, count: count)
            for index in 0..<count {
                let g = gradient[index]
                if (x[index] <= lower[index] && g > 0) || (x[index] >= upper[index] && g < 0) {
                    active[index] = true
                } else {
                    largest = max(largest, abs(g))
                }
            }
            if largest < gradientTolerance { break }
            // Two-loop recursion on the free variables.
            for index in 0..<count { direction[index] = active[index] ? 0 : -gradient[index] }
            for pair in stride(from: steps.count - 1, through: 0, by: -1) {
                let rho = 1 / dot(changes[pair], steps[pair], active)
                alpha[pair] = rho * dot(steps[pair], direction, active)
                for index in 0..<count where !active[index] { direction[index] -= alpha[pair] * changes[pair][index] }
            }
            if let lastStep = steps.last, let lastChange = changes.last {
                let scale = dot(lastStep, lastChange, active) / max(dot(lastChange, lastChange, active), 1e-300)
                if scale > 0 && scale.isFinite { for index in 0..<count { direction[index] *= scale } }
            }
            for pair in 0..<steps.count {
                let rho = 1 / dot(changes[pair], steps[pair], active)
                let beta = rho * dot(changes[pair], direction, active)
                for index in 0..<count where !active[index] {
                    direction[index] += steps[pair][index] * (alpha[pair] - beta)
                }
            }
            var slope = dot(direction, gradient, active)
            if !(slope < 0) {  // not a descent direction: restart from steepest descent
                steps.removeAll()
                changes.removeAll()
                for index in 0..<count { direction[index] = active[index] ? 0 : -gradient[index] }
                slope = dot(direction, gradient, active)
            }
            // Projected backtracking line search (Armijo).
            var stepLength = steps.isEmpty ? min(1, 1 / max(sqrt(-slope), 1e-300)) : 1
            var accepted = false
            var trialValue = value
            for _ in 0..<30 {
                var decrease = 0.0
                for index in 0..<count {
                    trial[index] = project(x[index] + stepLength * direction[index], index)
                    decrease += gradient[index] * (trial[index] - x[index])
                }
                trialValue = objective(trial, &trialGradient)
                if trialValue.isFinite && trialValue <= value + 1e-4 * decrease {
                    accepted = true
                    break
                }
                stepLength *= 0.5
            }
            if !accepted { break }
            var step = [Double](repeating: 0, count: count)
            var change = [Double](repeating: 0, count: count)
            var curvature = 0.0
            var changeNorm = 0.0
            for index in 0..<count {
                step[index] = trial[index] - x[index]
                change[index] = trialGradient[index] - gradient[index]
                curvature += step[index] * change[index]
                changeNorm += change[index] * change[index]
            }
            if curvature > 1e-10 * changeNorm && curvature > 0 {
                steps.append(step)
                changes.append(change)
                if steps.count > memory {
                    steps.removeFirst()
                    changes.removeFirst()
                }
            }
            let previous = value
            swap(&x, &trial)
            swap(&gradient, &trialGradient)
            value = trialValue
            if (previous - value) / max(abs(previous), abs(value), 1) < functionTolerance { break }
        }
        return Result(point: x, value: value, iterations: iteration)
    }

    /// The dot product over the free (non-active) coordinates.
    @inline(__always)
    private func dot(_ a: [Double], _ b: [Double], _ active: [Bool]) -> Double {
        var sum = 0.0
        for index in a.indices where !active[index] { sum += a[index] * b[index] }
        return sum
    }
}
