import Foundation
import Testing

@testable import ForgeTuning

@Suite struct TPESamplerTests {
    @Test func sameSeedGivesSameSuggestions() async throws {
        let first = try await SamplerTestFunctions.mixedSpaceSuggestions(sampler: TPESampler(seed: 11), trials: 25)
        let second = try await SamplerTestFunctions.mixedSpaceSuggestions(sampler: TPESampler(seed: 11), trials: 25)
        let other = try await SamplerTestFunctions.mixedSpaceSuggestions(sampler: TPESampler(seed: 12), trials: 25)
        #expect(first == second)
        #expect(first != other)
    }

    @Test func suggestionsRespectBoundsStepsLogAndChoices() async throws {
        // mixedSpaceSuggestions traps on any value outside its distribution; TPE takes over after 10 trials.
        let suggestions = try await SamplerTestFunctions.mixedSpaceSuggestions(sampler: TPESampler(seed: 5), trials: 40)
        #expect(suggestions.count == 40)
        // TPE concentrates on the good choice "b" once it has data.
        let late = suggestions[20...].filter { $0["choice"] == "b" }.count
        #expect(late >= 12, "choice b suggested \(late) of 20 times after start-up")
    }

    @Test func beatsRandomSearchOnBraninAtFiftyTrials() async throws {
        var tpeBest: [Double] = []
        var randomBest: [Double] = []
        for seed in 0..<5 as Range<UInt64> {
            tpeBest.append(try await SamplerTestFunctions.braninTrace(sampler: TPESampler(seed: seed), trials: 50)[49])
            randomBest.append(try await SamplerTestFunctions.braninTrace(sampler: RandomSampler(seed: seed), trials: 50)[49])
        }
        let tpeMedian = tpeBest.sorted()[2]
        let randomMedian = randomBest.sorted()[2]
        #expect(tpeMedian < randomMedian, "TPE median \(tpeMedian), random median \(randomMedian)")
        #expect(tpeMedian < 0.6, "TPE median best after 50 trials: \(tpeMedian)")
    }

    @Test func splitPutsBestCompleteTrialsBelowAndRunningTrialsAbove() {
        var observations: [TPEObservation] = []
        for number in 0..<20 {
            observations.append(TPEObservation(number: number, outcome: .complete(Double(20 - number)), point: [0]))
        }
        observations.append(TPEObservation(number: 20, outcome: .running, point: [0]))
        observations.append(TPEObservation(number: 21, outcome: .pruned(step: 3, value: 0), point: [0]))
        let (good, bad) = TPEEngine.split(observations)
        // 21 finished trials → γ = ⌈2.1⌉ = 3 good: the three best complete trials (19, 18, 17).
        #expect(good.map(\.number) == [17, 18, 19])
        #expect(bad.count == 19)
        #expect(bad.contains { $0.number == 20 } && bad.contains { $0.number == 21 })
    }

    @Test func constantLiarSpreadsConcurrentTrials() async throws {
        // Ten finished trials, then three trials asked before any is told: with the constant liar the
        // later ones see the earlier ones as bad and move away.
        let sampler = TPESampler(seed: 3)
        let study = try await Study.create(direction: .minimize, sampler: sampler)
        for _ in 0..<10 {
            let trial = try await study.ask()
            let x = try await trial.suggestFloat("x", -10...10)
            let y = try await trial.suggestFloat("y", -10...10)
            try await study.tell(trial, values: [x * x + y * y])
        }
        var points: [(Double, Double)] = []
        var pending: [Trial] = []
        for _ in 0..<3 {
            let trial = try await study.ask()
            points.append((try await trial.suggestFloat("x", -10...10), try await trial.suggestFloat("y", -10...10)))
            pending.append(trial)
        }
        for index in 0..<3 {
            for other in 0..<index {
                #expect(points[index] != points[other])
            }
        }
        for trial in pending { try await study.tell(trial, values: [0]) }
    }
}
