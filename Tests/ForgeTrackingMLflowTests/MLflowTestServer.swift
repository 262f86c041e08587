import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The venv Python (`$FORGE_PYTHON`) the interop tests use; nil skips them.
enum MLflowPython {
    static var python: String? {
        guard let path = ProcessInfo.processInfo.environment["FORGE_PYTHON"],
            FileManager.default.isExecutableFile(atPath: path)
        else { return nil }
        return path
    }

    /// Whether the venv has MLflow (the test command installs it when FORGE_PYTHON is set).
    static let hasMLflow: Bool = {
        guard let python else { return false }
        return (try? run(["-c", "import mlflow"]))?.status == 0
    }()

    /// Runs `python <arguments>` to completion; returns the exit status and standard output.
    static func run(_ arguments: [String], environment extra: [String: String] = [:]) throws
        -> (status: Int32, output: String, errors: String)
    {
        guard let python else { throw CocoaError(.fileNoSuchFile) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["PYTHONWARNINGS"] = "ignore"
        environment["MLFLOW_ENABLE_ASYNC_LOGGING"] = "false"
        for (key, value) in extra { environment[key] = value }
        process.environment = environment
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // Read standard error on another thread so a chatty child cannot fill the pipe and block.
        let errorData = LockedData()
        let reader = Thread { errorData.set(errors.fileHandleForReading.readDataToEndOfFile()) }
        reader.start()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !errorData.isSet { Thread.sleep(forTimeInterval: 0.01) }
        return (
            process.terminationStatus, String(decoding: data, as: UTF8.self),
            String(decoding: errorData.value, as: UTF8.self)
        )
    }

    /// Runs a Python snippet with `MLFLOW_TRACKING_URI` set and decodes the JSON it prints last.
    static func json(_ script: String, server: URL, arguments: [String] = []) throws -> [String: Any] {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("forge-mlflow-\(UUID().uuidString).py")
        try script.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try run([file.path] + arguments, environment: ["MLFLOW_TRACKING_URI": server.absoluteString])
        guard result.status == 0,
            let line = result.output.split(separator: "\n").last,
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        else {
            throw CocoaError(
                .fileReadCorruptFile,
                userInfo: [NSLocalizedDescriptionKey: "python failed: \(result.output)\n\(result.errors.suffix(2000))"])
        }
        return object
    }
}

final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var data: Data?
    func set(_ value: Data) { lock.withLock { data = value } }
    var isSet: Bool { lock.withLock { data != nil } }
    var value: Data { lock.withLock { data ?? Data() } }
}

/// One `mlflow server` (SQLite backend, artifacts served) on a free loopback port, started once for the
/// whole test process and killed with its process group when the process exits, however it exits.
enum MLflowTestServer {
    /// The write end of the watchdog's standard input: it closes when this process ends, for any reason,
    /// and the watchdog then kills the server's process group.
    nonisolated(unsafe) private static var lifeline: Pipe?

    /// The running server's URL; starts it on first use (about 30–60 s: MLflow creates its tables).
    static let url: Task<URL, any Error> = Task { try await start() }

    private static func start() async throws -> URL {
        guard let python = MLflowPython.python else { throw CocoaError(.fileNoSuchFile) }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "forge-mlflow-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let port = try freePort()
        let mlflow = URL(fileURLWithPath: python).deletingLastPathComponent().appendingPathComponent("mlflow").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        // A watchdog shell: `setsid` puts the server (and the workers it forks) in a process group of its
        // own; `cat` returns when the test process's end of the pipe closes, and the group is killed.
        let server =
            "'\(mlflow)' server --backend-store-uri 'sqlite:///\(directory.path)/mlflow.db' "
            + "--artifacts-destination '\(directory.path)/artifacts' --host 127.0.0.1 --port \(port) --workers 1"
        process.arguments = [
            "-c", "setsid \(server) </dev/null & server=$!; cat >/dev/null; kill -9 -$server",
        ]
        process.currentDirectoryURL = directory
        let log = directory.appendingPathComponent("server.log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        let pipe = Pipe()
        process.standardInput = pipe
        var environment = ProcessInfo.processInfo.environment
        environment["PYTHONWARNINGS"] = "ignore"
        environment["MLFLOW_SERVER_ENABLE_JOB_EXECUTION"] = "false"  // no background job workers
        process.environment = environment
        try process.run()
        lifeline = pipe
        let url = URL(string: "http://127.0.0.1:\(port)")!
        let deadline = Date().addingTimeInterval(240)
        while Date() < deadline {
            if !process.isRunning { break }
            var request = URLRequest(url: url.appendingPathComponent("health"), timeoutInterval: 2)
            request.httpMethod = "GET"
            if let (_, response) = try? await URLSession.shared.data(for: request),
                (response as? HTTPURLResponse)?.statusCode == 200
            {
                return url
            }
            try await Task.sleep(for: .milliseconds(500))
        }
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        throw CocoaError(
            .fileReadUnknown,
            userInfo: [NSLocalizedDescriptionKey: "mlflow server did not start: \(output.suffix(2000))"])
    }

    /// A TCP port on 127.0.0.1 that nothing listens on right now.
    static func freePort() throws -> Int {
        #if canImport(Glibc)
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { throw CocoaError(.fileWriteUnknown) }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        guard bound == 0 else { throw CocoaError(.fileWriteUnknown) }
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard named == 0 else { throw CocoaError(.fileWriteUnknown) }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
