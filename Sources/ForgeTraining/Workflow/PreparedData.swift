public import ForgeData
public import ForgeTracking
public import ForgeTensor
public import Foundation

/// A recipe's data, read and ready to train on: standardized features, a stratified validation split, and
/// the names and statistics a run records.
public struct PreparedData: Sendable {
    /// Feature column names, in order.
    public var featureNames: [String]
    /// Class labels as text (`"0"`…`"9"`), index = class id.
    public var classNames: [String]
    /// Standardized training examples (without the validation rows).
    public var training: TensorDataset
    /// Standardized validation examples, nil when the fraction is 0.
    public var validation: TensorDataset?
    /// Standardized test examples.
    public var test: TensorDataset
    /// The standardization fitted on the training rows (apply it to new inputs).
    public var standardization: Standardize
    /// Each feature's distribution over the raw (unstandardized) training rows, as tracking records it.
    public var trainingDistributions: [FeatureDistribution]
    /// Each feature's distribution over the raw test rows.
    public var testDistributions: [FeatureDistribution]

    /// Reads and prepares the recipe's files; relative paths resolve against `directory`.
    ///
    /// - Throws: ``RecipeError`` when the label column is missing or labels are not class ids 0…C−1;
    ///   ``ForgeDataError`` (file, line, column) for unreadable CSV files.
    public init(recipe: DataRecipe, seed: UInt64, relativeTo directory: URL) throws {
        let trainURL = Self.resolve(recipe.train, against: directory)
        let testURL = Self.resolve(recipe.test, against: directory)
        let header = try Self.header(of: trainURL)
        guard let labelIndex = header.firstIndex(of: recipe.labelColumn) else {
            throw RecipeError(key: "data.label_column",
                reason: "\"\(recipe.labelColumn)\" is not a column of \(trainURL.path) (columns: \(header.prefix(8).joined(separator: ", "))…)")
        }
        let trainMatrix = try CSVReader.readMatrix(at: trainURL)
        let testMatrix = try CSVReader.readMatrix(at: testURL)
        guard testMatrix.shape[1] == trainMatrix.shape[1] else {
            throw RecipeError(key: "data.test",
                reason: "\(testURL.lastPathComponent) has \(testMatrix.shape[1]) columns, the training file \(trainMatrix.shape[1])")
        }
        let featureIndices = (0..<header.count).filter { $0 != labelIndex }
        featureNames = featureIndices.map { header[$0] }
        let (trainFeatures, trainLabels) = try Self.split(trainMatrix, labelIndex: labelIndex, features: featureIndices, file: trainURL)
        let (testFeatures, testLabels) = try Self.split(testMatrix, labelIndex: labelIndex, features: featureIndices, file: testURL)
        let labelValues = trainLabels.scalars(as: Int64.self).map(Int.init)
        let classCount = (labelValues.max() ?? 0) + 1
        classNames = (0..<classCount).map(String.init)

        let parts = DataSplits.stratified(labels: labelValues, validation: recipe.validationFraction, test: 0, seed: seed)
        let trainRows = Tensor(parts.train.map(Int64.init), shape: [parts.train.count])
        let fitFeatures = trainFeatures.indexSelect(axis: 0, indices: trainRows)
        standardization = Standardize.fit(fitFeatures)
        let shape = recipe.imageShape
        func shaped(_ features: Tensor) -> Tensor {
            guard let shape else { return features }
            return features.reshaped([features.shape[0]] + shape)
        }
        let standardized = standardization(trainFeatures)
        training = TensorDataset(
            features: shaped(standardized.indexSelect(axis: 0, indices: trainRows)),
            labels: trainLabels.indexSelect(axis: 0, indices: trainRows))
        if parts.validation.isEmpty {
            validation = nil
        } else {
            let rows = Tensor(parts.validation.map(Int64.init), shape: [parts.validation.count])
            validation = TensorDataset(
                features: shaped(standardized.indexSelect(axis: 0, indices: rows)),
                labels: trainLabels.indexSelect(axis: 0, indices: rows))
        }
        test = TensorDataset(features: shaped(standardization(testFeatures)), labels: testLabels)
        let names = featureNames
        func distributions(_ features: Tensor) -> [FeatureDistribution] {
            let raw = features.converted(to: .float64)
            return names.enumerated().map { column, name in
                FeatureDistribution(name: name, values: raw[.all, column].doubleScalars)
            }
        }
        trainingDistributions = distributions(fitFeatures)
        testDistributions = distributions(testFeatures)
    }

    /// The first line's column names.
    static func header(of url: URL) throws -> [String] {
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            throw RecipeError(key: "data", reason: "cannot open \(url.path)")
        }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 1 << 16)) ?? Data()
        let firstLine = String(decoding: head.prefix { $0 != UInt8(ascii: "\n") }, as: UTF8.self)
        return firstLine.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\" ")) }
    }

    static func resolve(_ path: String, against directory: URL) -> URL {
        path.hasPrefix("/") ? URL(fileURLWithPath: path) : directory.appendingPathComponent(path)
    }

    private static func split(_ matrix: Tensor, labelIndex: Int, features: [Int], file: URL) throws -> (Tensor, Tensor) {
        let labelsDouble = matrix[.all, labelIndex].doubleScalars
        for (row, value) in labelsDouble.enumerated() where value < 0 || value != value.rounded() {
            throw RecipeError(key: "data.label_column",
                reason: "row \(row + 2) of \(file.lastPathComponent) has label \(value); labels must be class ids 0, 1, 2, …")
        }
        let columns = Tensor(features.map(Int64.init), shape: [features.count])
        return (matrix.indexSelect(axis: 1, indices: columns), matrix[.all, labelIndex].converted(to: .int64))
    }
}
