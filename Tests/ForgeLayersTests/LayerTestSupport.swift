import ForgeAutograd
import ForgeLayers
import ForgeTensor
import Testing

/// Seeded float64 normal values.
func randomNormal(_ shape: [Int], seed: UInt64, scale: Double = 1) -> Tensor {
    var generator = RandomGenerator(seed: seed)
    return Tensor.normal(shape: shape, standardDeviation: scale, dtype: .float64, generator: &generator)
}

/// Seeded float64 uniform values.
func randomUniform(_ shape: [Int], seed: UInt64, low: Double = 0, high: Double = 1) -> Tensor {
    var generator = RandomGenerator(seed: seed)
    return Tensor.uniform(shape: shape, low: low, high: high, dtype: .float64, generator: &generator)
}

/// Converts every parameter of `module` to float64 (for gradient checks).
func convertToDouble(_ module: Module) {
    for parameter in module.parameters() { parameter.value = parameter.value.converted(to: .float64) }
}

/// Checks the gradients backward computes for every parameter of `module` against float64 central
/// differences of `sum(function(inputs) · v)` for a fixed random `v`; returns the largest error and
/// the name of the first parameter element that disagrees, if any.
func parameterGradientCheck(
    _ module: Module, inputs: [Tensor], epsilon: Double = 1e-6, tolerance: Double = 1e-6,
    _ function: ([Variable]) -> Variable
) -> (worst: Double, firstMismatch: String?) {
    convertToDouble(module)
    module.zeroGradients()
    let variables = inputs.map { Variable($0.converted(to: .float64)) }
    let output = function(variables)
    var generator = RandomGenerator(seed: 99)
    let projection = Tensor.uniform(shape: output.shape, low: 0.5, high: 1.5, dtype: .float64, generator: &generator)
    do { try (output * projection).sum().backward() } catch { return (.infinity, "backward failed: \(error)") }
    func loss() -> Double {
        withoutGradient { (function(variables).value * projection).sum().item(as: Double.self) }
    }
    var worst = 0.0
    var firstMismatch: String?
    for (name, parameter) in module.namedParameters() {
        let analytic = (parameter.gradient ?? Tensor.zeros(like: parameter.value)).scalars(as: Double.self)
        let original = parameter.value
        var flat = original.scalars(as: Double.self)
        for element in flat.indices {
            let saved = flat[element]
            flat[element] = saved + epsilon
            parameter.value = Tensor(flat, shape: original.shape)
            let above = loss()
            flat[element] = saved - epsilon
            parameter.value = Tensor(flat, shape: original.shape)
            let below = loss()
            flat[element] = saved
            let numeric = (above - below) / (2 * epsilon)
            let error = Swift.abs(numeric - analytic[element])
            worst = Swift.max(worst, error.isNaN ? .infinity : error)
            if !(error <= tolerance + 1e-4 * Swift.abs(numeric)) && firstMismatch == nil {
                firstMismatch = "\(name)[\(element)]: analytic \(analytic[element]), numeric \(numeric)"
            }
        }
        parameter.value = original
    }
    return (worst, firstMismatch)
}

/// Element-wise closeness of two tensors (any float dtypes) within `tolerance`.
func close(_ a: Tensor, _ b: Tensor, tolerance: Double) -> Bool {
    guard a.shape == b.shape else { return false }
    return zip(a.converted(to: .float64).scalars(as: Double.self), b.converted(to: .float64).scalars(as: Double.self))
        .allSatisfy { Swift.abs($0 - $1) <= tolerance }
}
