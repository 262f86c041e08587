import ForgeTensor
import Foundation
import Testing

@testable import ForgeTuning

/// The numerical building blocks of the samplers, against SciPy's values (pasted).
@Suite struct SamplerMathTests {
    @Test func normalQuantileMatchesSciPy() {
        // scipy.special.ndtri
        let cases: [(Double, Double)] = [
            (1e-300, -37.0470962993612), (1e-20, -9.262340089798409), (0.02, -2.053748910631823),
            (0.3, -0.5244005127080409), (0.5, 0), (0.97, 1.8807936081512509), (1 - 1e-12, 7.0344869100478356),
        ]
        for (p, expected) in cases {
            #expect(abs(StandardNormal.quantile(p) - expected) <= 1e-12 * max(1, abs(expected)), "ndtri(\(p))")
        }
    }

    @Test func logCumulativeMatchesSciPyInTheTails() {
        // scipy.special.log_ndtr
        let cases: [(Double, Double)] = [
            (-40, -804.6084420137539), (-25, -316.63940800802027), (-5, -15.064998393988727),
            (0, -0.6931471805599453), (3, -0.0013508099647481925), (8, -6.220960574271742e-16),
        ]
        for (z, expected) in cases {
            #expect(abs(StandardNormal.logCumulative(z) - expected) <= 1e-11 * max(1, abs(expected)), "log_ndtr(\(z))")
        }
    }

    @Test func truncatedNormalSamplesStayInsideAndFollowTheDistribution() {
        var generator = RandomGenerator(seed: 3)
        var sum = 0.0
        let count = 20000
        for _ in 0..<count {
            let value = TruncatedNormal.sample(centre: 0, width: 1, low: 0, high: 2, unit: generator.nextOpenUnit())
            #expect(value >= 0 && value <= 2)
            sum += value
        }
        // Mean of N(0, 1) truncated to [0, 2]: (φ(0) − φ(2)) / (Φ(2) − Φ(0)) = 0.722 79
        #expect(abs(sum / Double(count) - 0.722_79) < 0.015)
    }

    @Test func parzenEstimatorMatchesOptunaLogDensity() {
        // optuna.samplers._tpe.parzen_estimator._ParzenEstimator, multivariate, Optuna 5 defaults:
        // a float[-5, 10], b float[1e-3, 1, log], c int[0, 10], d categorical(x, y, z).
        let parameters: [SamplerParameter] = [
            .continuous(-5, 10), .continuous(1e-3, 1, log: true), .discrete(0, 10, step: 1), .categorical(3),
        ]
        let observations: [Double] = [0.5, 0.01, 3, 0, -2, 0.5, 3, 2, 7.5, 0.002, 9, 2, 3, 0.1, 0, 1]
        let estimator = ParzenEstimator(
            observations: observations, weights: [1, 1, 1, 1], parameters: parameters,
            settings: ParzenEstimatorSettings())
        var result: [Double] = []
        estimator.logDensity(points: [0, 0.02, 3, 2, 9, 0.9, 10, 0, -4, 0.0011, 1, 1], count: 3, into: &result)
        let expected = [-7.860672827545296, -9.933349363561168, -9.256064892184687]
        for index in 0..<3 { #expect(abs(result[index] - expected[index]) < 1e-9, "point \(index)") }
    }

    @Test func parzenEstimatorWeightsMatchOptunaForOldTrials() {
        // 30 observations: Optuna's default_weights ramps the oldest 5.
        let observations = (0..<30).map { -4 + 13 * Double($0) / 29 }
        let estimator = ParzenEstimator(
            observations: observations, weights: TPEEngine.observationWeights(count: 30),
            parameters: [.continuous(-5, 10)], settings: ParzenEstimatorSettings())
        var result: [Double] = []
        estimator.logDensity(points: [-4.5, 0.3, 9.9], count: 3, into: &result)
        let expected = [-5.521097438339446, -2.5201401490395936, -4.900909679944272]
        for index in 0..<3 { #expect(abs(result[index] - expected[index]) < 1e-9, "point \(index)") }
    }

    @Test func goodTrialCountFollowsOptunaFloatingPoint() {
        #expect(TPEEngine.goodTrialCount(finished: 10) == 1)
        #expect(TPEEngine.goodTrialCount(finished: 30) == 3)
        #expect(TPEEngine.goodTrialCount(finished: 31) == 4)
        #expect(TPEEngine.goodTrialCount(finished: 1000) == 25)
    }

    @Test func logExpectedImprovementIsAccurateAndContinuous() {
        for z in [-4.0, -1.0, 0.0, 2.0] {
            let direct = log(z * StandardNormal.cumulative(z) + StandardNormal.density(z))
            #expect(abs(LogExpectedImprovement.standard(z).value - direct) < 1e-12)
        }
        // Branch point at z = −5 and deep tail: finite, increasing, derivative matches finite differences.
        let left = LogExpectedImprovement.standard(-5.000_000_1).value
        let right = LogExpectedImprovement.standard(-4.999_999_9).value
        #expect(abs(left - right) < 2e-6)  // slope ≈ 5 over a 2e-7 step
        let deep = LogExpectedImprovement.standard(-40)
        #expect(deep.value.isFinite && deep.value < -800)
        let step = 1e-6
        for z in [-40.0, -7.0, -2.0, 1.5] {
            let numeric = (LogExpectedImprovement.standard(z + step).value - LogExpectedImprovement.standard(z - step).value)
                / (2 * step)
            #expect(abs(numeric - LogExpectedImprovement.standard(z).derivative) < 1e-5 * max(1, abs(numeric)))
        }
    }
}
