import Foundation

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
                    ["-D", data, "-o", options, "-l", directory.appendingPathComponent("server.log").path, "-w", "-t",
                        "60", "start"])
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
        let process = Process()
        if runAsPostgresUser && asServerUser {
            process.executableURL = URL(fileURLWithPath: "/usr/sbin/runuser")
            process.arguments = ["-u", "postgres", "--", tool] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: tool)
            process.arguments = arguments
        }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.currentDirectoryURL = URL(fileURLWithPath: NSTemporaryDirectory())
        try process.run()
        let bytes = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: bytes, as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw PostgresTestServerError(command: "\(program) \(arguments.joined(separator: " "))", output: text)
        }
        return text
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

/// A server program that failed, with what it printed.
public struct PostgresTestServerError: Error, CustomStringConvertible {
    /// The command line.
    public var command: String
    /// Its standard output and error.
    public var output: String

    /// The command and its output.
    public var description: String { "\(command) failed: \(output)" }
}
