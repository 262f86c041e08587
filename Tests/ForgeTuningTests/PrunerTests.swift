import Foundation
import Testing

@testable import ForgeTuning

@Suite("Pruners")
struct PrunerTests {
    /// Five completed trials with values 1…5 at steps 0–2 (trial k reports k + step).
    func completedStudy(_ direction: StudyDirection = .minimize) -> StudyView {
        let trials = (0..<5).map { number in
            makeTrial(
                number, value: Double(number + 1),
                intermediate: [0: Double(number + 1), 1: Double(number + 2), 2: Double(number + 3)])
        }
        return StudyView(name: "s", directions: [direction], trials: trials)
    }

    @Test func medianPrunerComparesWithTheMedianAtTheSameStep() {
        let study = completedStudy()
        let pruner = MedianPruner()
        // Median at step 1 of [2, 3, 4, 5, 6] is 4.
        #expect(!pruner.shouldPrune(study: study, trial: makeTrial(9, state: .running, intermediate: [1: 4.0])))
        #expect(pruner.shouldPrune(study: study, trial: makeTrial(9, state: .running, intermediate: [1: 4.5])))
        // The best value so far counts: 3.0 at step 0 beats the median at step 1.
        #expect(!pruner.shouldPrune(study: study, trial: makeTrial(9, state: .running, intermediate: [0: 3, 1: 9])))
        // NaN only → prune.
        #expect(pruner.shouldPrune(study: study, trial: makeTrial(9, state: .running, intermediate: [0: .nan])))
        // Maximizing: the median is the same, the comparison flips.
        let maximize = completedStudy(.maximize)
        #expect(pruner.shouldPrune(study: maximize, trial: makeTrial(9, state: .running, intermediate: [1: 3.5])))
        #expect(!pruner.shouldPrune(study: maximize, trial: makeTrial(9, state: .running, intermediate: [1: 4.5])))
    }

    @Test func startupWarmupAndIntervalAreRespected() throws {
        let study = completedStudy()
        let bad = makeTrial(9, state: .running, intermediate: [0: 100])
        #expect(!MedianPruner(startupTrials: 6).shouldPrune(study: study, trial: bad))
        #expect(MedianPruner(startupTrials: 5).shouldPrune(study: study, trial: bad))
        #expect(!MedianPruner(warmupSteps: 1).shouldPrune(study: study, trial: bad))
        // interval 2 after warm-up 0: checks at steps 0, 2, 4…; at step 1 (after step 0) no check.
        let atStepOne = makeTrial(9, state: .running, intermediate: [0: 100, 1: 100])
        #expect(!MedianPruner(intervalSteps: 2).shouldPrune(study: study, trial: atStepOne))
        let atStepTwo = makeTrial(9, state: .running, intermediate: [0: 100, 1: 100, 2: 100])
        #expect(MedianPruner(intervalSteps: 2).shouldPrune(study: study, trial: atStepTwo))
        // A trial that skipped the checkpoint step is checked at the first step after it.
        #expect(PercentilePruner.isFirstInInterval(step: 3, steps: [0, 1, 3], 0, 2))
        #expect(!PercentilePruner.isFirstInInterval(step: 3, steps: [0, 1, 2, 3], 0, 2))
        #expect(!MedianPruner(minimumTrials: 6).shouldPrune(study: study, trial: bad))
    }

    @Test func percentilePrunerInterpolatesLikeNumPy() throws {
        // np.percentile([2, 3, 4, 5, 6], 25) == 3.0; np.percentile([1, 2, 3, 4], 30) == 1.9
        #expect(PercentilePruner.percentile(of: [2, 3, 4, 5, 6], 25) == 3.0)
        #expect(abs(PercentilePruner.percentile(of: [4, 1, 3, 2, .nan], 30) - 1.9) < 1e-12)
        #expect(PercentilePruner.percentile(of: [.nan], 30).isNaN)
        let pruner = try PercentilePruner(percentile: 25)
        let study = completedStudy()
        #expect(pruner.shouldPrune(study: study, trial: makeTrial(9, state: .running, intermediate: [1: 3.1])))
        #expect(!pruner.shouldPrune(study: study, trial: makeTrial(9, state: .running, intermediate: [1: 3.0])))
        #expect(throws: TuningError.self) { _ = try PercentilePruner(percentile: 120) }
        #expect(throws: TuningError.self) { _ = try PercentilePruner(percentile: 50, intervalSteps: 0) }
    }

