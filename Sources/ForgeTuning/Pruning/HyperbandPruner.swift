import Foundation
import Synchronization

/// Hyperband: several successive-halving brackets with different aggressiveness, each trial assigned to
/// one bracket by a hash of the study name and trial number (Optuna's `HyperbandPruner`: the same
/// brackets, budgets and CRC-32 assignment, so a study pruned by Optuna and Forge agrees).
///
/// ```swift
/// let pruner = try HyperbandPruner(minResource: 1, maxResource: 27, reductionFactor: 3)
/// ```
public final class HyperbandPruner: Pruner {
    /// The smallest number of steps a trial runs before a bracket may prune it.
    public let minResource: Int
    /// The number of steps of a full trial, or `nil` to take it from the longest completed trial.
    public let maxResource: Int?
    /// η of every bracket.
    public let reductionFactor: Int
    /// See ``SuccessiveHalvingPruner/bootstrapCount``.
    public let bootstrapCount: Int

    private struct Brackets {
        var pruners: [SuccessiveHalvingPruner]
        var budgets: [Int]
        var totalBudget: Int
    }

    private let brackets = Mutex<Brackets?>(nil)

    /// Creates the pruner.
    /// - Throws: ``TuningError/invalidArgument(reason:)`` for `minResource < 1`, `maxResource < minResource`,
    ///   or `reductionFactor < 2`.
    public init(minResource: Int = 1, maxResource: Int? = nil, reductionFactor: Int = 3, bootstrapCount: Int = 0)
        throws(TuningError)
    {
        guard minResource >= 1 else { throw .invalidArgument(reason: "HyperbandPruner: minResource \(minResource) < 1") }
        if let maxResource, maxResource < minResource {
            throw .invalidArgument(reason: "HyperbandPruner: maxResource \(maxResource) < minResource \(minResource)")
        }
        guard reductionFactor >= 2 else {
            throw .invalidArgument(reason: "HyperbandPruner: reductionFactor \(reductionFactor) < 2")
        }
        self.minResource = minResource
        self.maxResource = maxResource
        self.reductionFactor = reductionFactor
        self.bootstrapCount = bootstrapCount
    }

    /// The number of brackets, once known (after a trial completed when `maxResource` is `nil`).
    public var bracketCount: Int? { brackets.withLock { $0?.pruners.count } }

    /// The bracket of trial `number` in study `studyName`, once the brackets are known.
    public func bracket(studyName: String, trialNumber: Int) -> Int? {
        guard let state = brackets.withLock({ $0 }) else { return nil }
        return Self.bracket(studyName: studyName, trialNumber: trialNumber, state)
    }

    /// Whether the trial should stop.
    public func shouldPrune(study: StudyView, trial: FrozenTrial) -> Bool { decide(study: study, trial: trial).prune }

    /// The decision of the trial's bracket, judged against the trials of the same bracket only.
    public func decide(study: StudyView, trial: FrozenTrial) -> PruningDecision {
        guard let state = resolvedBrackets(study) else { return PruningDecision(prune: false) }
        let bracket = Self.bracket(studyName: study.name, trialNumber: trial.number, state)
        var bracketStudy = study
        bracketStudy.allTrials = study.allTrials.filter {
            Self.bracket(studyName: study.name, trialNumber: $0.number, state) == bracket
        }
        return state.pruners[bracket].decide(study: bracketStudy, trial: trial)
    }

    private func resolvedBrackets(_ study: StudyView) -> Brackets? {
        brackets.withLock { brackets in
            if let brackets { return brackets }
            var resource = maxResource
            if resource == nil {
                let steps = study.trials(states: [.complete]).compactMap(\.lastStep)
                guard let longest = steps.max() else { return nil }
                resource = longest + 1
            }
            guard let maxResource = resource else { return nil }
            // Number of brackets s_max + 1 = ⌊log_η(R / r)⌋ + 1 (Li et al., Algorithm 1, with r = minResource),
            // computed in floating point exactly as Optuna does so both agree on the brackets.
            let count = Int((Foundation.log(Double(maxResource) / Double(minResource)) / Foundation.log(Double(reductionFactor))).rounded(.down)) + 1
            var pruners: [SuccessiveHalvingPruner] = []
            var budgets: [Int] = []
            for bracket in 0..<count {
                let s = count - 1 - bracket
                let budget = (Double(count) * pow(Double(reductionFactor), Double(s)) / Double(s + 1)).rounded(.up)
                budgets.append(Int(budget))
                // The arguments were validated by init, so this cannot throw.
                guard let pruner = try? SuccessiveHalvingPruner(
                    minResource: minResource, reductionFactor: reductionFactor, minEarlyStoppingRate: bracket,
                    bootstrapCount: bootstrapCount)
                else { return nil }
                pruners.append(pruner)
            }
            let built = Brackets(pruners: pruners, budgets: budgets, totalBudget: budgets.reduce(0, +))
            brackets = built
            return built
        }
    }

    private static func bracket(studyName: String, trialNumber: Int, _ state: Brackets) -> Int {
        var remaining = Int(CRC32.checksum(Array("\(studyName)_\(trialNumber)".utf8))) % state.totalBudget
        for (bracket, budget) in state.budgets.enumerated() {
            remaining -= budget
            if remaining < 0 { return bracket }
        }
        return state.budgets.count - 1
    }
}

/// CRC-32 (IEEE 802.3, zlib's and Python's `binascii.crc32`).
enum CRC32 {
    private static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }

    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }
}
