import ForgeAutograd
import ForgeLayers
import ForgeTensor
import Testing

/// The largest absolute element-wise difference between two tensors of the same shape.
func maximumDifference(_ a: Tensor, _ b: Tensor) -> Double {
    #expect(a.shape == b.shape, "shapes \(a.shape) and \(b.shape) differ")
    guard a.shape == b.shape else { return .infinity }
    return zip(a.doubleScalars, b.doubleScalars).reduce(0) { Swift.max($0, Swift.abs($1.0 - $1.1)) }
}

/// Mean and population standard deviation of a tensor's elements.
func moments(_ t: Tensor) -> (mean: Double, standardDeviation: Double) {
    let values = t.doubleScalars
    let mean = values.reduce(0, +) / Double(values.count)
    let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
    return (mean, variance.squareRoot())
}
