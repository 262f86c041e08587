import ForgeTensor
import Foundation

/// Seeded synthetic datasets for starting simple and for tests (scikit-learn's `make_*` family).
/// Features are `float32`; class labels `int64`, regression targets `float32`. One seed always
/// gives the same data.
///
/// ```swift
/// let moons = SyntheticData.twoMoons(count: 500, noise: 0.1, seed: 1)
/// let loader = DataLoader(moons, batchSize: 32, shuffle: true, seed: 1)
/// ```
public enum SyntheticData {
    /// Gaussian blobs: `count` points spread evenly over `centers` (`[centers, features]`, or random
    /// centres in `[-10, 10)` when nil), each with isotropic spread `standardDeviation`. Label = blob.
    public static func blobs(
        count: Int, centers: [[Double]]? = nil, classes: Int = 3, features: Int = 2, standardDeviation: Double = 1,
        seed: UInt64
    ) -> TensorDataset {
        var random = Draws(seed: seed)
        let means = centers ?? (0..<classes).map { _ in (0..<features).map { _ in random.uniform(-10, 10) } }
        let dimension = means.first?.count ?? features
        precondition(
            means.allSatisfy { $0.count == dimension } && !means.isEmpty,
            "SyntheticData.blobs: centres must share one dimension")
        var points: [Float] = []
        var labels: [Int64] = []
        for index in 0..<count {
            let blob = index % means.count
            for value in means[blob] { points.append(Float(value + standardDeviation * random.normal())) }
            labels.append(Int64(blob))
        }
        return TensorDataset(
            features: Tensor(points, shape: [count, dimension]), labels: Tensor(labels, shape: [count]))
    }

    /// Two interleaving half circles (label 0 upper, 1 lower), with Gaussian `noise`.
    public static func twoMoons(count: Int, noise: Double = 0.1, seed: UInt64) -> TensorDataset {
        var random = Draws(seed: seed)
        var points: [Float] = []
        var labels: [Int64] = []
        for index in 0..<count {
            let upper = index % 2 == 0
            let angle = random.uniform(0, .pi)
            let x = upper ? cos(angle) : 1 - cos(angle)
            let y = upper ? sin(angle) : 0.5 - sin(angle)
            points += [Float(x + noise * random.normal()), Float(y + noise * random.normal())]
            labels.append(upper ? 0 : 1)
        }
        return TensorDataset(features: Tensor(points, shape: [count, 2]), labels: Tensor(labels, shape: [count]))
    }

    /// `classes` interleaved spiral arms in the plane (the CS231n toy problem), radius 0…1 over
    /// `turns` turns, angle noise `noise` radians.
    public static func spirals(count: Int, classes: Int = 2, turns: Double = 1, noise: Double = 0.2, seed: UInt64)
        -> TensorDataset
    {
        precondition(classes >= 1, "SyntheticData.spirals: classes \(classes) must be positive")
        var random = Draws(seed: seed)
        var points: [Float] = []
        var labels: [Int64] = []
        for index in 0..<count {
            let arm = index % classes
            let radius = random.uniform(0.05, 1)
            let angle = 2 * .pi * (turns * radius + Double(arm) / Double(classes)) + noise * random.normal()
            points += [Float(radius * cos(angle)), Float(radius * sin(angle))]
            labels.append(Int64(arm))
        }
        return TensorDataset(features: Tensor(points, shape: [count, 2]), labels: Tensor(labels, shape: [count]))
    }

    /// A linear regression problem and the truth that generated it.
    public struct Regression: Sendable {
        /// Features `[count, features]` and targets `[count]`.
        public var dataset: TensorDataset
        /// The true coefficients (empty for non-linear problems).
        public var coefficients: [Double]
        /// The true intercept.
        public var bias: Double
    }

    /// `y = x · w + b + noise`, `x ~ N(0, 1)`, `w ~ U(-3, 3)`, `b ~ U(-1, 1)`.
    public static func linearRegression(count: Int, features: Int, noise: Double = 0.1, seed: UInt64) -> Regression {
        var random = Draws(seed: seed)
        let weights = (0..<features).map { _ in random.uniform(-3, 3) }
        let bias = random.uniform(-1, 1)
        var inputs: [Float] = []
        var targets: [Float] = []
        for _ in 0..<count {
            let row = (0..<features).map { _ in random.normal() }
            inputs += row.map { Float($0) }
            targets.append(Float(zip(row, weights).reduce(bias) { $0 + $1.0 * $1.1 } + noise * random.normal()))
        }
        return Regression(
            dataset: TensorDataset(
                features: Tensor(inputs, shape: [count, features]), labels: Tensor(targets, shape: [count])),
            coefficients: weights, bias: bias)
    }

