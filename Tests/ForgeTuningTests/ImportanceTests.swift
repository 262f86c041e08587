import ForgeTensor
import Foundation
import Testing

@testable import ForgeTuning

@Suite("Parameter importances and trials table")
struct ImportanceTests {
    @Test func anIrrelevantParameterGetsLowImportance() async throws {
        let study = try await Study.create(sampler: UniformTestSampler(seed: 21))
        try await study.optimize(trials: 120) { trial in
            let x = try await trial.suggestFloat("x", -1...1)
            let y = try await trial.suggestFloat("y", 0...1)
            let z = try await trial.suggestFloat("z", 1e-3...1, log: true)
            let kind = try await trial.suggestCategorical("kind", ["a", "b", "c"])
            _ = (z, kind)
            return 10 * x * x + 0.5 * y
        }
        let importances = try await study.parameterImportances()
        #expect(importances.map(\.name).first == "x")
        let byName = Dictionary(uniqueKeysWithValues: importances.map { ($0.name, $0.importance) })
        #expect(abs(importances.reduce(0) { $0 + $1.importance } - 1) < 1e-9)
        #expect(byName["x"] ?? 0 > 0.8)
        #expect(byName["z"] ?? 1 < 0.05)
        #expect(byName["kind"] ?? 1 < 0.05)
        #expect(byName["y"] ?? 0 > byName["z"] ?? 1)
        // Deterministic for a seed.
        #expect(try await study.parameterImportances() == importances)
        let onlyTwo = try await study.parameterImportances(parameters: ["y", "z"])
        #expect(onlyTwo.first?.name == "y")
        await #expect(throws: TuningError.self) { _ = try await study.parameterImportances(parameters: ["missing"]) }
    }

    @Test func varianceSharesOfAnAdditiveFunction() {
        // f(x, y) = step(x) + 3 step(y) on a 20 × 20 grid: Var from x ∝ 1, from y ∝ 9 → shares 0.1 and 0.9.
        var features: [[Double]] = []
        var targets: [Double] = []
        for i in 0..<20 {
            for j in 0..<20 {
                let x = (Double(i) + 0.5) / 20
                let y = (Double(j) + 0.5) / 20
                features.append([x, y])
                targets.append((x > 0.5 ? 1 : 0) + 3 * (y > 0.5 ? 1 : 0))
            }
        }
        let shares = FanovaImportance.importances(features: features, targets: targets, treeCount: 16)
        #expect(abs(shares[0] - 0.1) < 0.02 && abs(shares[1] - 0.9) < 0.02)
    }

    @Test func forestPredictsTheTrainingFunction() {
        var generator = RandomGenerator(seed: 4)
        let features = (0..<200).map { _ in [generator.nextUnit(), generator.nextUnit()] }
        let targets = features.map { $0[0] > 0.3 ? 2.0 : -1.0 }
        let forest = RegressionForest(features: features, targets: targets, treeCount: 16)
        #expect(abs(forest.predict([0.8, 0.5]) - 2) < 0.05)
        #expect(abs(forest.predict([0.1, 0.5]) + 1) < 0.05)
    }

    @Test func trialsTableAsCSVAndText() async throws {
        let study = try await Study.create(sampler: UniformTestSampler())
        let first = try await study.ask()
        try await study.enqueueTrial(params: ["lr": 0.5, "kind": "a,b"])
        _ = first
        try await study.tell(first, values: [1.5])
        let second = try await study.ask()
        _ = try await second.suggestFloat("lr", 0...1)
        _ = try await second.suggestCategorical("kind", ["a,b", "c"])
        try await study.tell(second, values: nil, state: .pruned)
        let table = try await study.trialsTable()
        #expect(table.header == ["number", "state", "value", "duration_s", "params_kind", "params_lr"])
        let lines = table.csv.split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        #expect(lines[1].hasPrefix("0,complete,1.5,"))
        #expect(lines[2].hasPrefix("1,pruned,,") && lines[2].hasSuffix(",\"a,b\",0.5"))
        #expect(table.description.split(separator: "\n").count == 3)
        #expect(try await study.trialsTable(states: [.pruned]).rows.map(\.number) == [1])
    }
}
