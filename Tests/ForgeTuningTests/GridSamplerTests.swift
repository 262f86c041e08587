import Foundation
import Testing

@testable import ForgeTuning

@Suite struct GridSamplerTests {
    let space: GridSearchSpace

    init() throws {
        space = try GridSearchSpace(["optimizer": [.string("sgd"), .string("adam")], "layers": [.int(1), .int(2), .int(3)]])
    }

    @Test func everyGridPointOnceWithConcurrentTrials() async throws {
        let study = try await Study.create(direction: .minimize, sampler: GridSampler(space, seed: 7))
        try await study.optimize(trials: space.count, concurrency: 3) { trial in
            let optimizer = try await trial.suggestCategorical("optimizer", ["sgd", "adam"])
            let layers = try await trial.suggestInt("layers", 1...3)
            return Double(layers) + (optimizer == "adam" ? 0 : 10)
        }
        let seen = try await study.trials(states: [.complete]).map { trial in
            "\(trial.params["optimizer"]?.description ?? "?")-\(trial.params["layers"]?.description ?? "?")"
        }
        #expect(seen.count == 6)
        #expect(Set(seen).count == 6)
        #expect(try await study.bestValue == 1)
    }

    @Test func exhaustedGridAndUnknownParametersThrow() async throws {
        let study = try await Study.create(direction: .minimize, sampler: GridSampler(space))
        for _ in 0..<space.count {
            let trial = try await study.ask()
            _ = try await trial.suggestInt("layers", 1...3)
            await #expect(throws: TuningError.self) { _ = try await trial.suggestFloat("dropout", 0...1) }
            try await study.tell(trial, values: [0])
        }
        let extra = try await study.ask()
        await #expect(throws: SearchSpaceExhausted.self) { _ = try await extra.suggestInt("layers", 1...3) }
        #expect(throws: TuningError.self) { _ = try GridSearchSpace(["empty": []]) }
    }

    @Test func unseededGridRunsInIndexOrder() {
        #expect(space.names == ["layers", "optimizer"])
        #expect(space.point(at: 0) == ["layers": .int(1), "optimizer": .string("sgd")])
        #expect(space.point(at: 5) == ["layers": .int(3), "optimizer": .string("adam")])
    }
}
