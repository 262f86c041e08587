import ForgeTensor
import Foundation
import Testing

@testable import ForgeData

@Suite("ForgeData scaling and encoding transforms")
struct TransformTests {
    @Test func standardizeFitsAppliesInvertsAndSaves() throws {
        let x = Tensor(rows: [[1, 10], [2, 20], [3, 60]] as [[Float]])
        let standardize = Standardize.fit(x)
        #expect(standardize.mean == [2, 30])
        #expect(abs(standardize.standardDeviation[0] - (2.0 / 3).squareRoot()) < 1e-12)
        let y = standardize(x)
        let oracle = [[1, 10], [2, 20], [3, 60]].flatMap { row in
            (0..<2).map { (Double(row[$0]) - standardize.mean[$0]) / standardize.standardDeviation[$0] }
        }
        for (value, expected) in zip(y.scalars(as: Float.self), oracle) {
            #expect(abs(Double(value) - expected) < 1e-6)
        }
        for (value, expected) in zip(standardize.inverted(y).scalars(as: Float.self), x.scalars(as: Float.self)) {
            #expect(abs(value - expected) < 1e-5)
        }
        let saved = try JSONEncoder().encode(standardize)
        #expect(try JSONDecoder().decode(Standardize.self, from: saved) == standardize)
        // Per channel on NCHW, NaN ignored, constant channel centred only.
        let images = Tensor([1, 3, 7, 7, .nan, 5, 7, 7] as [Float], shape: [2, 2, 1, 2])
        let perChannel = Standardize.fit(images)
        #expect(perChannel.mean == [3, 7] && perChannel.standardDeviation[1] == 1)
    }

    @Test func minMaxAndImputation() {
        let x = Tensor(rows: [[0, -1], [5, 1], [10, .nan]] as [[Double]])
        let scale = MinMaxScale.fit(x, lower: -1, upper: 1)
        #expect(scale.minimum == [0, -1] && scale.maximum == [10, 1])
        let scaled = scale(x).scalars(as: Double.self)
        #expect(scaled[0] == -1 && scaled[2] == 0 && scaled[4] == 1 && scaled[3] == 1 && scaled[5].isNaN)
        let mean = Impute.fit(Tensor(rows: [[1, .nan], [.nan, 4], [5, 8], [6, 9]] as [[Float]]))
        #expect(abs(mean.fillValues[0] - 4) < 1e-12 && abs(mean.fillValues[1] - 7) < 1e-12)
        let filled = mean(Tensor(rows: [[.nan, .nan]] as [[Float]])).scalars(as: Float.self)
        #expect(filled == [4, 7])
        let median = Impute.fit(Tensor(rows: [[1], [.nan], [2], [10]] as [[Float]]), strategy: .median)
        #expect(median.fillValues == [2])
        #expect(
            Impute.constant(-1, featureCount: 1)(Tensor([Float.nan], shape: [1, 1])).scalars(as: Float.self) == [-1])
    }

    @Test func oneHotAndLabelEncoder() throws {
        let oneHot = OneHot(classes: 3)(Tensor([2, 0] as [Int64]))
        #expect(oneHot.shape == [2, 3] && oneHot.scalars(as: Float.self) == [0, 0, 1, 1, 0, 0])
        let encoder = LabelEncoder.fit(["setosa", "virginica", nil, "setosa", "versicolor"])
        #expect(encoder.classes == ["setosa", "versicolor", "virginica"])
        #expect(try encoder.encode(["virginica", "setosa"]).scalars(as: Int64.self) == [2, 0])
        #expect(encoder.decode(Tensor([1, 2] as [Int64])) == ["versicolor", "virginica"])
        do {
            _ = try encoder.encode(["setosa", "daisy"])
            Issue.record("unknown category accepted")
        } catch let error as ForgeDataError {
            #expect(error.code == .invalidValue && error.line == 2 && error.message.contains("daisy"))
        }
    }

    @Test func compositionKeepsOrderAndFlattens() {
        let addOne = ClosureTransform { input, _ in input + 1 }
        let double = ClosureTransform { input, _ in input * 2 }
        let composed = addOne.then(double).then(addOne)
        #expect(composed.steps.count == 3)
        #expect(composed(Tensor([1] as [Float])).scalars(as: Float.self) == [5])
    }

    @Test func tokenizerBuildsVocabularyEncodesAndPads() throws {
        let tokenizer = Tokenizer.fit(["The cat sat", "the dog sat", "a cat"], level: .word)
        #expect(tokenizer.vocabulary == ["<pad>", "<unk>", "cat", "sat", "the", "a", "dog"])
        #expect(tokenizer.encode("the bird sat") == [4, Tokenizer.unknownIndex, 3])
        let batch = tokenizer.encode(["dog", "the cat sat a dog"], length: 3)
        #expect(batch.shape == [2, 3] && batch.scalars(as: Int64.self) == [6, 0, 0, 4, 2, 3])
        #expect(tokenizer.decode([4, 2, 0, 0]) == "the cat")
        let small = Tokenizer.fit(["aab", "b c"], level: .character, lowercase: false, minimumCount: 2)
        #expect(small.vocabulary == ["<pad>", "<unk>", "a", "b"])
        #expect(small.encode("abc") == [2, 3, 1])
        let saved = try JSONEncoder().encode(tokenizer)
        #expect(try JSONDecoder().decode(Tokenizer.self, from: saved) == tokenizer)
    }
}
