import Foundation

/// Test data copied into the test bundle and scratch files.
enum Fixtures {
    /// A fixture file shipped with the tests (`Fixtures/<name>`).
    static func url(_ name: String) throws -> URL {
        guard let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures") else {
            throw CocoaError(.fileNoSuchFile)
        }
        return url
    }

    /// Writes `bytes` to a new temporary file and returns its URL.
    static func temporaryFile(_ bytes: [UInt8], name: String = "data") throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("forgedata-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url
    }

    /// Writes `text` to a new temporary file.
    static func temporaryFile(text: String, name: String = "data.csv") throws -> URL {
        try temporaryFile(Array(text.utf8), name: name)
    }
}
