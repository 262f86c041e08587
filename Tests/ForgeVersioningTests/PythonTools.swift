import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The Python of the repository's `.venv` (or `$FORGE_PYTHON`), where the test command installs moto
/// and dvc; nil when absent, which skips the interop tests.
enum PythonTools {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static var python: String? {
        if let configured = ProcessInfo.processInfo.environment["FORGE_PYTHON"],
            FileManager.default.isExecutableFile(atPath: configured)
        {
            return configured
        }
        let local = repositoryRoot.appendingPathComponent(".venv/bin/python").path
        return FileManager.default.isExecutableFile(atPath: local) ? local : nil
    }

    /// The folder of the venv's scripts (`dvc`, `moto_server`).
    static var scripts: String? { python.map { ($0 as NSString).deletingLastPathComponent } }

    static func hasModule(_ module: String) -> Bool {
        guard let python else { return false }
        return (try? run(python, ["-c", "import \(module)"]).status) == 0
    }

    /// Runs a program to completion; returns its exit status and combined output.
    @discardableResult
    static func run(_ program: String, _ arguments: [String], in directory: URL? = nil) throws
        -> (status: Int32, output: String)
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        var environment = ProcessInfo.processInfo.environment
        environment["DVC_NO_ANALYTICS"] = "1"
        environment["PYTHONWARNINGS"] = "ignore"
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

/// A moto S3 server on 127.0.0.1, started for one test and stopped when released.
final class MotoServer {
    let process: Process
    let endpoint: URL

    init() throws {
        guard let python = PythonTools.python else { throw CocoaError(.fileNoSuchFile) }
        let port = Int.random(in: 20_000..<40_000)
        process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-m", "moto.server", "-H", "127.0.0.1", "-p", String(port)]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        endpoint = URL(string: "http://127.0.0.1:\(port)")!
        // Wait until it answers (moto takes a second or two to import).
        for _ in 0..<100 {
            if (try? String(contentsOf: endpoint.appendingPathComponent("moto-api/"), encoding: .utf8)) != nil { return }
            Thread.sleep(forTimeInterval: 0.1)
        }
    }

    deinit {
        kill(process.processIdentifier, SIGKILL)  // SIGTERM waits for kept-alive client connections
        process.waitUntilExit()
    }
}
