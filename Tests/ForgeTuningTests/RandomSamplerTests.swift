import Foundation
import Testing

@testable import ForgeTuning

@Suite struct RandomSamplerTests {
    @Test func sameSeedGivesSameSuggestionsAndBoundsHold() async throws {
        let first = try await SamplerTestFunctions.mixedSpaceSuggestions(sampler: RandomSampler(seed: 1), trials: 30)
        let second = try await SamplerTestFunctions.mixedSpaceSuggestions(sampler: RandomSampler(seed: 1), trials: 30)
        let other = try await SamplerTestFunctions.mixedSpaceSuggestions(sampler: RandomSampler(seed: 2), trials: 30)
        #expect(first == second)
        #expect(first != other)
    }

    @Test func integersAndChoicesAreUniform() throws {
        let distribution = try Distribution.int(low: 0, high: 4)
        var counts = [Int](repeating: 0, count: 5)
        for number in 0..<5000 {
            let value = RandomSampler.sample(distribution, seed: 9, trial: number, name: "k")
            counts[Int(value)] += 1
        }
        // 1000 expected per value; 5 standard deviations ≈ 140.
        for count in counts { #expect(abs(count - 1000) < 140, "counts \(counts)") }
        let logDistribution = try Distribution.float(low: 1e-3, high: 1e3, log: true)
        var belowOne = 0
        for number in 0..<4000 where RandomSampler.sample(logDistribution, seed: 9, trial: number, name: "lr") < 1 {
            belowOne += 1
        }
        #expect(abs(belowOne - 2000) < 160, "log-uniform: \(belowOne) of 4000 below 1")
    }
}
