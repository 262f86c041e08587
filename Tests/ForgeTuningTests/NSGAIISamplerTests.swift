import Foundation
import Testing

@testable import ForgeTuning

@Suite struct NSGAIISamplerTests {
    /// ZDT1 in 6 dimensions: f₁ = x₀, f₂ = g (1 − √(f₁/g)), g = 1 + 9 Σ xᵢ / 5; the Pareto front has g = 1.
    static func zdt1(_ x: [Double]) -> [Double] {
        let g = 1 + 9 * x[1...].reduce(0, +) / Double(x.count - 1)
        return [x[0], g * (1 - (x[0] / g).squareRoot())]
    }

    /// The hypervolume of a 2-objective minimization front with respect to `reference`.
    static func hypervolume(_ points: [[Double]], reference: [Double]) -> Double {
        let sorted = points.filter { $0[0] < reference[0] && $0[1] < reference[1] }.sorted { $0[0] < $1[0] }
        var volume = 0.0
        var ceiling = reference[1]
        for point in sorted where point[1] < ceiling {
            volume += (reference[0] - point[0]) * (ceiling - point[1])
            ceiling = point[1]
        }
        return volume
    }

    @Test func paretoFrontImprovesOverGenerations() async throws {
        let configuration = { var c = NSGAIISampler.Configuration(); c.populationSize = 20; return c }()
        let study = try await Study.create(
            directions: [.minimize, .minimize], sampler: NSGAIISampler(seed: 3, configuration: configuration))
        var volumes: [Double] = []
        var values: [[Double]] = []
        for _ in 0..<8 {
            for _ in 0..<20 {
                let trial = try await study.ask()
                var x: [Double] = []
                for index in 0..<6 { x.append(try await trial.suggestFloat("x\(index)", 0...1)) }
                let objectives = Self.zdt1(x)
                values.append(objectives)
                try await study.tell(trial, values: objectives)
            }
            volumes.append(Self.hypervolume(values, reference: [1.1, 11]))
        }
        // Random first generation, then steady improvement: clearly larger hypervolume, front closer to g = 1.
        #expect(volumes[7] > volumes[0] * 1.05, "hypervolumes \(volumes)")
        #expect(volumes[7] > volumes[3], "hypervolumes \(volumes)")
        #expect(try await study.bestTrials.count >= 5)
    }

    @Test func sortAndCrowdingFollowTheDefinitions() {
        let losses: [[Double]] = [[1, 5], [2, 3], [3, 4], [4, 1], [5, 5], [2, 2]]
        #expect(ParetoRanking.ranks(losses) == [0, 1, 2, 0, 3, 0])
        let distances = ParetoRanking.crowdingDistances(losses, members: [0, 3, 5])
        #expect(distances[0] == .infinity && distances[1] == .infinity)
        #expect(abs(distances[2] - (3.0 / 3 + 4.0 / 4)) < 1e-12)
    }

    @Test func sameSeedGivesSameSuggestions() async throws {
        var configuration = NSGAIISampler.Configuration()
        configuration.populationSize = 8
        let first = try await SamplerTestFunctions.mixedSpaceSuggestions(
            sampler: NSGAIISampler(seed: 1, configuration: configuration), trials: 24)
        let second = try await SamplerTestFunctions.mixedSpaceSuggestions(
            sampler: NSGAIISampler(seed: 1, configuration: configuration), trials: 24)
        #expect(first == second)
    }
}
