public import Foundation

/// The code that produced a model: a git commit and whether the checkout had uncommitted changes.
public struct CodeVersion: Codable, Hashable, Sendable {
    /// The full commit hash.
    public var commit: String
    /// True when the working tree differed from the commit.
    public var dirty: Bool

    /// Creates a code version.
    public init(commit: String, dirty: Bool) {
        self.commit = commit
        self.dirty = dirty
    }

    /// The git commit and dirty flag of the checkout containing `directory`, or nil when it is not in a
    /// git checkout (or git is unavailable).
    public static func current(in directory: URL) -> CodeVersion? {
        guard let commit = git(["rev-parse", "HEAD"], in: directory), commit.count >= 40,
            let status = git(["status", "--porcelain", "--untracked-files=no"], in: directory)
        else { return nil }
        return CodeVersion(commit: commit, dirty: !status.isEmpty)
    }

    private static func git(_ arguments: [String], in directory: URL) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", directory.path] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// What produced a model version: the data versions, the code, the parameters and the training run.
///
/// Lineage records are roots for garbage collection: the model and data versions they name are kept.
public struct LineageRecord: Codable, Hashable, Sendable {
    /// The model version.
    public var model: VersionID
    /// The data versions it was trained or evaluated on.
    public var data: [VersionID]
    /// The code version, when known.
    public var code: CodeVersion?
    /// Training parameters (hyperparameters, configuration).
    public var parameters: [String: String]
    /// The training run's id (for example a ForgeTracking run), when known.
    public var run: String?
    /// When the record was made, in seconds since 1970.
    public var timestamp: Double

    /// Creates a record.
    public init(
        model: VersionID, data: [VersionID], code: CodeVersion? = nil, parameters: [String: String] = [:],
        run: String? = nil, timestamp: Double = Date().timeIntervalSince1970
    ) {
        self.model = model
        self.data = data
        self.code = code
        self.parameters = parameters
        self.run = run
        self.timestamp = timestamp
    }
}

extension VersionStore {
    var lineageFolder: String { rootPath + "/lineage" }

    /// Records what produced `model` (replacing an earlier record for the same model version).
    ///
    /// ```swift
    /// try store.recordLineage(model: "classifier@v2", data: ["digits@v3"],
    ///                         code: CodeVersion.current(in: sourceDirectory),
    ///                         parameters: ["lr": "0.01"], run: "run-42")
    /// ```
    /// - Throws: ``VersioningError/unknownReference(_:)`` when a reference does not resolve.
    @discardableResult
    public func recordLineage(
        model: String, data: [String], code: CodeVersion? = nil, parameters: [String: String] = [:],
        run: String? = nil
    ) throws -> LineageRecord {
        let record = LineageRecord(
            model: try resolve(model), data: try data.map { try resolve($0) }, code: code, parameters: parameters,
            run: run)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        try FileSystem.writeAtomically(
            encoder.encode(record), to: lineageFolder + "/\(record.model.hex).json", temporaryDirectory: lineageFolder)
        return record
    }

    /// Every lineage record in the store.
    public func lineageRecords() throws -> [LineageRecord] {
        try FileSystem.directoryEntries(lineageFolder).filter { $0.hasSuffix(".json") }.sorted().map { name in
            let path = lineageFolder + "/" + name
            do {
                return try JSONDecoder().decode(LineageRecord.self, from: FileSystem.read(path))
            } catch let error as VersioningError {
                throw error
            } catch {
                throw VersioningError.malformedRecord(kind: "lineage", location: path, reason: "\(error)")
            }
        }
    }

    /// What produced this model version (nil when nothing was recorded).
    public func lineage(ofModel model: String) throws -> LineageRecord? {
        let id = try resolve(model)
        return try lineageRecords().first { $0.model == id }
    }

    /// The lineage of every model trained on this data version.
    public func models(trainedOn data: String) throws -> [LineageRecord] {
        let id = try resolve(data)
        return try lineageRecords().filter { $0.data.contains(id) }
    }
}
