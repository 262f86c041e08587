import ForgeData
import ForgeTensor
import Foundation

/// scikit-learn's digits (8×8 images, 10 classes), split 80/20 stratified with random_state 0:
/// 1437 training and 360 test rows, features standardized with the training mean and deviation.
struct DigitsData {
    let trainFeatures: Tensor  // [1437, 64] float32
    let trainLabels: Tensor  // [1437] int64
    let testFeatures: Tensor  // [360, 64]
    let testLabels: Tensor  // [360]

    static let shared: DigitsData = {
        do {
            return try DigitsData()
        } catch {
            preconditionFailure("digits fixtures unreadable: \(error)")
        }
    }()

    init() throws {
        let (trainX, trainY) = try Self.read("digits_train")
        let (testX, testY) = try Self.read("digits_test")
        let mean = trainX.mean(axis: 0, keepingDimensions: true)
        var deviation = trainX.standardDeviation(axes: [0], correction: 0, keepingDimensions: true)
        deviation = Tensor.where(deviation .== 0, Tensor(Float(1)), deviation)
        trainFeatures = (trainX - mean) / deviation
        testFeatures = (testX - mean) / deviation
        trainLabels = trainY
        testLabels = testY
    }

    /// Reads `label, f0 … f63` rows after a header line, with ForgeData's CSV reader.
    private static func read(_ name: String) throws -> (Tensor, Tensor) {
        guard let url = Bundle.module.url(forResource: name, withExtension: "csv", subdirectory: "Fixtures") else {
            throw CocoaError(.fileNoSuchFile)
        }
        let table = try CSVReader.readMatrix(at: url)
        return (table[.all, 1...], table[.all, 0].converted(to: .int64))
    }

    /// The rows of one shuffled epoch in batches of `size` (the last may be smaller).
    func batches(size: Int, generator: inout RandomGenerator) -> [(features: Tensor, labels: Tensor)] {
        let order = Tensor.randomPermutation(count: trainLabels.count, generator: &generator)
        return order.split(size: size).map { indices in
            (trainFeatures.indexSelect(axis: 0, indices: indices), trainLabels.indexSelect(axis: 0, indices: indices))
        }
    }
}
