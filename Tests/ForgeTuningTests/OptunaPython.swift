import Foundation
import Testing

@testable import ForgeTuning

/// The Python with Optuna that the interop tests run: `FORGE_PYTHON`. Without it the suites are skipped
/// locally; in CI (`CI=true`) an unset variable fails them.
enum OptunaPython {
    static let path: String? = ProcessInfo.processInfo.environment["FORGE_PYTHON"].flatMap { $0.isEmpty ? nil : $0 }
    static let isCI = ProcessInfo.processInfo.environment["CI"] == "true"
    static var shouldRun: Bool { path != nil || isCI }

    /// Runs `script` with `arguments` and returns what it printed, parsed as JSON (NaN allowed).
    static func run(_ script: String, arguments: [String], in directory: URL) throws -> AttributeValue {
        let python = try #require(path, "CI=true but FORGE_PYTHON is not set: point it at a Python with optuna")
        let outputURL = directory.appendingPathComponent("stdout-\(UUID().uuidString).txt")
        let errorURL = directory.appendingPathComponent("stderr-\(UUID().uuidString).txt")
        for url in [outputURL, errorURL] {
            try #require(FileManager.default.createFile(atPath: url.path, contents: nil))
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", script] + arguments
        process.standardOutput = try FileHandle(forWritingTo: outputURL)
        process.standardError = try FileHandle(forWritingTo: errorURL)
        try process.run()
        process.waitUntilExit()
        let errors = String(decoding: try Data(contentsOf: errorURL), as: UTF8.self)
        try #require(process.terminationStatus == 0, "python exited with \(process.terminationStatus):\n\(errors)")
        return try JSONText.decode(String(decoding: try Data(contentsOf: outputURL), as: UTF8.self))
    }
}
