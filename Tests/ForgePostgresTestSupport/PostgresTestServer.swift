public import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A throw-away PostgreSQL server for tests: a fresh cluster in a temporary folder, listening on
/// 127.0.0.1 at a free port with trust authentication, its unix socket inside the folder.
///
/// PostgreSQL refuses to run as root, so when the tests run as uid 0 the server programs run as the
/// `postgres` system user (`runuser -u postgres --`), in a folder that user owns.
///
/// ```swift
/// let server = try PostgresTestServer.start()
/// defer { server.stop() }
/// let database = try server.createDatabase()
/// ```
public final class PostgresTestServer: Sendable {
    /// Where `initdb`, `pg_ctl` and `createdb` are, or nil when PostgreSQL is not installed.
    ///
    /// `FORGE_POSTGRES_BIN` wins; otherwise the newest `/usr/lib/postgresql/*/bin` (Debian), then the
    /// folder of an `initdb` on `PATH`.
    public static let binaryDirectory: URL? = findBinaryDirectory()

    /// Whether the PostgreSQL server programs are installed (tests skip without them).
    public static var isAvailable: Bool { binaryDirectory != nil }

    /// The user name every test connects as (the cluster's superuser, trust authentication).
    public let user = "forge"
    /// The host the server listens on.
    public let host = "127.0.0.1"
    /// The TCP port the server listens on.
    public let port: Int
    /// The cluster's folder (data, socket and log).
    public let directory: URL

    private let binaries: URL
    private let runAsPostgresUser: Bool

    private init(port: Int, directory: URL, binaries: URL, runAsPostgresUser: Bool) {
        self.port = port
        self.directory = directory
        self.binaries = binaries
        self.runAsPostgresUser = runAsPostgresUser
    }

    /// Creates a cluster in a new temporary folder and starts it.
    /// - Throws: ``PostgresTestServerError`` naming the command that failed, with its output.
    public static func start() throws -> PostgresTestServer {
        guard let binaries = binaryDirectory else {
            throw PostgresTestServerError(command: "initdb", output: "no PostgreSQL server programs found")
        }
        let asPostgres = getuid() == 0
        // As root the cluster belongs to `postgres`, which must reach the folder: use /tmp, not $TMPDIR.
        let directory = URL(fileURLWithPath: asPostgres ? "/tmp" : NSTemporaryDirectory(), isDirectory: true)
            .appendingPathComponent("forge-postgres-\(UUID().uuidString.prefix(8))", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        if asPostgres {
            try FileManager.default.setAttributes(
                [.ownerAccountName: "postgres", .groupOwnerAccountName: "postgres"], ofItemAtPath: directory.path)
        }
        let data = directory.appendingPathComponent("data").path
        let server = PostgresTestServer(
            port: 0, directory: directory, binaries: binaries, runAsPostgresUser: asPostgres)
        try server.execute(
            "initdb", ["-D", data, "-U", "forge", "--auth=trust", "-E", "UTF8", "--no-sync", "--locale=C"])
        var lastError: (any Error)?
        for _ in 0..<3 {  // a free port can be taken between probing and binding: try another
            let port = try freePort()
            let started = PostgresTestServer(
                port: port, directory: directory, binaries: binaries, runAsPostgresUser: asPostgres)
            let options = [
                "-p \(port)", "-k \(directory.path)", "-c listen_addresses=127.0.0.1", "-c fsync=off",
                "-c synchronous_commit=off", "-c full_page_writes=off", "-c max_connections=100",
            ].joined(separator: " ")
            do {
                try started.execute(
                    "pg_ctl",
                    [
                        "-D", data, "-o", options, "-l", directory.appendingPathComponent("server.log").path, "-w",
                        "-t",
                        "60", "start",
                    ])
                return started
            } catch {
                lastError = error
            }
        }
        try? FileManager.default.removeItem(at: directory)
        throw lastError ?? PostgresTestServerError(command: "pg_ctl start", output: "")
    }

    /// Creates an empty database with a unique name and returns the name.
    public func createDatabase(prefix: String = "forge") throws -> String {
        let name = "\(prefix)_\(UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: ""))"
        try execute("createdb", ["-h", host, "-p", String(port), "-U", user, name], asServerUser: false)
        return name
    }

    /// Stops the server immediately and removes its folder.
    public func stop() {
        _ = try? execute("pg_ctl", ["-D", directory.appendingPathComponent("data").path, "-m", "immediate", "stop"])
        try? FileManager.default.removeItem(at: directory)
    }

    @discardableResult
    private func execute(_ program: String, _ arguments: [String], asServerUser: Bool = true) throws -> String {
        let tool = binaries.appendingPathComponent(program).path
        let command =
            runAsPostgresUser && asServerUser ? ["/usr/sbin/runuser", "-u", "postgres", "--", tool] : [tool]
        let outputPath = NSTemporaryDirectory() + "/forge-postgres-output-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        let status = try Self.spawnAndWait(command + arguments, outputPath: outputPath)
        let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        guard status == 0 else {
            throw PostgresTestServerError(
                command: "\(program) \(arguments.joined(separator: " ")) (exit \(status))", output: text)
        }
        return text
    }

    /// Runs a program with its output in a file and every descriptor above 2 closed, and waits for it.
    ///
    /// NOTE: not Foundation's `Process`. `pg_ctl start` leaves the server running as a daemon, which would
    /// inherit the descriptor `Process` watches to notice the exit (and any pipe), so the wait would never
    /// end; closing descriptors from 3 up in the child keeps the daemon from holding anything of ours.
    private static func spawnAndWait(_ command: [String], outputPath: String) throws -> Int32 {
        #if canImport(Glibc)
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
            if let closeFrom = closeFromAction {
                _ = closeFrom(&actions, 3)
            }
            var arguments: [UnsafeMutablePointer<CChar>?] = command.map { strdup($0) } + [nil]
            defer { for argument in arguments { free(argument) } }
            var processID: pid_t = 0
            let spawned = posix_spawn(&processID, command[0], &actions, nil, &arguments, environ)
            guard spawned == 0 else {
                throw PostgresTestServerError(
                    command: command.joined(separator: " "), output: "posix_spawn: \(spawned)")
            }
            var status: Int32 = 0
            while waitpid(processID, &status, 0) == -1 {
                guard errno == EINTR else {
                    throw PostgresTestServerError(command: command.joined(separator: " "), output: "waitpid: \(errno)")
                }
            }
            // WIFEXITED / WEXITSTATUS, which Swift does not import as macros.
            return status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        #else
            // Darwin's Process watches the child itself (not a descriptor the daemon could inherit).
            FileManager.default.createFile(atPath: outputPath, contents: nil)
            let output = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
            defer { try? output.close() }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: command[0])
            process.arguments = Array(command.dropFirst())
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = output
            process.standardError = output
            try process.run()
            process.waitUntilExit()
            return process.terminationStatus
        #endif
    }

