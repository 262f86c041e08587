import ForgeTensor
import Foundation
import Testing

@testable import ForgeData

@Suite("ForgeData synthetic data")
struct SyntheticDataTests {
    func rows(_ tensor: Tensor) -> [[Double]] {
        let columns = tensor.shape[1]
        let values = tensor.doubleScalars
        return (0..<tensor.shape[0]).map { Array(values[$0 * columns..<($0 + 1) * columns]) }
    }

    @Test func blobsClusterAroundTheirCentres() {
        let data = SyntheticData.blobs(count: 3000, centers: [[0, 0], [10, -5]], standardDeviation: 0.5, seed: 1)
        let points = rows(data.features)
        let labels = data.labels.scalars(as: Int64.self)
        for (label, centre) in [[0.0, 0.0], [10.0, -5.0]].enumerated() {
            let members = points.indices.filter { labels[$0] == Int64(label) }.map { points[$0] }
            #expect(members.count == 1500)
            for axis in 0..<2 {
                let mean = members.map { $0[axis] }.reduce(0, +) / 1500
                #expect(abs(mean - centre[axis]) < 0.05)
            }
        }
        let again = SyntheticData.blobs(count: 3000, centers: [[0, 0], [10, -5]], standardDeviation: 0.5, seed: 1)
        #expect(again.features.scalars(as: Float.self) == data.features.scalars(as: Float.self))
        #expect(SyntheticData.blobs(count: 10, classes: 4, features: 3, seed: 2).features.shape == [10, 3])
    }

    @Test func moonsAndSpiralsHaveTheirShape() {
        let moons = SyntheticData.twoMoons(count: 400, noise: 0, seed: 3)
        for (point, label) in zip(rows(moons.features), moons.labels.scalars(as: Int64.self)) {
            let centre = label == 0 ? (0.0, 0.0) : (1.0, 0.5)
            let radius = ((point[0] - centre.0) * (point[0] - centre.0) + (point[1] - centre.1) * (point[1] - centre.1))
                .squareRoot()
            #expect(abs(radius - 1) < 1e-6)
            #expect(label == 0 ? point[1] >= -1e-7 : point[1] <= 0.5 + 1e-7)
        }
        let spirals = SyntheticData.spirals(count: 300, classes: 3, seed: 4)
        #expect(Set(spirals.labels.scalars(as: Int64.self)) == [0, 1, 2])
        for point in rows(spirals.features) {
            let radius = (point[0] * point[0] + point[1] * point[1]).squareRoot()
            #expect(radius >= 0.05 - 1e-6 && radius <= 1 + 1e-6)
        }
        #expect(
            SyntheticData.spirals(count: 300, classes: 3, seed: 5).features.scalars(as: Float.self)
                != spirals.features.scalars(as: Float.self))
    }

    @Test func regressionTargetsFollowTheirFormula() {
        let linear = SyntheticData.linearRegression(count: 2000, features: 3, noise: 0.1, seed: 6)
        let residuals = zip(rows(linear.dataset.features), linear.dataset.labels.doubleScalars).map { x, y in
            y - zip(x, linear.coefficients).reduce(linear.bias) { $0 + $1.0 * $1.1 }
        }
        let spread = (residuals.map { $0 * $0 }.reduce(0, +) / 2000).squareRoot()
        #expect(abs(spread - 0.1) < 0.01)
        let friedman = SyntheticData.nonlinearRegression(count: 50, features: 7, noise: 0, seed: 7)
        for (x, y) in zip(rows(friedman.features), friedman.labels.doubleScalars) {
            let expected = 10 * sin(.pi * x[0] * x[1]) + 20 * (x[2] - 0.5) * (x[2] - 0.5) + 10 * x[3] + 5 * x[4]
            #expect(abs(y - expected) < 1e-4)
        }
    }

    @Test func sequenceTasksLabelCorrectly() {
        let sums = SyntheticData.sequenceSum(count: 20, length: 8, seed: 8)
        for (row, label) in zip(rows(sums.features), sums.labels.doubleScalars) {
            #expect(abs(row.reduce(0, +) - label) < 1e-5)
        }
        let parity = SyntheticData.sequenceParity(count: 50, length: 9, seed: 9)
        for (row, label) in zip(rows(parity.features), parity.labels.scalars(as: Int64.self)) {
            #expect(Int64(row.reduce(0, +)) % 2 == label)
        }
        let waves = SyntheticData.sineWaves(count: 6, length: 64, classes: 3, noise: 0, seed: 10)
        #expect(waves.features.shape == [6, 64] && waves.labels.scalars(as: Int64.self) == [0, 1, 2, 0, 1, 2])
        // Class k crosses zero about 2 (k + 1) times per sequence.
        for (row, label) in zip(rows(waves.features), waves.labels.scalars(as: Int64.self)) {
            let crossings = zip(row, row.dropFirst()).filter { ($0 < 0) != ($1 < 0) }.count
            #expect(abs(crossings - 2 * (Int(label) + 1)) <= 1)
        }
    }
}
