import ForgeTensor
public import Foundation

/// One pass over a stream of examples, read on demand. Reading can fail (files), so `next` throws.
public protocol ExampleStream: AnyObject {
    /// The next example, or nil at the end of the pass.
    func next() throws -> Example?
}

/// Data read sequentially rather than by index: files larger than memory, generators, network
/// sources (PyTorch's `IterableDataset`).
///
/// Conformers guarantee that each ``makeStream()`` starts a new, independent pass yielding the same
/// examples in the same order; randomness belongs in the ``StreamingLoader``'s shuffle buffer.
public protocol StreamingDataset: Sendable {
    /// Starts a pass over the examples.
    func makeStream() throws -> any ExampleStream
}

/// A numeric CSV file streamed row by row: the other columns are the features, `labelColumn` the
/// label (`int64` when `labelIsClass`, else `float32`). Only one chunk of the file is in memory.
///
/// ```swift
/// let rows = CSVStreamingDataset(url: bigFile, labelColumn: "label")
/// let loader = StreamingLoader(rows, batchSize: 256, shuffleBuffer: 10_000, seed: 1)
/// let batches = try loader.makeIterator(epoch: 0)
/// while let batch = try batches.next() { … }
/// ```
public struct CSVStreamingDataset: StreamingDataset {
    /// The file.
    public let url: URL
    /// The label column's name.
    public let labelColumn: String
    /// Whether labels are class indices.
    public let labelIsClass: Bool
    /// The file's layout.
    public let options: CSVOptions

    /// Creates the dataset (nothing is read until a stream starts).
    public init(url: URL, labelColumn: String, labelIsClass: Bool = true, options: CSVOptions = CSVOptions()) {
        self.url = url
        self.labelColumn = labelColumn
        self.labelIsClass = labelIsClass
        self.options = options
    }

    /// Opens the file and reads its header.
    ///
    /// - Throws: ``ForgeDataError`` `fileNotFound`, `io`, `empty` (no header) or `unknownColumn`.
    public func makeStream() throws -> any ExampleStream {
        let reader = try CSVRowReader(url: url, options: options)
        guard let header = try reader.nextRow() else {
            throw ForgeDataError(code: .empty, message: "no header row", file: url.path, line: 1)
        }
        let names = header.map { $0.trimmingCharacters(in: .whitespaces) }
        guard let label = names.firstIndex(of: labelColumn) else {
            throw ForgeDataError(
                code: .unknownColumn, message: "no label column '\(labelColumn)'; columns: \(names)", file: url.path,
                line: 1)
        }
        return CSVExampleStream(
            reader: reader, names: names, label: label, labelIsClass: labelIsClass, missing: options.missingValues)
    }
}

/// The stream behind ``CSVStreamingDataset``.
final class CSVExampleStream: ExampleStream {
    let reader: CSVRowReader
    let names: [String]
    let label: Int
    let labelIsClass: Bool
    let missing: Set<String>

    init(reader: CSVRowReader, names: [String], label: Int, labelIsClass: Bool, missing: Set<String>) {
        self.reader = reader
        self.names = names
        self.label = label
        self.labelIsClass = labelIsClass
        self.missing = missing
    }

    func next() throws -> Example? {
        guard let row = try reader.nextRow() else { return nil }
        guard row.count == names.count else {
            throw ForgeDataError(
                code: .wrongFieldCount, message: "expected \(names.count) fields, found \(row.count)",
                file: reader.path, line: reader.rowLine, column: Swift.min(row.count, names.count) + 1)
        }
        var features: [Float] = []
        features.reserveCapacity(names.count - 1)
        var target = 0.0
        for (column, field) in row.enumerated() {
            let value: Double
            if let parsed = NumberParser.parseDouble(field) {
                value = parsed
            } else if column != label, missing.contains(field.trimmingCharacters(in: .whitespaces)) {
                value = .nan
            } else {
                throw ForgeDataError(
                    code: .unparsableNumber, message: "'\(field)' in column '\(names[column])' is not a number",
                    file: reader.path, line: reader.rowLine, column: column + 1)
            }
            if column == label { target = value } else { features.append(Float(value)) }
        }
        if labelIsClass && target != target.rounded() {
            throw ForgeDataError(
                code: .invalidValue, message: "class label \(target) is not an integer",
                file: reader.path, line: reader.rowLine, column: label + 1)
        }
        return Example(
            features: Tensor(features, shape: [features.count]),
            label: labelIsClass ? Tensor(Int64(target)) : Tensor(Float(target)))
    }
}

/// Streams a random-access dataset in index order (for tests and for mixing both kinds).
public struct DatasetStream<Source: Dataset>: StreamingDataset {
    /// The dataset.
    public let dataset: Source

    /// Creates the streaming view.
    public init(_ dataset: Source) { self.dataset = dataset }

    /// A pass over `dataset[0..<count]`.
    public func makeStream() throws -> any ExampleStream { IndexStream(dataset) }

    final class IndexStream: ExampleStream {
        let dataset: Source
        var position = 0
        init(_ dataset: Source) { self.dataset = dataset }
        func next() throws -> Example? {
            guard position < dataset.count else { return nil }
            defer { position += 1 }
            return dataset[position]
        }
    }
}
