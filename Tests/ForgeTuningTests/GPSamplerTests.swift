import ForgeTensor
import Foundation
import Testing

@testable import ForgeTuning

@Suite struct GPSamplerTests {
    @Test func reachesTheOptimumOfAQuadraticQuickly() async throws {
        let study = try await Study.create(direction: .minimize, sampler: GPSampler(seed: 1))
        for _ in 0..<25 {
            let trial = try await study.ask()
            let x = try await trial.suggestFloat("x", -5...5)
            let y = try await trial.suggestFloat("y", -5...5)
            try await study.tell(trial, values: [(x - 1.3) * (x - 1.3) + 2 * (y + 0.7) * (y + 0.7)])
        }
        let best = try await study.bestValue
        #expect(best < 1e-3, "best after 25 trials: \(best)")
    }

    @Test func sameSeedGivesSameSuggestionsAndBoundsHold() async throws {
        let first = try await SamplerTestFunctions.mixedSpaceSuggestions(sampler: GPSampler(seed: 2), trials: 14)
        let second = try await SamplerTestFunctions.mixedSpaceSuggestions(sampler: GPSampler(seed: 2), trials: 14)
        #expect(first == second)
    }

    @Test func marginalLikelihoodGradientMatchesFiniteDifferences() {
        var generator = RandomGenerator(seed: 5)
        let count = 12
        let inputs = (0..<(count * 3)).map { _ in generator.nextUnit() }
        let outputs = GPSampler.standardizedScores((0..<count).map { sin(6 * inputs[3 * $0]) + inputs[3 * $0 + 1] })
        let problem = GaussianProcessFitting.Problem(inputs: inputs, outputs: outputs, categorical: [false, false, true])
        let raw = [0.3, -0.5, 1.1, 0.2, -3.0]
        var gradient = [Double](repeating: 0, count: 5)
        _ = problem.loss(raw: raw, gradient: &gradient)
        var scratch = [Double](repeating: 0, count: 5)
        for index in 0..<5 {
            var plus = raw
            var minus = raw
            plus[index] += 1e-6
            minus[index] -= 1e-6
            let numeric = (problem.loss(raw: plus, gradient: &scratch) - problem.loss(raw: minus, gradient: &scratch)) / 2e-6
            #expect(abs(numeric - gradient[index]) < 1e-4 * max(1, abs(numeric)), "θ[\(index)]: \(numeric) vs \(gradient[index])")
        }
    }

    @Test func posteriorGradientMatchesFiniteDifferences() throws {
        var generator = RandomGenerator(seed: 8)
        let inputs = (0..<20).map { _ in generator.nextUnit() }
        let outputs = GPSampler.standardizedScores((0..<10).map { inputs[2 * $0] * inputs[2 * $0 + 1] })
        let process = try GaussianProcessRegressor(
            inputs: inputs, outputs: outputs, categorical: [false, false],
            hyperparameters: GaussianProcessHyperparameters(inverseSquaredLengthScales: [3, 0.5], kernelScale: 1.2, noiseVariance: 1e-3))
        var scratch = [Double](repeating: 0, count: 20)
        var gradient = [Double](repeating: 0, count: 4)
        func evaluate(_ point: [Double], _ gradient: UnsafeMutablePointer<Double>?) -> (Double, Double) {
            point.withUnsafeBufferPointer { point in
                scratch.withUnsafeMutableBufferPointer { scratch in
                    let result = process.posterior(at: point.baseAddress!, scratch: scratch.baseAddress!, gradient: gradient)
                    return (result.mean, result.variance)
                }
            }
        }
        let point = [0.37, 0.61]
        _ = gradient.withUnsafeMutableBufferPointer { evaluate(point, $0.baseAddress!) }
        for j in 0..<2 {
            var plus = point
            var minus = point
            plus[j] += 1e-6
            minus[j] -= 1e-6
            let (meanPlus, variancePlus) = evaluate(plus, nil)
            let (meanMinus, varianceMinus) = evaluate(minus, nil)
            #expect(abs((meanPlus - meanMinus) / 2e-6 - gradient[j]) < 1e-5)
            #expect(abs((variancePlus - varianceMinus) / 2e-6 - gradient[2 + j]) < 1e-5)
        }
    }

    @Test func boundedLBFGSFindsAConstrainedMinimum() {
        // min (x − 2)² + 10 (y + 1)² over [0, 1] × [−0.5, 3]: the answer is (1, −0.5), both at bounds.
        let result = BoundedLBFGS().minimize(start: [0.5, 2], lower: [0, -0.5], upper: [1, 3]) { x, gradient in
            gradient[0] = 2 * (x[0] - 2)
            gradient[1] = 20 * (x[1] + 1)
            return (x[0] - 2) * (x[0] - 2) + 10 * (x[1] + 1) * (x[1] + 1)
        }
        #expect(abs(result.point[0] - 1) < 1e-9 && abs(result.point[1] + 0.5) < 1e-9)
        // Rosenbrock, unbounded.
        let rosenbrock = BoundedLBFGS(maximumIterations: 500, gradientTolerance: 1e-8).minimize(
            start: [-1.2, 1], lower: [-.infinity, -.infinity], upper: [.infinity, .infinity]
        ) { x, gradient in
            gradient[0] = -2 * (1 - x[0]) - 400 * x[0] * (x[1] - x[0] * x[0])
            gradient[1] = 200 * (x[1] - x[0] * x[0])
            return (1 - x[0]) * (1 - x[0]) + 100 * (x[1] - x[0] * x[0]) * (x[1] - x[0] * x[0])
        }
        #expect(abs(rosenbrock.point[0] - 1) < 1e-4 && abs(rosenbrock.point[1] - 1) < 1e-4)
    }
}
