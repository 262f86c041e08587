import Foundation
import Testing

/// The Python the interop tests run: `FORGE_PYTHON` (with numpy and safetensors). Locally the suite is
/// skipped when it is unset; in CI (`CI=true`) an unset variable is a failure, as in ForgeTensorTests.
enum InteropPython {
    static let path: String? = ProcessInfo.processInfo.environment["FORGE_PYTHON"].flatMap { $0.isEmpty ? nil : $0 }
    static let isCI = ProcessInfo.processInfo.environment["CI"] == "true"
    static var shouldRun: Bool { path != nil || isCI }

    /// Runs `script` with `arguments` and returns its standard output parsed as a JSON object.
    static func run(_ script: String, arguments: [String], in directory: URL) throws -> [String: Any] {
        let python = try #require(
            path, "CI=true but FORGE_PYTHON is not set: point it at a Python with numpy and safetensors")
        try #require(FileManager.default.isExecutableFile(atPath: python), "FORGE_PYTHON=\(python) is not executable")
        let outputURL = directory.appendingPathComponent("stdout.txt")
        let errorURL = directory.appendingPathComponent("stderr.txt")
        for url in [outputURL, errorURL] {
            try #require(FileManager.default.createFile(atPath: url.path, contents: nil))
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", script] + arguments
        // Files, not pipes: a full pipe cannot block the child while we wait.
        process.standardOutput = try FileHandle(forWritingTo: outputURL)
        process.standardError = try FileHandle(forWritingTo: errorURL)
        try process.run()
        process.waitUntilExit()
        let errors = String(decoding: try Data(contentsOf: errorURL), as: UTF8.self)
        try #require(process.terminationStatus == 0, "python exited with \(process.terminationStatus):\n\(errors)")
        let json = try JSONSerialization.jsonObject(with: try Data(contentsOf: outputURL))
        return try #require(json as? [String: Any], "python printed no JSON object")
    }
}