    private static func findBinaryDirectory() -> URL? {
        let manager = FileManager.default
        func hasServer(_ folder: URL) -> Bool {
            manager.isExecutableFile(atPath: folder.appendingPathComponent("initdb").path)
                && manager.isExecutableFile(atPath: folder.appendingPathComponent("pg_ctl").path)
        }
        if let explicit = ProcessInfo.processInfo.environment["FORGE_POSTGRES_BIN"] {
            let folder = URL(fileURLWithPath: explicit, isDirectory: true)
            return hasServer(folder) ? folder : nil
        }
        let debian = URL(fileURLWithPath: "/usr/lib/postgresql", isDirectory: true)
        let versions = ((try? manager.contentsOfDirectory(atPath: debian.path)) ?? [])
            .sorted { (Int($0) ?? 0) > (Int($1) ?? 0) }
        for version in versions {
            let folder = debian.appendingPathComponent(version).appendingPathComponent("bin")
            if hasServer(folder) { return folder }
        }
        for path in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let folder = URL(fileURLWithPath: String(path), isDirectory: true)
            if hasServer(folder) { return folder }
        }
        return nil
    }

    /// A TCP port on 127.0.0.1 that nothing listens on right now.
    private static func freePort() throws -> Int {
        #if canImport(Glibc)
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { throw PostgresTestServerError(command: "socket", output: "errno \(errno)") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(descriptor, generic, length) == 0 && getsockname(descriptor, generic, &length) == 0
            }
        }
        guard bound else { throw PostgresTestServerError(command: "bind", output: "errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

#if canImport(Glibc)
    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later), which Swift's Glibc module does
    /// not import; looked up at run time.
    private let closeFromAction: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)? =
        {
            guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else { return nil }
            return unsafeBitCast(
                symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
        }()
#endif

/// A server program that failed, with what it printed.
public struct PostgresTestServerError: Error, CustomStringConvertible {
    /// The command line.
    public var command: String
    /// Its standard output and error.
    public var output: String

    /// The command and its output.
    public var description: String { "\(command) failed: \(output)" }
}
