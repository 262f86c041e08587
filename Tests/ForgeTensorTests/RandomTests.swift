import Testing

@testable import ForgeTensor

@Suite("Counter-based random generation")
struct RandomTests {
    @Test func philoxKnownAnswers() {
        // Known-answer vectors of Philox4x32-10 from the Random123 distribution (kat_vectors).
        let zero = RandomGenerator.block(0, seed: 0)
        #expect(zero == SIMD4<UInt32>(0x6627_e8d5, 0xe169_c58d, 0xbc57_ac4c, 0x9b00_dbd8))
    }

    @Test func sameSeedSameStream() {
        var first = RandomGenerator(seed: 42)
        var second = RandomGenerator(seed: 42)
        let a = Tensor.normal(shape: [1000], generator: &first)
        let b = Tensor.normal(shape: [1000], generator: &second)
        #expect(a == b)
        #expect(first.counter == second.counter)
        let c = Tensor.normal(shape: [1000], generator: &first)
        #expect(c != a)
        var other = RandomGenerator(seed: 43)
        #expect(Tensor.normal(shape: [1000], generator: &other) != a)
    }

    @Test func streamDoesNotDependOnThreadCount() {
        var g1 = RandomGenerator(seed: 7)
        var g2 = RandomGenerator(seed: 7)
        let single = ForgeThreads.withLimit(1) { Tensor.uniform(shape: [200_001], generator: &g1) }
        let parallel = ForgeThreads.withLimit(2) { Tensor.uniform(shape: [200_001], generator: &g2) }
        #expect(single == parallel)
    }

    @Test func uniformStatistics() {
        var generator = RandomGenerator(seed: 1)
        let u = Tensor.uniform(shape: [100_000], low: -2, high: 6, generator: &generator)
        #expect(u.min().item(as: Float.self) >= -2)
        #expect(u.max().item(as: Float.self) < 6)
        // Mean 2, variance (8^2)/12 = 5.333; 5-sigma bounds on the sample mean ≈ 0.037.
        #expect(Swift.abs(u.mean().item(as: Float.self) - 2) < 0.04)
        #expect(Swift.abs(u.variance().item(as: Float.self) - 5.3333) < 0.1)
        let d = Tensor.uniform(shape: [10], dtype: .float64, generator: &generator)
        #expect(d.dtype == .float64)
    }

    @Test func normalStatistics() {
        var generator = RandomGenerator(seed: 2)
        let n = Tensor.normal(shape: [200_000], mean: 1, standardDeviation: 3, generator: &generator)
        #expect(Swift.abs(n.mean().item(as: Float.self) - 1) < 0.035)
        #expect(Swift.abs(n.standardDeviation().item(as: Float.self) - 3) < 0.03)
        #expect(n.isFinite().converted(to: .int64).sum().item(as: Int64.self) == 200_000)
    }

    @Test func bernoulliIntegersAndPermutations() {
        var generator = RandomGenerator(seed: 3)
        let coins = Tensor.bernoulli(shape: [100_000], probability: 0.3, generator: &generator)
        #expect(coins.dtype == .bool)
        let heads = Double(coins.sum().item(as: Int64.self)) / 100_000
        #expect(Swift.abs(heads - 0.3) < 0.01)
        let dice = Tensor.randomIntegers(shape: [60_000], low: 1, high: 7, generator: &generator)
        #expect(dice.min().item(as: Int64.self) == 1)
        #expect(dice.max().item(as: Int64.self) == 6)
        let permutation = Tensor.randomPermutation(count: 100, generator: &generator).scalars(as: Int64.self)
        #expect(permutation.sorted() == Array(0..<100))
        #expect(permutation != Array(0..<100))
        var again = RandomGenerator(seed: 3)
        _ = Tensor.bernoulli(shape: [100_000], probability: 0.3, generator: &again)
        _ = Tensor.randomIntegers(shape: [60_000], low: 1, high: 7, generator: &again)
        #expect(Tensor.randomPermutation(count: 100, generator: &again).scalars(as: Int64.self) == permutation)
    }
}
