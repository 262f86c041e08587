import ForgeData
import ForgeTensor
// DigitsPipeline: the ForgeData workflow end to end on the digits data.
//
//   swift run DigitsPipeline [path/to/digits_train.csv path/to/digits_test.csv]
//
// Reads the CSV files, checks the test file against a schema inferred from the training file,
// summarizes the training data, splits off a stratified validation set, fits a standardizer on the
// training part only, and iterates a shuffled, prefetching DataLoader for two epochs.
import Foundation

let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Tests/ForgeDataTests/Fixtures")
let arguments = CommandLine.arguments.dropFirst()
let trainURL = arguments.first.map { URL(fileURLWithPath: $0) } ?? fixtures.appendingPathComponent("digits_train.csv")
let testURL =
    arguments.dropFirst().first.map { URL(fileURLWithPath: $0) } ?? fixtures.appendingPathComponent("digits_test.csv")

do {
    // 1. Read, and check the new data against what training data looks like.
    let trainTable = try CSVReader.readTable(at: trainURL)
    let testTable = try CSVReader.readTable(at: testURL)
    let schema = DataSchema.infer(from: trainTable)
    let violations = schema.validate(testTable)
    print("schema: \(schema.columns.count) columns; test file violations: \(violations.count)")
    for violation in violations.prefix(5) { print("  \(violation)") }

    // 2. Statistics, stored with the model as JSON.
    let statistics = DatasetStatistics(table: trainTable, labelColumn: "label")
    let balance = (statistics.classBalance ?? []).map { "\($0.value):\($0.count)" }.joined(separator: " ")
    print("training rows: \(statistics.rowCount); class balance: \(balance)")
    if let pixel = statistics["f36"] {
        print("f36: mean \(pixel.mean ?? .nan), std \(pixel.standardDeviation ?? .nan), missing \(pixel.missing)")
    }

    // 3. Stratified train/validation split; standardize with training statistics only.
    let dataset = try trainTable.dataset(labelColumn: "label")
    let labels = dataset.labels.scalars(as: Int64.self).map { Int($0) }
    let split = DataSplits.stratified(labels: labels, validation: 0.2, test: 0, seed: 42)
    let train = dataset.subset(split.train)
    let standardize = Standardize.fit(train.materialized().features)
    let encoded = try JSONEncoder().encode(standardize)
    print("train \(split.train.count), validation \(split.validation.count); standardizer JSON \(encoded.count) bytes")

    // 4. Shuffled batches with augmentation noise, built on two worker threads.
    let loader = DataLoader(
        train, batchSize: 32, shuffle: true, seed: 42, workers: 2,
        transform: standardize.then(GaussianNoise(standardDeviation: 0.05)))
    for epoch in 0..<2 {
        var batches = 0
        var sum: Float = 0
        for batch in loader {
            batches += 1
            sum += batch.features.scalars(as: Float.self).reduce(0, +)
        }
        print("epoch \(epoch): \(batches) batches, mean feature value \(sum / Float(split.train.count * 64))")
    }
} catch {
    print("DigitsPipeline: \(error)")
    exit(1)
}
