import Foundation

@testable import ForgeTuning

/// Objective functions and a study driver shared by the sampler tests.
enum SamplerTestFunctions {
    /// Branin on x1 in [−5, 10], x2 in [0, 15]; minimum 0.397887.
    static func branin(_ x1: Double, _ x2: Double) -> Double {
        let (b, c, t) = (5.1 / (4 * Double.pi * Double.pi), 5 / Double.pi, 1 / (8 * Double.pi))
        let inner = x2 - b * x1 * x1 + c * x1 - 6
        return inner * inner + 10 * (1 - t) * cos(x1) + 10
    }

    /// The running best of a Branin study of `trials` trials with `sampler`.
    static func braninTrace(sampler: any Sampler, trials: Int) async throws -> [Double] {
        let study = try await Study.create(direction: .minimize, sampler: sampler)
        var best = Double.infinity
        var trace: [Double] = []
        for _ in 0..<trials {
            let trial = try await study.ask()
            let x1 = try await trial.suggestFloat("x1", -5...10)
            let x2 = try await trial.suggestFloat("x2", 0...15)
            let value = branin(x1, x2)
            try await study.tell(trial, values: [value])
            best = min(best, value)
            trace.append(best)
        }
        return trace
    }

    /// The parameters suggested in a study over a mixed space (float, log float, stepped float, int, log
    /// int, stepped int, categorical), one dictionary per trial, checking each value's bounds.
    static func mixedSpaceSuggestions(sampler: any Sampler, trials: Int) async throws -> [[String: String]] {
        let study = try await Study.create(direction: .minimize, sampler: sampler)
        var suggestions: [[String: String]] = []
        for _ in 0..<trials {
            let trial = try await study.ask()
            let float = try await trial.suggestFloat("float", -2...3)
            let logFloat = try await trial.suggestFloat("log_float", 1e-4...1, log: true)
            let stepped = try await trial.suggestFloat("stepped", 0...1, step: 0.25)
            let int = try await trial.suggestInt("int", -3...7)
            let logInt = try await trial.suggestInt("log_int", 1...1000, log: true)
            let steppedInt = try await trial.suggestInt("stepped_int", 0...20, step: 5)
            let choice = try await trial.suggestCategorical("choice", ["a", "b", "c"])
            precondition((-2...3).contains(float) && (1e-4...1).contains(logFloat))
            precondition([0, 0.25, 0.5, 0.75, 1].contains(stepped))
            precondition((-3...7).contains(int) && (1...1000).contains(logInt))
            precondition([0, 5, 10, 15, 20].contains(steppedInt))
            let value = (float - 1) * (float - 1) + abs(log10(logFloat) + 2) + stepped + Double(abs(int - 2))
                + abs(log(Double(logInt)) - 3) + Double(steppedInt) / 10 + (choice == "b" ? 0 : 1)
            try await study.tell(trial, values: [value])
            suggestions.append([
                "float": "\(float)", "log_float": "\(logFloat)", "stepped": "\(stepped)", "int": "\(int)",
                "log_int": "\(logInt)", "stepped_int": "\(steppedInt)", "choice": choice,
            ])
        }
        return suggestions
    }
}
