public import ForgeAutograd
public import ForgeTensor

/// A rule for the initial values of a parameter, PyTorch's `torch.nn.init` functions as values.
///
/// Every initializer draws from an `inout` `RandomGenerator`, so one seed reproduces a model bit for
/// bit. Variance-scaling rules compute their scale from the fans of the shape (see ``fans(of:)``):
///
/// | rule | bound or standard deviation |
/// |---|---|
/// | ``kaimingUniform(nonlinearity:mode:)`` | bound `gain · √(3 / fan)` |
/// | ``kaimingNormal(nonlinearity:mode:)`` | std `gain / √fan` |
/// | ``xavierUniform(gain:)`` | bound `gain · √(6 / (fanIn + fanOut))` |
/// | ``xavierNormal(gain:)`` | std `gain · √(2 / (fanIn + fanOut))` |
/// | ``orthogonal(gain:)`` | `gain · Q`, Q with orthonormal rows or columns |
///
/// ```swift
/// var generator = RandomGenerator(seed: 0)
/// let weight = Initializer.kaimingNormal(nonlinearity: .relu).makeTensor(shape: [128, 64], generator: &generator)
/// layer.weight.initialize(with: .xavierUniform(), generator: &generator)   // in place, same shape
/// ```
public enum Initializer: Sendable, Hashable {
    /// Every element `value`.
    case constant(Double)
    /// Uniform in `[low, high)`.
    case uniform(low: Double, high: Double)
    /// Normal with the given mean and standard deviation.
    case normal(mean: Double, standardDeviation: Double)
    /// He et al. (2015), uniform: `U(−b, b)` with `b = gain · √(3 / fan)`. PyTorch's default arguments are
    /// `nonlinearity: .leakyRelu(negativeSlope: 0)` (gain √2) and `mode: .fanIn`.
    case kaimingUniform(nonlinearity: Nonlinearity = .leakyRelu(negativeSlope: 0), mode: FanMode = .fanIn)
    /// He et al. (2015), normal: `N(0, σ²)` with `σ = gain / √fan`.
    case kaimingNormal(nonlinearity: Nonlinearity = .leakyRelu(negativeSlope: 0), mode: FanMode = .fanIn)
    /// Glorot and Bengio (2010), uniform: `U(−b, b)` with `b = gain · √(6 / (fanIn + fanOut))`.
    case xavierUniform(gain: Double = 1)
    /// Glorot and Bengio (2010), normal: `N(0, σ²)` with `σ = gain · √(2 / (fanIn + fanOut))`.
    case xavierNormal(gain: Double = 1)
    /// Saxe et al. (2013): the weight viewed as `[shape[0], rest]` has orthonormal rows (or columns, when
    /// it is taller than wide), times `gain`. See ``orthogonalMatrix(rows:columns:gain:dtype:generator:)``.
    case orthogonal(gain: Double = 1)

    /// All zeros.
    public static let zeros = Initializer.constant(0)
    /// All ones.
    public static let ones = Initializer.constant(1)

    /// A new tensor of `shape` initialized by this rule.
    ///
    /// - Parameters:
    ///   - shape: the parameter's shape; variance-scaling and orthogonal rules need rank 2 or more.
    ///   - dtype: `float32` or `float64`.
    ///   - generator: the random stream; constant rules leave it untouched.
    public func makeTensor(shape: [Int], dtype: DType = .float32, generator: inout RandomGenerator) -> Tensor {
        switch self {
        case .constant(let value):
            return Tensor.full(shape: shape, value: value, dtype: dtype)
        case .uniform(let low, let high):
            return Tensor.uniform(shape: shape, low: low, high: high, dtype: dtype, generator: &generator)
        case .normal(let mean, let standardDeviation):
            return Tensor.normal(
                shape: shape, mean: mean, standardDeviation: standardDeviation, dtype: dtype, generator: &generator)
        case .kaimingUniform(let nonlinearity, let mode):
            let bound = 3.0.squareRoot() * Self.kaimingStandardDeviation(shape, nonlinearity, mode)
            return Tensor.uniform(shape: shape, low: -bound, high: bound, dtype: dtype, generator: &generator)
        case .kaimingNormal(let nonlinearity, let mode):
            let deviation = Self.kaimingStandardDeviation(shape, nonlinearity, mode)
            return Tensor.normal(shape: shape, standardDeviation: deviation, dtype: dtype, generator: &generator)
        case .xavierUniform(let gain):
            let bound = 3.0.squareRoot() * Self.xavierStandardDeviation(shape, gain)
            return Tensor.uniform(shape: shape, low: -bound, high: bound, dtype: dtype, generator: &generator)
        case .xavierNormal(let gain):
            let deviation = Self.xavierStandardDeviation(shape, gain)
            return Tensor.normal(shape: shape, standardDeviation: deviation, dtype: dtype, generator: &generator)
        case .orthogonal(let gain):
            precondition(shape.count >= 2, "Initializer.orthogonal: needs a shape of rank 2 or more, got \(shape)")
            let rows = shape[0]
            let columns = shape.dropFirst().reduce(1, *)
            return Self.orthogonalMatrix(rows: rows, columns: columns, gain: gain, dtype: dtype, generator: &generator)
                .reshaped(shape)
        }
    }

    /// The fan-in and fan-out of a weight of `shape`, as PyTorch computes them.
    ///
    /// For `[outputs, inputs, k₁, k₂, …]` the fan-in is `inputs · k₁ · k₂ · …` and the fan-out is
    /// `outputs · k₁ · k₂ · …` (a `Linear` weight `[out, in]` has fan-in `in` and fan-out `out`).
    ///
    /// - Parameter shape: a weight shape of rank 2 or more.
    public static func fans(of shape: [Int]) -> (fanIn: Int, fanOut: Int) {
        precondition(
            shape.count >= 2, "Initializer.fans(of:): a weight needs at least 2 dimensions, got shape \(shape)")
        let receptiveField = shape.dropFirst(2).reduce(1, *)
        return (shape[1] * receptiveField, shape[0] * receptiveField)
    }

    static func kaimingStandardDeviation(_ shape: [Int], _ nonlinearity: Nonlinearity, _ mode: FanMode) -> Double {
        let (fanIn, fanOut) = fans(of: shape)
        let fan = mode == .fanIn ? fanIn : fanOut
        precondition(fan > 0, "Initializer.kaiming: shape \(shape) has a zero fan")
        return nonlinearity.gain / Double(fan).squareRoot()
    }

    static func xavierStandardDeviation(_ shape: [Int], _ gain: Double) -> Double {
        let (fanIn, fanOut) = fans(of: shape)
        precondition(fanIn + fanOut > 0, "Initializer.xavier: shape \(shape) has zero fans")
        return gain * (2 / Double(fanIn + fanOut)).squareRoot()
    }
}

extension Variable {
    /// Replaces the value with a fresh one of the same shape and dtype drawn by `initializer`.
    ///
    /// The variable stays the same object, so optimizers and layers that hold it see the new value.
    public func initialize(with initializer: Initializer, generator: inout RandomGenerator) {
        value = initializer.makeTensor(shape: shape, dtype: dtype, generator: &generator)
    }
}
