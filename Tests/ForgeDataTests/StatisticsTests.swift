import ForgeTensor
import Foundation
import Testing

@testable import ForgeData

@Suite("ForgeData statistics and data checks")
struct StatisticsTests {
    @Test func featureStatisticsMatchNumPy() throws {
        let statistics = FeatureStatistics(name: "x", values: [1, 2, nil, 3, 4, 10, .nan], bins: 3)
        #expect(statistics.count == 5 && statistics.missing == 2)
        #expect(statistics.mean == 4 && statistics.minimum == 1 && statistics.maximum == 10)
        #expect(abs((statistics.standardDeviation ?? 0) - 12.5.squareRoot()) < 1e-12)
        // np.quantile([1, 2, 3, 4, 10], [.05, .25, .5, .75, .95]) = [1.2, 2, 3, 4, 8.8]
        for (value, expected) in zip(statistics.quantiles, [1.2, 2, 3, 4, 8.8]) {
            #expect(abs(value - expected) < 1e-12)
        }
        #expect(statistics.histogram == Histogram(edges: [1, 4, 7, 10], counts: [3, 1, 1]))
        #expect(abs(statistics.missingFraction - 2.0 / 7) < 1e-12)
    }

    @Test func irisStatisticsAndStableJSON() throws {
        let table = try CSVReader.readTable(at: Fixtures.url("iris_train.csv"))
        let statistics = DatasetStatistics(table: table, labelColumn: "label")
        #expect(statistics.rowCount == 120 && statistics.features.count == 4)
        let f0 = try #require(statistics["f0"])
        // NumPy: mean 5.8575, std (ddof 1) 0.8550062656412024, quantiles [4.6, 5.1, 5.8, 6.4, 7.41],
        // np.histogram(f0, 10) counts [7, 22, 8, 19, 14, 22, 14, 4, 4, 6].
        #expect(abs((f0.mean ?? 0) - 5.8575) < 1e-12)
        #expect(abs((f0.standardDeviation ?? 0) - 0.8550062656412024) < 1e-12)
        for (value, expected) in zip(f0.quantiles, [4.6, 5.1, 5.8, 6.4, 7.41]) { #expect(abs(value - expected) < 1e-9) }
        #expect(f0.histogram?.counts == [7, 22, 8, 19, 14, 22, 14, 4, 4, 6])
        #expect(
            statistics.classBalance == [
                .init(value: "0", count: 40), .init(value: "1", count: 40), .init(value: "2", count: 40),
            ])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = try encoder.encode(statistics)
        #expect(try JSONDecoder().decode(DatasetStatistics.self, from: json) == statistics)
        #expect(try encoder.encode(DatasetStatistics(table: table, labelColumn: "label")) == json)
        let fromTensor = DatasetStatistics(features: try table.tensor(columns: ["f0"], dtype: .float64))
        #expect(fromTensor.features[0].mean == f0.mean)
    }

    @Test func schemaInferredAndEveryViolationReported() throws {
        let reference = try CSVReader.readTable(text: "age,city,score\n30,Paris,1.5\n40,Lyon,2.5\n35,Paris,\n")
        let schema = DataSchema.infer(from: reference)
        #expect(schema.columns[0] == ColumnSchema(name: "age", type: .integer, minimum: 30, maximum: 40))
        #expect(schema.columns[1].allowedValues == ["Lyon", "Paris"])
        #expect(abs(schema.columns[2].maxMissingFraction - 1.0 / 3) < 1e-12)
        #expect(schema.validate(reference).isEmpty)

        let incoming = try CSVReader.readTable(text: "age,city,extra\n29,Paris,1\n35.5,Nice,2\nold,Lyon,3\n41,,4\n")
        let violations = schema.validate(incoming)
        let summary = violations.map { "\($0.kind.rawValue) \($0.column) \($0.row.map(String.init) ?? "-")" }
        #expect(
            summary == [
                "unexpectedColumn extra -",
                "belowMinimum age 1", "wrongType age 2", "wrongType age 3", "aboveMaximum age 4",
                "unknownCategory city 2", "tooManyMissing city -",
                "missingColumn score -",
            ])
        #expect(violations[2].value == "35.5")
        #expect(violations[1].description == "age[row 1]: belowMinimum: 29 is below the minimum 30.0")
        let saved = try JSONEncoder().encode(schema)
        #expect(try JSONDecoder().decode(DataSchema.self, from: saved) == schema)
    }
}
