import Foundation
import Testing

@testable import ForgeTuning

@Suite struct CoarseToFineSamplerTests {
    @Test func laterStagesNarrowAroundTheBestTrials() async throws {
        let sampler = CoarseToFineSampler(seed: 2, configuration: .init(stageSize: 10, topFraction: 0.2, shrink: 0.5))
        let study = try await Study.create(direction: .minimize, sampler: sampler)
        var late: [Double] = []
        for number in 0..<60 {
            let trial = try await study.ask()
            let x = try await trial.suggestFloat("x", -10...10)
            let y = try await trial.suggestFloat("y", -10...10)
            if number >= 50 { late.append(abs(x - 3) + abs(y + 4)) }
            try await study.tell(trial, values: [(x - 3) * (x - 3) + (y + 4) * (y + 4)])
        }
        // Stage 5 boxes are at most a few units wide around (3, −4).
        #expect(late.max() ?? .infinity < 6, "distances in the last stage: \(late)")
        #expect(try await study.bestValue < 0.5)
    }

    @Test func sameSeedGivesSameSuggestionsAndBoundsHold() async throws {
        let first = try await SamplerTestFunctions.mixedSpaceSuggestions(sampler: CoarseToFineSampler(seed: 6), trials: 30)
        let second = try await SamplerTestFunctions.mixedSpaceSuggestions(sampler: CoarseToFineSampler(seed: 6), trials: 30)
        #expect(first == second)
    }
}
