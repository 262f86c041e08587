import ForgeTensor
import Testing

@testable import ForgeData

@Suite("ForgeData splits")
struct SplitTests {
    func isPartition(_ split: DataSplit, _ count: Int) -> Bool {
        (split.train + split.validation + split.test).sorted() == Array(0..<count)
    }

    @Test func randomSplitByFractions() {
        let split = DataSplits.random(count: 100, validation: 0.1, test: 0.25, seed: 1)
        #expect(split.test.count == 25 && split.validation.count == 10 && split.train.count == 65)
        #expect(isPartition(split, 100))
        #expect(split == DataSplits.random(count: 100, validation: 0.1, test: 0.25, seed: 1))
        #expect(split != DataSplits.random(count: 100, validation: 0.1, test: 0.25, seed: 2))
    }

    @Test func stratifiedKeepsClassProportions() {
        let labels = (0..<200).map { $0 < 150 ? 0 : 1 }
        let split = DataSplits.stratified(labels: labels, validation: 0.2, test: 0.2, seed: 3)
        #expect(isPartition(split, 200))
        #expect(split.test.filter { labels[$0] == 1 }.count == 10)
        #expect(split.validation.filter { labels[$0] == 0 }.count == 30)
        #expect(split.train.count == 120)
    }

    @Test func groupedNeverSharesAGroup() {
        let groups = (0..<120).map { "patient\($0 / 6)" }  // 20 groups of 6
        let split = DataSplits.grouped(groups: groups, validation: 0.2, test: 0.2, seed: 4)
        #expect(isPartition(split, 120))
        let parts = [split.train, split.validation, split.test].map { Set($0.map { groups[$0] }) }
        #expect(
            parts[0].isDisjoint(with: parts[1]) && parts[0].isDisjoint(with: parts[2])
                && parts[1].isDisjoint(with: parts[2]))
        #expect(split.test.count == 24 && split.validation.count == 24)
    }

    @Test func timeOrderedPutsTheFutureLast() {
        let timestamps: [Double] = [5, 1, 9, 3, 7, 2, 8, 4, 6, 0]
        let split = DataSplits.timeOrdered(timestamps: timestamps, validation: 0.2, test: 0.3)
        #expect(split.train.map { timestamps[$0] } == [0, 1, 2, 3, 4])
        #expect(split.validation.map { timestamps[$0] } == [5, 6])
        #expect(split.test.map { timestamps[$0] } == [7, 8, 9])
    }

    @Test func kFoldHoldsOutEachIndexOnce() {
        let folds = DataSplits.kFold(count: 23, folds: 5, seed: 5)
        #expect(folds.count == 5)
        #expect(folds.flatMap(\.validation).sorted() == Array(0..<23))
        for fold in folds {
            #expect(Set(fold.train).isDisjoint(with: fold.validation) && fold.train.count + fold.validation.count == 23)
            #expect((4...5).contains(fold.validation.count))
        }
        let labels = (0..<50).map { $0 % 5 == 0 ? 1 : 0 }  // 10 of class 1
        for fold in DataSplits.kFold(count: 50, folds: 5, labels: labels, seed: 6) {
            #expect(fold.validation.filter { labels[$0] == 1 }.count == 2)
        }
        #expect(folds == DataSplits.kFold(count: 23, folds: 5, seed: 5))
    }
}