    /// Friedman #1: `y = 10 sin(π x₁x₂) + 20 (x₃ − ½)² + 10 x₄ + 5 x₅ + noise`, `x ~ U(0, 1)`;
    /// features beyond the fifth are irrelevant (`features ≥ 5`).
    public static func nonlinearRegression(count: Int, features: Int = 5, noise: Double = 0.1, seed: UInt64)
        -> TensorDataset
    {
        precondition(features >= 5, "SyntheticData.nonlinearRegression: needs at least 5 features, got \(features)")
        var random = Draws(seed: seed)
        var inputs: [Float] = []
        var targets: [Float] = []
        for _ in 0..<count {
            let x = (0..<features).map { _ in random.uniform(0, 1) }
            let y = 10 * sin(.pi * x[0] * x[1]) + 20 * (x[2] - 0.5) * (x[2] - 0.5) + 10 * x[3] + 5 * x[4]
            inputs += x.map { Float($0) }
            targets.append(Float(y + noise * random.normal()))
        }
        return TensorDataset(
            features: Tensor(inputs, shape: [count, features]), labels: Tensor(targets, shape: [count]))
    }

    /// Sequences `[count, length]` of `U(0, 1)` values whose target is their sum (regression over time).
    public static func sequenceSum(count: Int, length: Int, seed: UInt64) -> TensorDataset {
        var random = Draws(seed: seed)
        var inputs: [Float] = []
        var targets: [Float] = []
        for _ in 0..<count {
            let row = (0..<length).map { _ in Float(random.uniform(0, 1)) }
            inputs += row
            targets.append(row.reduce(0, +))
        }
        return TensorDataset(features: Tensor(inputs, shape: [count, length]), labels: Tensor(targets, shape: [count]))
    }

    /// Binary sequences `[count, length]` labelled with their parity (1 when the number of ones is
    /// odd), a classic test of memory in recurrent models.
    public static func sequenceParity(count: Int, length: Int, seed: UInt64) -> TensorDataset {
        var random = Draws(seed: seed)
        var inputs: [Float] = []
        var labels: [Int64] = []
        for _ in 0..<count {
            let bits = (0..<length).map { _ in random.uniform(0, 1) < 0.5 ? Float(0) : 1 }
            inputs += bits
            labels.append(Int64(bits.reduce(0, +)) % 2)
        }
        return TensorDataset(features: Tensor(inputs, shape: [count, length]), labels: Tensor(labels, shape: [count]))
    }

    /// Noisy sine waves `[count, length]` whose class `k` has frequency `k + 1` cycles per sequence
    /// and a random phase (sequence classification).
    public static func sineWaves(count: Int, length: Int, classes: Int = 3, noise: Double = 0.1, seed: UInt64)
        -> TensorDataset
    {
        var random = Draws(seed: seed)
        var inputs: [Float] = []
        var labels: [Int64] = []
        for index in 0..<count {
            let label = index % classes
            let phase = random.uniform(0, 2 * .pi)
            for step in 0..<length {
                let t = Double(step) / Double(length)
                inputs.append(Float(sin(2 * .pi * Double(label + 1) * t + phase) + noise * random.normal()))
            }
            labels.append(Int64(label))
        }
        return TensorDataset(features: Tensor(inputs, shape: [count, length]), labels: Tensor(labels, shape: [count]))
    }
}

/// Scalar draws from a `RandomGenerator` (uniform and Box–Muller normal).
struct Draws {
    var generator: RandomGenerator

    init(seed: UInt64) { generator = RandomGenerator.derived(seed: seed, stream: 20, epoch: 0) }

    mutating func uniform(_ low: Double, _ high: Double) -> Double { low + (high - low) * generator.nextUnit() }

    mutating func normal() -> Double {
        let u1 = 1 - generator.nextUnit()  // (0, 1], so the logarithm is finite
        let u2 = generator.nextUnit()
        return (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
    }
}
