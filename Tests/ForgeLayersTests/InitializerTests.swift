import ForgeAutograd
import ForgeLayers
import ForgeTensor
import Testing

@Suite("Initializers")
struct InitializerTests {
    @Test func gainsMatchCalculateGain() {
        // torch.nn.init.calculate_gain: linear 1, tanh 5/3, relu √2, leaky_relu(0.2) √(2/1.04), selu 0.75.
        #expect(Nonlinearity.linear.gain == 1)
        #expect(Nonlinearity.convolution.gain == 1)
        #expect(Nonlinearity.sigmoid.gain == 1)
        #expect(Swift.abs(Nonlinearity.tanh.gain - 5.0 / 3.0) < 1e-15)
        #expect(Swift.abs(Nonlinearity.relu.gain - 1.4142135623730951) < 1e-15)
        #expect(Swift.abs(Nonlinearity.leakyRelu(negativeSlope: 0.2).gain - 1.386750490563073) < 1e-15)
        #expect(
            Swift.abs(Nonlinearity.leakyRelu(negativeSlope: 5.0.squareRoot()).gain - (1.0 / 3).squareRoot()) < 1e-15)
        #expect(Nonlinearity.selu.gain == 0.75)
    }

    @Test func fansFollowPyTorch() {
        #expect(Initializer.fans(of: [10, 4]) == (4, 10))
        #expect(Initializer.fans(of: [8, 3, 5, 5]) == (75, 200))
        #expect(Initializer.fans(of: [6, 2, 7]) == (14, 42))
    }

    @Test func kaimingUniformBoundAndSpread() {
        var generator = RandomGenerator(seed: 1)
        let shape = [256, 64, 3, 3]  // fan-in 576
        let weight = Initializer.kaimingUniform().makeTensor(shape: shape, generator: &generator)
        let bound = 2.0.squareRoot() * (3.0 / 576).squareRoot()
        let values = weight.doubleScalars
        #expect(values.allSatisfy { Swift.abs($0) <= bound })
        #expect(values.max()! > 0.99 * bound && values.min()! < -0.99 * bound)
        let (mean, deviation) = moments(weight)
        #expect(Swift.abs(mean) < 0.01 * bound)
        // U(-b, b) has standard deviation b/√3; 147 456 samples give ~0.2% error.
        #expect(Swift.abs(deviation - bound / 3.0.squareRoot()) < 0.01 * bound)
    }

    @Test func kaimingNormalFanOutStandardDeviation() {
        var generator = RandomGenerator(seed: 2)
        let weight = Initializer.kaimingNormal(nonlinearity: .relu, mode: .fanOut)
            .makeTensor(shape: [100, 400], dtype: .float64, generator: &generator)
        #expect(weight.dtype == .float64)
        let expected = 2.0.squareRoot() / 100.0.squareRoot()
        let (mean, deviation) = moments(weight)
        #expect(Swift.abs(mean) < 0.02 * expected)
        #expect(Swift.abs(deviation / expected - 1) < 0.02)
    }

    @Test func xavierUniformAndNormal() {
        var generator = RandomGenerator(seed: 3)
        let shape = [300, 200]
        let uniform = Initializer.xavierUniform(gain: 2).makeTensor(shape: shape, generator: &generator)
        let bound = 2 * (6.0 / 500).squareRoot()
        #expect(uniform.doubleScalars.allSatisfy { Swift.abs($0) <= bound })
        #expect(Swift.abs(moments(uniform).standardDeviation / (bound / 3.0.squareRoot()) - 1) < 0.02)
        let normal = Initializer.xavierNormal().makeTensor(shape: shape, generator: &generator)
        #expect(Swift.abs(moments(normal).standardDeviation / (2.0 / 500).squareRoot() - 1) < 0.02)
    }

    @Test func constantsUniformAndNormal() {
        var generator = RandomGenerator(seed: 4)
        let before = generator
        #expect(
            Initializer.zeros.makeTensor(shape: [2, 3], generator: &generator).doubleScalars == [0, 0, 0, 0, 0, 0])
        #expect(Initializer.ones.makeTensor(shape: [2], generator: &generator).doubleScalars == [1, 1])
        #expect(
            Initializer.constant(-0.5).makeTensor(shape: [3], generator: &generator).doubleScalars == [
                -0.5, -0.5, -0.5,
            ])
        #expect(generator == before, "constant rules must not consume randomness")
        let uniform = Initializer.uniform(low: 2, high: 3).makeTensor(shape: [10_000], generator: &generator)
        #expect(uniform.doubleScalars.allSatisfy { (2..<3).contains($0) })
        #expect(Swift.abs(moments(uniform).mean - 2.5) < 0.01)
        let normal = Initializer.normal(mean: -1, standardDeviation: 0.5).makeTensor(
            shape: [20_000], generator: &generator)
        let (mean, deviation) = moments(normal)
        #expect(Swift.abs(mean + 1) < 0.02 && Swift.abs(deviation - 0.5) < 0.01)
    }

    @Test func sameSeedSameValues() {
        var first = RandomGenerator(seed: 9)
        var second = RandomGenerator(seed: 9)
        let a = Initializer.orthogonal().makeTensor(shape: [5, 7], generator: &first)
        let b = Initializer.orthogonal().makeTensor(shape: [5, 7], generator: &second)
        #expect(a.scalars(as: Float.self) == b.scalars(as: Float.self))
        #expect(first == second)
    }

    /// `Qᵀ·Q` (or `Q·Qᵀ` for wide matrices) must be `gain² · I`.
    @Test(arguments: [(6, 6), (10, 4), (4, 10), (1, 5)])
    func orthogonalRowsOrColumns(shape: (Int, Int)) {
        let (rows, columns) = shape
        var generator = RandomGenerator(seed: 11)
        let gain = 1.5
        let q = Initializer.orthogonal(gain: gain).makeTensor(
            shape: [rows, columns], dtype: .float64, generator: &generator)
        let gram = rows >= columns ? q.transposed().matmul(q) : q.matmul(q.transposed())
        let size = Swift.min(rows, columns)
        let identity = Tensor.eye(size, dtype: .float64) * (gain * gain)
        #expect(maximumDifference(gram, identity) < 1e-12)
    }

    @Test func orthogonalFlattensTrailingAxes() {
        var generator = RandomGenerator(seed: 12)
        let weight = Initializer.orthogonal().makeTensor(shape: [4, 2, 3], generator: &generator)
        #expect(weight.shape == [4, 2, 3])
        let matrix = weight.reshaped([4, 6]).converted(to: .float64)
        #expect(maximumDifference(matrix.matmul(matrix.transposed()), Tensor.eye(4, dtype: .float64)) < 1e-6)
    }

    @Test func initializeReplacesValueInPlace() {
        let layer = Linear(inputFeatures: 3, outputFeatures: 2, seed: 0)
        let weight = layer.weight
        var generator = RandomGenerator(seed: 5)
        layer.weight.initialize(with: .constant(0.25), generator: &generator)
        #expect(layer.weight === weight)
        #expect(layer.weight.value.scalars(as: Float.self) == [Float](repeating: 0.25, count: 6))
        #expect(layer.weight.shape == [2, 3] && layer.weight.dtype == .float32)
    }
}
