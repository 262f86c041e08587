import Foundation
import Testing

@testable import ForgeTuning

@Suite struct QuasiRandomSamplerTests {
    @Test func unscrambledSobolMatchesTheKnownSequence() {
        // scipy.stats.qmc.Sobol(d=6, scramble=False).random(8) (Joe–Kuo new-joe-kuo-6.21201)
        let expected: [[Double]] = [
            [0, 0, 0, 0, 0, 0], [0.5, 0.5, 0.5, 0.5, 0.5, 0.5], [0.75, 0.25, 0.25, 0.25, 0.75, 0.75],
            [0.25, 0.75, 0.75, 0.75, 0.25, 0.25], [0.375, 0.375, 0.625, 0.875, 0.375, 0.125],
            [0.875, 0.875, 0.125, 0.375, 0.875, 0.625], [0.625, 0.125, 0.875, 0.625, 0.625, 0.875],
            [0.125, 0.625, 0.375, 0.125, 0.125, 0.375],
        ]
        let sequence = SobolSequence(dimension: 6)
        for (index, point) in expected.enumerated() { #expect(sequence.point(index) == point, "point \(index)") }
        // Deeper points and dimensions exercise the direction-number recurrence.
        let wide = SobolSequence(dimension: 20)
        #expect(
            wide.point(1000) == [
                0.2197265625, 0.0966796875, 0.5185546875, 0.6767578125, 0.2802734375, 0.9072265625, 0.0458984375,
                0.8994140625, 0.5009765625, 0.0693359375, 0.0849609375, 0.2548828125, 0.1611328125, 0.3837890625,
                0.1435546875, 0.3701171875, 0.7197265625, 0.3447265625, 0.9912109375, 0.7255859375,
            ])
    }

    @Test func scrambledSobolKeepsItsStratificationAndIsSeeded() {
        let sequence = SobolSequence(dimension: 5, scrambleSeed: 42)
        let again = SobolSequence(dimension: 5, scrambleSeed: 42)
        let other = SobolSequence(dimension: 5, scrambleSeed: 43)
        #expect(sequence.point(17) == again.point(17))
        #expect(sequence.point(17) != other.point(17))
        // The first 64 points of a scrambled Sobol sequence put exactly one point in each of 64 equal
        // intervals of every coordinate, and 16 in each quadrant of every pair of coordinates (t = 0 for
        // the first two dimensions).
        let points = (0..<64).map { sequence.point($0) }
        for dimension in 0..<5 {
            let cells = Set(points.map { Int($0[dimension] * 64) })
            #expect(cells.count == 64, "dimension \(dimension)")
        }
        var quadrants = [Int](repeating: 0, count: 4)
        for point in points { quadrants[(point[0] < 0.5 ? 0 : 1) + (point[1] < 0.5 ? 0 : 2)] += 1 }
        #expect(quadrants == [16, 16, 16, 16])
    }

    @Test func samplerFollowsTheSequenceAndRespectsBounds() async throws {
        let first = try await SamplerTestFunctions.mixedSpaceSuggestions(sampler: QuasiRandomSampler(seed: 4), trials: 20)
        let second = try await SamplerTestFunctions.mixedSpaceSuggestions(sampler: QuasiRandomSampler(seed: 4), trials: 20)
        #expect(first == second)
        // Unscrambled, trial 1 is Sobol point 1 — the middle of every range.
        let study = try await Study.create(direction: .minimize, sampler: QuasiRandomSampler(scrambled: false))
        for expected in [nil, 2.5, 6.25] as [Double?] {
            let trial = try await study.ask()
            let x = try await trial.suggestFloat("x", -5...10)
            if let expected { #expect(x == expected) }
            try await study.tell(trial, values: [x])
        }
    }
}