    @Test func successiveHalvingPromotesTheTopFractionPerRung() throws {
        // minResource 1, η 2: rungs at steps 1, 2, 4, 8. Trials report value v at every step.
        let pruner = try SuccessiveHalvingPruner(minResource: 1, reductionFactor: 2)
        var trials: [FrozenTrial] = []
        var decisions: [Bool] = []
        for (number, value) in [5.0, 3.0, 4.0, 1.0, 6.0].enumerated() {
            var trial = makeTrial(number, state: .running, intermediate: [0: value])
            var pruned = false
            for step in 1...8 where !pruned {
                trial.intermediateValues[step] = value
                let view = StudyView(name: "s", directions: [.minimize], trials: trials + [trial])
                let decision = pruner.decide(study: view, trial: trial)
                trial.systemAttributes.merge(decision.trialSystemAttributes) { _, new in new }
                pruned = decision.prune
            }
            trial.state = pruned ? .pruned : .complete
            decisions.append(pruned)
            trials.append(trial)
        }
        // Trial 0 (5): alone at every rung → best → goes on. Trial 1 (3): better → goes on.
        // Trial 2 (4): rung 0 values [5,3,4] → index 3/2-1 = 0 → must be ≤ 3 → pruned at rung 0.
        // Trial 3 (1): best everywhere → goes on. Trial 4 (6): rung 0 [5,3,4,1,6] → index 1 → ≤ 3 → pruned.
        #expect(decisions == [false, false, true, false, true])
        #expect(trials[2].systemAttributes.keys.sorted() == ["completed_rung_0"])
        #expect(trials[3].systemAttributes[SuccessiveHalvingPruner.rungKey(3)] == .double(1))
        // NaN at a rung prunes.
        let nan = makeTrial(9, state: .running, intermediate: [1: .nan])
        #expect(pruner.shouldPrune(study: StudyView(name: "s", directions: [.minimize], trials: trials), trial: nan))
        #expect(throws: TuningError.self) { _ = try SuccessiveHalvingPruner(reductionFactor: 1) }
    }

    @Test func successiveHalvingEstimatesTheMinimumResource() throws {
        let pruner = try SuccessiveHalvingPruner()
        let running = makeTrial(1, state: .running, intermediate: [0: 1])
        // No completed trial: no estimate, no pruning.
        #expect(!pruner.shouldPrune(study: StudyView(name: "s", directions: [.minimize], trials: [running]), trial: running))
        let long = makeTrial(0, value: 1, intermediate: Dictionary(uniqueKeysWithValues: (0..<350).map { ($0, 1.0) }))
        let bad = makeTrial(1, state: .running, intermediate: [0: 9, 1: 9, 2: 9, 3: 9])
        // Estimate max(349 / 100, 1) = 3; rung 0 at step 3: competing [9] alone → promoted.
        let view = StudyView(name: "s", directions: [.minimize], trials: [long, bad])
        let decision = pruner.decide(study: view, trial: bad)
        #expect(decision == PruningDecision(prune: false, trialSystemAttributes: ["completed_rung_0": 9.0]))
    }

    @Test func hyperbandBracketsMatchOptuna() throws {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        let pruner = try HyperbandPruner(minResource: 1, maxResource: 27, reductionFactor: 3)
        let trial = makeTrial(0, state: .running, intermediate: [0: 1])
        _ = pruner.shouldPrune(study: StudyView(name: "hb", directions: [.minimize], trials: [trial]), trial: trial)
        // ⌊log₃ 27⌋ + 1 = 4 brackets with budgets ⌈4·3^s/(s+1)⌉ for s = 3…0: 27, 12, 6, 4 (total 49).
        #expect(pruner.bracketCount == 4)
        // Python: [bracket(binascii.crc32(f"hb_{n}".encode()) % 49) for n in range(12)]
        let brackets = (0..<12).map { pruner.bracket(studyName: "hb", trialNumber: $0) }
        #expect(brackets == [0, 1, 1, 0, 1, 0, 0, 1, 0, 1, 3, 0])
        // Every bracket gets trials, roughly in proportion to its budget.
        var counts = [0, 0, 0, 0]
        for number in 0..<2000 { counts[pruner.bracket(studyName: "hb", trialNumber: number) ?? 0] += 1 }
        #expect(counts.allSatisfy { $0 > 60 })
        #expect(counts[0] > counts[3])
    }

    @Test func prunedTrialsInAStudy() async throws {
        let study = try await Study.create(
            sampler: UniformTestSampler(), pruner: MedianPruner(startupTrials: 2, warmupSteps: 0))
        try await study.optimize(trials: 6) { trial in
            // Trial k reports k at every step: later trials are worse and get pruned after the start-up.
            let value = Double(trial.number)
            for step in 0..<5 {
                try await trial.report(value, step: step)
                if try await trial.shouldPrune() { throw TrialPruned() }
            }
            return value
        }
        let states = try await study.trials().map(\.state)
        // Trial 2: median of [0, 1] at step 0 is 0.5 < 2 → pruned; likewise every later trial.
        #expect(states == [.complete, .complete, .pruned, .pruned, .pruned, .pruned])
        let pruned = try await study.trials(states: [.pruned])
        #expect(pruned.allSatisfy { $0.intermediateValues.count == 1 })
    }

    @Test func successiveHalvingRecordsRungsThroughTheStudy() async throws {
        let directory = try TemporaryDirectory()
        let storage = try JournalFileStorage(path: directory.url.appendingPathComponent("asha.log").path)
        let study = try await Study.create(
            storage: storage, sampler: UniformTestSampler(),
            pruner: try SuccessiveHalvingPruner(minResource: 1, reductionFactor: 2))
        let values = [5.0, 3.0, 4.0, 1.0, 6.0]
        try await study.optimize(trials: 5) { trial in
            let value = values[trial.number]
            for step in 0...8 {
                try await trial.report(value, step: step)
                if try await trial.shouldPrune() { throw TrialPruned() }
            }
            return value
        }
        let trials = try await study.trials()
        // The same sequence as the direct test above, now with the rung records kept in the journal.
        #expect(trials.map(\.state) == [.complete, .complete, .pruned, .complete, .pruned])
        #expect(trials[2].systemAttributes["completed_rung_0"] == .double(4))
        #expect(trials[2].intermediateValues.keys.max() == 1)
        #expect(trials[3].systemAttributes["completed_rung_3"] == .double(1))
    }
}
