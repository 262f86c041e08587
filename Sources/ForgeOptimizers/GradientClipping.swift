public import ForgeAutograd
import ForgeTensor
import Foundation

/// Gradient clipping: keeps one bad batch from throwing the parameters far away.
///
/// Call it between `backward()` and `step()`:
///
/// ```swift
/// try loss.backward()
/// let norm = GradientClipping.clipByNorm(model.parameters(), maximumNorm: 1.0)
/// optimizer.step()
/// ```
public enum GradientClipping {
    /// Scales all gradients together so that their global norm is at most `maximumNorm` — PyTorch's
    /// `torch.nn.utils.clip_grad_norm_`.
    ///
    /// The global norm is the p-norm of all gradient elements of all parameters taken as one vector
    /// (`normType` ∞ is the largest absolute element). Gradients are multiplied by
    /// `min(1, maximumNorm / (norm + 1e-6))`; parameters without a gradient are skipped. Norms are
    /// accumulated in `Double`.
    ///
    /// - Parameters:
    ///   - parameters: the parameters whose gradients to clip.
    ///   - maximumNorm: the largest allowed norm, ≥ 0.
    ///   - normType: p of the p-norm, > 0 (2 by default; `.infinity` for the max norm).
    /// - Returns: the global norm **before** clipping (NaN or infinity when a gradient holds one, in
    ///   which case the gradients are scaled by NaN or left unchanged, as in PyTorch).
    @discardableResult
    public static func clipByNorm(_ parameters: [Variable], maximumNorm: Double, normType: Double = 2) -> Double {
        precondition(
            maximumNorm >= 0, "GradientClipping.clipByNorm: maximumNorm is \(maximumNorm); use a non-negative value")
        precondition(normType > 0, "GradientClipping.clipByNorm: normType is \(normType); use a positive p or .infinity")
        var accumulated = 0.0
        for parameter in parameters {
            guard let gradient = parameter.gradient, gradient.count > 0 else { continue }
            let partial: Double
            switch gradient.dtype {
            case .float64: partial = norm(of: gradient, as: Double.self, normType: normType)
            case .float32: partial = norm(of: gradient, as: Float.self, normType: normType)
            default: preconditionFailure("GradientClipping.clipByNorm: gradient of dtype \(gradient.dtype)")
            }
            if normType == .infinity { accumulated = Swift.max(accumulated, partial) } else { accumulated += partial }
        }
        let total: Double
        if normType == .infinity {
            total = accumulated
        } else if normType == 2 {
            total = accumulated.squareRoot()
        } else {
            total = Foundation.pow(accumulated, 1 / normType)
        }
        let coefficient = Swift.min(maximumNorm / (total + 1e-6), 1)
        // PyTorch multiplies even when the coefficient is 1; skipping that multiply changes nothing.
        if coefficient != 1 {
            for parameter in parameters where parameter.gradient != nil {
                switch parameter.gradient?.dtype {
                case .float64: scale(&parameter.gradient, as: Double.self, by: coefficient)
                default: scale(&parameter.gradient, as: Float.self, by: coefficient)
                }
            }
        }
        return total
    }

    /// Clamps every gradient element to `[-maximumValue, maximumValue]` — PyTorch's
    /// `torch.nn.utils.clip_grad_value_`.
    public static func clipByValue(_ parameters: [Variable], maximumValue: Double) {
        precondition(
            maximumValue >= 0, "GradientClipping.clipByValue: maximumValue is \(maximumValue); use a non-negative value")
        for parameter in parameters where parameter.gradient != nil {
            switch parameter.gradient?.dtype {
            case .float64: clamp(&parameter.gradient, as: Double.self, bound: maximumValue)
            default: clamp(&parameter.gradient, as: Float.self, bound: maximumValue)
            }
        }
    }

    /// Σ|g|^p (or max |g| for p = ∞) over one tensor, in `Double`.
    private static func norm<T: TensorFloatingPoint>(of gradient: Tensor, as _: T.Type, normType: Double) -> Double {
        gradient.withPointer(as: T.self) { g in
            var sum = 0.0
            let count = gradient.count
            if normType == 2 {
                // Four running sums break the chain of dependent additions (one add's latency per
                // element otherwise) and let the compiler use vector registers.
                var partial = (0.0, 0.0, 0.0, 0.0)
                var i = 0
                while i + 4 <= count {
                    let (a, b, c, d) = (Double(g[i]), Double(g[i + 1]), Double(g[i + 2]), Double(g[i + 3]))
                    partial.0 += a * a
                    partial.1 += b * b
                    partial.2 += c * c
                    partial.3 += d * d
                    i += 4
                }
                while i < count {
                    let x = Double(g[i])
                    sum += x * x
                    i += 1
                }
                sum += (partial.0 + partial.1) + (partial.2 + partial.3)
            } else if normType == .infinity {
                for i in 0..<count { sum = Swift.max(sum, Swift.abs(Double(g[i]))) }
            } else if normType == 1 {
                for i in 0..<count { sum += Swift.abs(Double(g[i])) }
            } else {
                for i in 0..<count { sum += Foundation.pow(Swift.abs(Double(g[i])), normType) }
            }
            return sum
        }
    }

    private static func scale<T: TensorFloatingPoint>(_ gradient: inout Tensor?, as _: T.Type, by factor: Double) {
        let factor = T(factor)
        let count = gradient?.count ?? 0
        gradient.withMutablePointer(as: T.self) { pointer in
            guard let pointer else { return }
            for i in 0..<count { pointer[i] *= factor }
        }
    }

    private static func clamp<T: TensorFloatingPoint>(_ gradient: inout Tensor?, as _: T.Type, bound: Double) {
        let (low, high) = (T(-bound), T(bound))
        let count = gradient?.count ?? 0
        gradient.withMutablePointer(as: T.self) { pointer in
            guard let pointer else { return }
            for i in 0..<count { pointer[i] = Swift.min(Swift.max(pointer[i], low), high) }
        }
    }
}
