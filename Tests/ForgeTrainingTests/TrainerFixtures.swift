import ForgeAutograd
import ForgeData
import ForgeLayers
import ForgeOptimizers
import ForgeTensor
import ForgeTraining
import Foundation
import Testing

/// scikit-learn's digits (1437 training and 360 test rows), standardized with the training statistics.
struct Digits {
    let train: TensorDataset
    let test: TensorDataset

    static let shared: Digits = {
        do {
            return try Digits()
        } catch {
            preconditionFailure("digits fixtures unreadable: \(error)")
        }
    }()

    /// The folder holding the CSV files (also handed to the crash helper).
    static var fixtures: URL {
        get throws {
            try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        }
    }

    init() throws {
        let folder = try Self.fixtures
        let train = try CSVReader.readMatrix(at: folder.appendingPathComponent("digits_train.csv"))
        let test = try CSVReader.readMatrix(at: folder.appendingPathComponent("digits_test.csv"))
        let standardize = Standardize.fit(train[.all, 1...])
        self.train = TensorDataset(
            features: standardize(train[.all, 1...]), labels: train[.all, 0].converted(to: .int64))
        self.test = TensorDataset(features: standardize(test[.all, 1...]), labels: test[.all, 0].converted(to: .int64))
    }

    /// The first `count` training rows.
    func trainPrefix(_ count: Int) -> TensorDataset {
        TensorDataset(features: train.features[0..<count], labels: train.labels[0..<count])
    }
}

/// An MLP 64-`hidden`-10 with ReLU.
func makeMLP(seed: UInt64, hidden: Int = 32) -> Sequential {
    var generator = RandomGenerator(seed: seed)
    return Sequential([
        Linear(inputFeatures: 64, outputFeatures: hidden, generator: &generator), ReLU(),
        Linear(inputFeatures: hidden, outputFeatures: 10, generator: &generator),
    ])
}

/// A scratch directory removed when the value goes away.
final class ScratchDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("forge-training-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func appending(_ path: String) -> URL { url.appendingPathComponent(path) }
}

/// Records every stage it sees, as text.
final class StageRecorder: TrainingCallback {
    let name: String
    let order: Int
    private(set) var stages: [String] = []
    private let log: (String) -> Void

    init(name: String = "", order: Int = 0, log: @escaping (String) -> Void = { _ in }) {
        self.name = name
        self.order = order
        self.log = log
    }

    private func note(_ stage: String) {
        stages.append(stage)
        log(name.isEmpty ? stage : "\(name):\(stage)")
    }

    func trainingDidBegin(_ trainer: Trainer) throws { note("trainingDidBegin") }
    func trainingDidEnd(_ trainer: Trainer) throws { note("trainingDidEnd") }
    func trainingDidFail(_ trainer: Trainer, error: any Error) { note("trainingDidFail(\(error))") }
    func epochDidBegin(_ trainer: Trainer) throws { note("epochDidBegin(\(trainer.state.epoch))") }
    func epochDidEnd(_ trainer: Trainer) throws { note("epochDidEnd(\(trainer.state.epoch))") }
    func batchDidBegin(_ trainer: Trainer, batch: Batch) throws { note("batchDidBegin(\(trainer.state.batchIndex))") }
    func gradientsDidCompute(_ trainer: Trainer, batch: Batch, loss: Variable) throws {
        note("gradientsDidCompute(\(trainer.state.batchIndex))")
    }
    func batchDidEnd(_ trainer: Trainer, batch: Batch, loss: Double) throws {
        note("batchDidEnd(\(trainer.state.batchIndex))")
    }
    func validationDidEnd(_ trainer: Trainer, metrics: [String: Double]) throws {
        note("validationDidEnd(\(metrics.keys.sorted().joined(separator: ",")))")
    }
}

/// Compares two state dicts key by key, bit for bit.
func expectIdentical(_ actual: [String: Tensor], _ expected: [String: Tensor], _ what: String) {
    #expect(actual.keys.sorted() == expected.keys.sorted(), "\(what): keys differ")
    for (name, tensor) in expected {
        #expect(actual[name] == tensor, "\(what): \(name) differs")
    }
}
